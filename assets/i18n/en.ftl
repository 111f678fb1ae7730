### English catalogue, in Fluent syntax (https://projectfluent.org/).
### One message per id; { $name } is an argument the code passes, never
### replaced as text; where a number is shown, a selector picks the
### plural form: { $n -> [one] … *[other] … } (English CLDR rules).
### Both catalogues have exactly the same ids (a test checks it).

app-name = Porte Ouverte
app-tagline = Open doors for people stranded in a crisis.
nav-home = Home
nav-language = Français
nav-language-code = fr
landing-need = I need a place to stay tonight
landing-need-hint = No account needed. It takes less than a minute.
landing-host = I can open my door
landing-host-hint = Offer places to people stranded near you.
landing-privacy = Your exact address and contact details are never public. They are shown only to the person you agree to host, after both of you said yes. Others only see an area of about { $cell } m.
landing-safety = In danger? Call 112 (or 17, police).
need-title = Ask for a place to stay
need-intro = Tell us where you are and who is with you. We show you open doors nearby; your contact details go to a host only after you both agree.
need-where = Where are you?
need-place = Town, district or postcode
need-place-hint = For example: Paris 11e, 75011, Montreuil
need-locate = Use my location
need-locate-done = Location found. You can send the form.
need-locate-failed = Your location could not be found. Type a place or postcode instead.
need-party = How many of you?
need-name = Your first name
need-phone = Phone
need-email = E-mail
need-contact-hint = How can a host reach you? (one is enough)
need-needs = What do you need?
need-accessible = Step-free access (wheelchair)
need-pets = We have a pet
need-children = There are children with me
need-women_only = I want a host who welcomes women only
need-notes = Anything else a host should know (optional)
need-submit = Find a place
need-more = More details (optional): asks made for you, needs, children, languages
err-summary = Please correct the fields marked below.
err-place = Give a place or postcode we know, or use your location.
err-place-several = Is it one of these? Choose yours below, or add the postcode, or use your location.
place-choose = Which one?
err-lat = Give a place or postcode we know, or use your location.
err-lon = Give a place or postcode we know, or use your location.
err-party_size = Enter a number of people from 1 to 20.
err-name = Enter a first name (up to 80 characters).
err-contact_phone = Enter a phone number (digits, may start with +), or an e-mail address.
err-contact_email = Enter a valid e-mail address.
err-notes = Keep this under 1,000 characters.
err-csrf = This form expired or did not come from this site. Please try again.
req-title = Your request
req-keep = Keep this link: it is the only way back to your request.
req-copy = Copy the link
req-copied = Link copied.
req-status-waiting = Waiting for a host.
req-status-matched = A host said yes. Their address is below.
req-status-arrived = You arrived safely. Take care.
req-status-cancelled = You cancelled this request.
req-candidates = Open doors near you
req-candidates-none = No open door matches yet within { $km } km. Keep this page open: new offers appear as hosts register.
req-places = { $n ->
        [one] { $n } place free
       *[other] { $n } places free
    }
req-distance = Distance: { $band }
req-area = Area: { $area }
req-attr-accessible = step-free
req-attr-pets = pets welcome
req-attr-children = children welcome
req-attr-women_only = women only
req-ask = Ask this host
req-asked = You asked this host. They have until { $time } to answer.
req-invited = A host invites you. Their places are held until { $time }.
req-accept = Accept
req-decline = Decline
req-match-declined = This host cannot take you.
req-match-expired = This host did not answer in time.
req-match-cancelled = Cancelled.
req-host = Your host
req-address = Address
req-map = Open the map
req-matches = Your hosts
req-address-copy = Copy the address
req-address-copied = Address copied.
req-phone = Phone
req-email = E-mail
req-notes = Notes from the host
req-arrived = I have arrived safely
req-cancel = Cancel my request
notice-no_places = Sorry, that host no longer has enough places. Try another one.
notice-too_many_proposals = You already asked 3 hosts. Wait for an answer or cancel one.
notice-already_proposed = You already asked this host.
notice-offer_not_available = That offer is no longer open.
notice-needs_not_met = That offer does not meet your needs.
notice-request_not_waiting = This request is no longer waiting.
notice-match_expired = That proposal expired.
notice-match_state = That proposal can no longer change.
notice-error = Something went wrong. Please try again.
page-not_found = Page not found
page-back = Back to the start
page-refused = Action refused
page-back_to_page = Back to the page
footer-places = Place names: stations © Île-de-France Mobilités (ODbL); places © GeoNames (CC BY 4.0); postcodes from the Base Adresse Nationale.
page-trouble = We are having trouble
page-trouble-body = Something went wrong on our side, and this was not done. Please try again in a minute.
page-too_many = Too many attempts
page-forbidden = Not allowed
page-forbidden-body = This cannot be done with this account or this link.
page-conflict = This changed meanwhile
page-conflict-body = Someone acted on this at the same time, or it has ended. Go back to the page to see where it stands now.
page-invalid = This form could not be read
page-invalid-body = Go back to the page and check what you typed.
host-title = Open your door
host-login = Log in
host-signup = Create a host account
host-logout = Log out
host-email = E-mail
host-password = Password
host-password-hint = At least 8 characters.
host-display_name = Your name (shown to a guest only after you both agree)
host-phone = Phone (optional)
host-no_account = No account yet?
host-have_account = Already have an account?
host-hello = Hello, { $name }
host-offers = Your offers
host-offers-none = You have no offer yet.
host-offer-places = { $remaining } of { $capacity } { $capacity ->
        [one] place
       *[other] places
    } free
host-offer-until = Open until { $time }
host-offer-status-open = open
host-offer-status-paused = paused
host-offer-status-closed = closed
host-new = Offer places
host-address = Address (shown only to a guest you accept)
host-place = Town, district or postcode of that address
host-capacity = How many people can you take?
host-hours = For how many hours? (1 to 720)
host-accommodates = You can welcome
host-accessible = Step-free access (wheelchair)
host-pets_ok = Pets
host-children_ok = Children
host-women_only = Women only
host-notes = Notes for your guest (shown after you both agree)
host-edit = Edit
host-save = Save the changes
host-back = Back to your offers
host-place-keep = Leave empty to keep the current position.
host-languages = Languages you speak (optional)
need-languages = Languages you speak (optional)
languages-hint = Separated by commas, for example: French, Arabic, sign language
err-capacity_taken = Some places are already held or accepted: capacity cannot go below that.
err-languages = Use two-letter language codes (such as fr, en, ar), at most 10.
host-create = Publish the offer
err-login = Wrong e-mail address or password.
err-suspended = This account is suspended. Write to the coordinators if you think this is a mistake.
err-email = Enter a valid e-mail address.
err-email_taken = An account with this e-mail address already exists. Log in instead.
err-password = Use 8 to 128 characters.
err-display_name = Enter a name (up to 80 characters).
err-phone = Enter a phone number (digits, may start with +).
err-address = Enter the address (3 to 300 characters).
err-capacity = Enter a number of places from 1 to 500.
err-hours = Enter a number of hours from 1 to 720.
err-rate_limited = Too many attempts. Wait a minute and try again.
host-proposals = Proposals
host-proposal = { $name }, party of { $n }
host-proposal-wait = Waiting for the guest's answer until { $time }.
host-proposal-expires = Places held until { $time }.
host-accept = Accept
host-decline = Decline
host-guest_contact = Guest's contact
host-arrived = The guest has arrived
host-arrived-done = Arrived safely.
host-nearby = Waiting nearby
host-nearby-none = Nobody waiting nearby fits this offer right now.
host-nearby-item = { $n ->
        [one] { $n } person
       *[other] { $n } people
    }, { $band }, { $area }
host-invite = Invite
host-pause = Pause
host-reopen = Reopen
host-close = Close
coord-title = Coordination
coord-link = Coordination
coord-offers_open = Offers open
coord-places_free = Places free
coord-requests_waiting = Requests waiting
coord-proposed = Proposals pending
coord-accepted = Accepted
coord-arrived = Arrived safely
coord-queue = Waiting, longest first
coord-queue-none = Nobody is waiting.
coord-item = { $name }, { $n ->
        [one] { $n } person
       *[other] { $n } people
    }, waiting { $min } min, { $area }
coord-details-offer = Offer { $id }
coord-details-request = Request { $id }
coord-details-places = { $n } of { $of } { $of ->
        [one] place
       *[other] places
    } free
coord-details-shown = Personal details
coord-details-recorded = This reading is recorded, and the person sees that a coordinator read their details, and why.
coord-details-ask = See the personal details
coord-details-why = Addresses, exact points, contacts and notes are shown only with a reason. The person will see that a coordinator read them, and your reason.
coord-details-reason = Why do you need them?
coord-details-reason_hint = 3 to 500 characters, for example: the guest called, the host does not answer.
coord-details-show = Show the details
coord-details-open = details
coord-floods = Floods of reports
coord-flood-network = Network
coord-flood-reporter = Reporter
coord-flood-item = { $source } { $id }: { $n ->
        [one] { $n } report
       *[other] { $n } reports
    } within one hour, { $day } in 24 hours
coord-standing-none = no tie to this host (weighs nothing)
coord-standing-weak = asked this host, or e-mail checked (weak)
coord-standing-strong = accepted by this host, or identity checked (strong)
coord-standing-coordinator = a coordinator
err-reason = Say why, in 3 to 500 characters.
coord-done = Proposal sent: both sides must accept.
coord-matches = Matches in progress
coord-matches-none = No match in progress.
coord-match-item = { $name }, { $n ->
        [one] { $n } person
       *[other] { $n } people
    }, { $area }: { $status }
coord-match_id = Match ID
coord-open = Open the match
coord-back = Back to coordination
coord-doors = Doors for this party
coord-doors-hint = What the guest would see, best first. Proposing one asks the host and the guest; each says yes or no.
coord-doors-propose = Propose this door
coord-queue-hint = Choose a party to see its doors and propose one.
coord-party = Waiting party
coord-party-unknown = This party is not in the queue: its link may be wrong.
coord-party-close = Close
coord-party-gone = This party is no longer waiting.
coord-party-none = No open door fits this party right now.
coord-party-details = Details and personal data
coord-map-show = Show the live map
coord-map-note = Select a red disc, or press Enter on it, to open a waiting party. The tables on this page give the same figures.
coord-map-choose = Choose a party
coord-legend = Legend of the live map
coord-legend-places = Places free (size: how many)
coord-legend-people = People waiting (size: how many)
coord-legend-incident = Incident area
coord-legend-alert = Alert: unsafe, or no arrival confirmed
coord-map-places = { $n ->
        [one] { $n } place free
       *[other] { $n } places free
    }, { $area }
coord-map-people = { $n ->
        [one] { $n } person waiting
       *[other] { $n } people waiting
    }, { $area }
coord-map-incident = Incident: { $name }
coord-yes = yes
coord-no = no
coord-status-proposed = proposed
coord-status-accepted = accepted, arrival not confirmed
coord-status-arrived = arrived safely
coord-status-declined = declined
coord-status-expired = expired
coord-status-cancelled = cancelled
coord-match-title = Match { $id }
coord-match-status = Status
coord-match-created = Proposed at
coord-match-expires = Places held until
coord-match-accepted = Accepted at
coord-match-arrived = Arrival confirmed at
coord-match-guest_consent = Guest agreed
coord-match-host_consent = Host agreed
coord-match-guest = Guest
coord-match-offer = Host and offer
coord-match-hidden = Contact details appear once both sides agree.
map-show = Show the map
map-note = The map needs a connection to the tile server; everything it shows is listed on this page.
map-failed = The map could not be loaded. Everything is listed on this page.
map-you = You are here
mail-footer = Porte Ouverte — open doors in a crisis. You receive this because of a request or an offer on the platform.
mail-hello = Hello { $name },
mail-use_link = Open the private link of your request to answer or see other open doors.
mail-map = Open the map
mail-link-subject = Your request for a place to stay
mail-link-body = We received your request. Keep this link: it is the only way back to your request, where you will see open doors nearby and their answers.
mail-link-open = Your request
mail-invited-subject = A host invites you
mail-invited-body = A host near { $area } invites you and holds the places until { $time }.
mail-proposal-subject = Shelter request, party of { $n }
mail-proposal-body = { $name } asks for { $n ->
        [one] { $n } place
       *[other] { $n } places
    } (waiting near { $area }). The places are held until { $time }: accept or decline on your page. Their contact details appear only after you accept.
mail-proposal-open = Answer on your page
mail-accepted-subject = A host is waiting for you
mail-accepted-body = { $host } accepted. Here is where to go.
mail-accepted-address = Address: { $address }
mail-accepted-phone = Phone: { $phone }
mail-accepted-email = E-mail: { $email }
mail-accepted-notes = Notes from the host: { $notes }
mail-accepted-arrival = When you get there, press "I have arrived safely" on your request's page.
mail-declined-subject = This host cannot take you
mail-declined-body = The host you asked cannot take you. Don't lose heart: other doors are open.
mail-expired-subject = The host did not answer in time
mail-expired-body = The host you asked did not answer in time, so the places are free again.
mail-next = Open doors near you now:
mail-next-none = No other open door matches yet; new offers appear as hosts register.
mail-arrived-subject = Arrival confirmed
mail-arrived-guest = Your arrival is confirmed. Take care of yourself.
mail-arrived-host = The arrival of { $name } is confirmed. Thank you for opening your door.
mail-safe-subject = { $name } is safe
mail-safe-body = { $name } has reached a shelter and is safe (area: { $area }).
mail-safe-why = { $name } asked us to tell you. We do not share the address.
mail-escalated-subject = No arrival confirmed: match { $id }
mail-escalated-body = { $name } was accepted by a host near { $area } at { $time }, and nobody has confirmed the arrival. Please check on them.
mail-unsafe-subject = URGENT: a guest feels unsafe (match { $id })
mail-unsafe-body = { $name }, hosted near { $area }, pressed "I feel unsafe". Contact them now.
mail-coord-open = Open the match
need-trusted = Tell someone you are safe (optional)
need-trusted-hint = When your arrival is confirmed, we send one message to this address: your first name, that you are safe, and the area at most — never the address.
need-trusted-email = Their e-mail address
need-trusted-consent = I agree that Porte Ouverte tells this person once that I am safe
err-trusted_consent = Tick the box to agree, or leave the address empty.
req-unsafe = I feel unsafe
req-unsafe-hint = The coordinators are told at once and will contact you. The host is not told.
req-unsafe-send = Alert the coordinators
notice-unsafe = The coordinators have been alerted.
req-emergency = In danger now? Call { $numbers }.
coord-alerts = Needs attention now
coord-alert-unsafe = A guest feels unsafe:
coord-alert-no_arrival = No arrival confirmed:
coord-dead = Mails that could not be delivered
coord-retry = Send again
coord-retried = The mail will be sent again.
mail-verify-subject = Confirm your e-mail address
mail-verify-body = Thank you for opening your door. Confirm your e-mail address so that guests and coordinators can trust your offers. The link works once, for two days.
mail-verify-open = Confirm my address
mail-reset-subject = Choose a new password
mail-reset-body = Someone asked to reset the password of your Porte Ouverte account. If it was you, use this link within an hour; it works once. If not, ignore this message: nothing changes.
mail-reset-open = Choose a new password
host-forgot = Forgot your password?
host-unverified = Confirm your e-mail address: we sent you a link.
host-resend = Send the link again
notice-sent = We sent you a new link.
notice-verified = Your e-mail address is confirmed. Thank you.
notice-already_verified = Your e-mail address is already confirmed.
notice-reset = Your password is changed; every other session was closed. Log in with the new one.
verify-title = Confirm your e-mail address
verify-submit = Confirm my address
reset-title = Forgot your password?
reset-send = Send me a link
reset-sent = If an account has this address, we sent it a link. It works once, for one hour.
reset-new = Choose a new password
reset-password = New password
reset-save = Save the new password
reset-again = Ask for a new link
err-link = This link is invalid, was already used, or has expired.
mail-review-subject = A host said yes: a coordinator checks first
mail-review-guest = A host accepted you. Because it is this host's first guest, a coordinator checks the match before we give you the address; you will get another message very soon.
mail-review-coord-subject = Approval needed: a host's first acceptance ({ $id })
mail-review-coord-body = A host near { $area } accepted a guest for the first time. Check the host, then approve the match so that the contacts are revealed.
coord-reviews = First acceptances to approve
coord-approve = Approve (reveal the contacts)
coord-review-hint = Both agreed. This is the host's first guest: check the host, then approve to reveal the contacts.
coord-reports = Reports to review
coord-report-item = { $kind } { $id }: { $reason }
coord-dismiss = Dismiss
coord-uphold = Uphold
coord-risks = Hosts to look at
coord-risk-item = Host { $id }: { $late ->
        [one] { $late } arrival
       *[other] { $late } arrivals
    } never confirmed, { $cancelled ->
        [one] { $cancelled } cancellation
       *[other] { $cancelled } cancellations
    } after acceptance
coord-host = Host
coord-level-none = Not verified
coord-level-email = E-mail address confirmed
coord-level-coordinator = Identity seen by a coordinator
coord-suspended = Suspended: cannot log in; offers hidden.
coord-verify_identity = I have seen their identity
coord-suspend = Suspend
coord-reinstate = Lift the suspension
report-title = Report
report-reason = What is wrong?
report-asks_money = Asks for money (hosting is always free)
report-unsafe = Makes me feel unsafe
report-inappropriate = Inappropriate
report-fake = Fake or misleading
report-other = Something else
report-details = Details (optional)
report-send = Send the report to the coordinators
req-block = Don't show me this host again
notice-reported = Thank you. The coordinators will look at it.
notice-already_reported = You already reported this; the coordinators will look at it.
notice-report_invalid = Choose what is wrong, and keep the details under 1,000 characters, before sending the report.
seen-title = Who has seen your contact details
seen-host = the host
seen-guest = your guest
seen-coordinator = a coordinator
seen-reason = reason given:
coord-suggest = Suggest assignments for everyone waiting
coord-suggest-totals = This shelters { $people } of the { $waiting ->
        [one] { $waiting } person
       *[other] { $waiting } people
    } waiting, { $km } km in all (proposing nearest-first in waiting order: { $gpeople ->
        [one] { $gpeople } person
       *[other] { $gpeople } people
    }, { $gkm } km).
coord-suggest-bound = Sheltered { $people_shown } { $people ->
        [one] person
       *[other] people
    } of at most { $bound_shown }.
coord-suggest-exact = No assignment shelters more people, nor as many over a shorter distance in all: this is proven.
coord-suggest-proven = No assignment shelters more people: this is proven.
coord-suggest-unproven = Optimality not proven: at most { $gap ->
        [one] one more person
       *[other] { $gap_shown } more people
    } could be sheltered.
coord-suggest-none = No waiting request fits an open offer right now.
coord-suggest-guest = Guest (people)
coord-suggest-from = Waiting in
coord-suggest-to = Offer
coord-suggest-distance = Distance
coord-suggest-send = { $n ->
        [one] Send this proposal
       *[other] Send these { $n } proposals
    } (both sides must accept)
coord-sent = The proposals were sent; each side must accept.
mail-closed-subject = { $name }: the emergency is over
mail-closed-host = The coordinators closed "{ $name }". Your offer for it is closed; thank you for opening your door.
mail-closed-guest = The coordinators closed "{ $name }". Your request is closed. If you still need a place, call the emergency numbers or ask again.
mail-closed-host-guest = The coordinators closed "{ $name }". The request of the guest you accepted for it is closed too, so your places are free again for other people.
mail-closed-retention = The personal details given for it (names, contacts, addresses) will be deleted in { $days ->
        [one] { $days } day
       *[other] { $days } days
    }.
incident-title = Incidents
incident-none = No incident yet. Outside incidents the platform runs in its standing mode.
incident-open = open
incident-closed = closed
incident-until = Planned to end { $time }
incident-radius = Area: { $km } km around its centre
incident-numbers = Emergency numbers: { $numbers }
incident-purge = Personal data deleted after { $time }
incident-summary = What remains:
incident-close = Close the incident
incident-new = Open an incident
incident-name = Name (for example: Paris, 13 November)
incident-place = Centre: town, district or postcode
incident-radius_km = Radius in km (0.1 to 200)
incident-hours = Planned to last, in hours
incident-emergency = Emergency numbers, separated by commas
incident-rules = Safeguarding rules
incident-rule-women = Women-only offers only from hosts whose identity a coordinator has seen
incident-rule-children = Parties with children only with such hosts
incident-rule-review = A host's first acceptance waits for a coordinator's approval
incident-open_button = Open the incident
err-radius = Enter a radius from 0.1 to 200 km.
err-incident_hours = Enter a number of hours from 1 to 2160.
err-incident_name = Enter a name (2 to 120 characters).
err-emergency_numbers = Enter one to five numbers, digits only.
coord-done_generic = Done.
coord-accept_median = Minutes from request to acceptance (median)
coord-accept_p90 = Minutes from request to acceptance (90th percentile)
coord-unconfirmed = Arrivals not confirmed in time
coord-unsafe_flags = "I feel unsafe" flags
coord-map = Supply and demand
coord-map-alt = Map: green discs are places free, red discs people waiting; the table below gives the same figures by area.
coord-areas = By area, largest shortage first
coord-area = Area
coord-people_waiting = People waiting
coord-exports = Exports
coord-export-offers = Offers (CSV)
coord-export-requests = Requests (CSV)
coord-export-personal = with personal data — recorded in the audit log
coord-export-hxl = Supply and demand per area, for partners (CSV with HXL hashtags)
coord-export-pfif = People reported safe, for missing-person registries (PFIF 1.4)
safe-title = Is my relative safe?
safe-intro = People who asked us for shelter could agree to be found by their full name. We only ever say whether they were reported safe and when — never where, nor with whom.
safe-name = Their full name
safe-search = Search
safe-yes = { $name } was reported safe and sheltered at { $time }.
safe-no = We have no report of { $name } being safe. That does not mean anything is wrong: most people do not use this service, or did not agree to be found.
err-safe_name = Enter a full name of 2 to 120 characters.
need-findable = Let your relatives find out you are safe (optional)
need-findable-hint = Anyone who searches for this exact full name on our "Is my relative safe?" page learns only whether you were reported safe, and when — never where.
need-findable-name = Your full name
need-findable-consent = I agree to be findable by this name
err-findable_name = Enter your full name (2 to 120 characters).
err-findable_consent = Tick the box to agree, or leave the name empty.
landing-safe = Is my relative safe?
host-free = Hosting is always free: asking a guest for money breaks the terms, and guests can report it.
mail-paused-subject = Are you still hosting tonight?
mail-paused-unanswered = A request for your places waited without an answer, so we paused your offer: nobody else will wait on it.
mail-paused-declines = You declined several requests in a row, so we paused your offer: people will not ask you again for now.
mail-paused-body = If you can still take people tonight, open your offer again with one click. If not, there is nothing to do. Thank you.
mail-paused-open = Yes, I am still hosting
host-paused-unanswered = We paused this offer because a request waited without an answer. Are you still hosting tonight?
host-paused-declines = We paused this offer after several declines in a row. Are you still hosting tonight?
host-paused-yes = Yes, I am still hosting tonight
need-auto = Let us ask hosts for you
need-auto-consent = Porte Ouverte may send my request to the next suitable hosts when an ask fails or a door opens; nobody sees my details before I say yes to a host.
req-behalf-asked = We asked this host for you. They have until { $time } to answer.
req-behalf-agree = Yes, I would go there
req-behalf-skip = Not this one
req-behalf-yes = This host said yes!
req-behalf-confirm = Say yes before { $time } to get the address and contact; nothing of yours is shared before that.
coord-paused = Offers paused by the platform
coord-paused-hint = Their host stopped answering; they come back when the host says they are still hosting.
coord-paused-unanswered = { $area }: a hold ran out unanswered (paused { $since })
coord-paused-declines = { $area }: declined several asks in a row (paused { $since })
## Web Push alerts: no name, contact or place (a phone's lock screen shows them)
push-on = Alert me on this phone
push-off = Stop alerts on this phone
push-done = Alerts are on: this phone will show a notification when something changes.
push-stopped = Alerts are off on this phone.
push-denied = Notifications are blocked for this site in the browser's settings.
push-failed = Alerts could not be turned on. The page works without them: come back to it.
push-proposal-title = New request for { $n }
push-proposal-body = A guest asks for { $n ->
        [one] { $n } place
       *[other] { $n } places
    }, held until { $time }. Answer on your page.
push-invited-title = A host invites you
push-invited-body = A host offers you { $n ->
        [one] { $n } place
       *[other] { $n } places
    }, held until { $time }. Open your page to answer.
push-accepted-title = Your place is confirmed
push-accepted-body = The host said yes. Open your page for the address and how to reach them.
push-revealed-title = Match confirmed
push-revealed-body = Both sides agreed: the contact details are on your page.
push-declined-title = No place this time
push-declined-body = The host cannot take you. Other doors are open: see your page.
push-expired-guest-title = No answer in time
push-expired-guest-body = The places held for you are free again. See your page for other doors.
push-expired-host-title = A proposal has expired
push-expired-host-body = A proposal waited without an answer; the places are free again.
push-paused-title = Are you still hosting tonight?
push-paused-body = We paused your offer. One tap opens it again.
live-refresh = Refresh
live-updated = This page was updated.
live-self-update-on = Update this page by itself every { $seconds } seconds
live-self-update-off = Stop updating this page by itself
busy-title = Too many people at once
busy-text = Too many people are using Porte Ouverte at this moment. Please try again in { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }: go back and send the form again (what you typed is kept), or reload the page.
busy-danger = If you are in danger, call { $numbers }.
req-add-details = Add details to my request: needs, languages, a trusted contact
req-details-title = Add details to your request
req-details-intro = Everything here is optional. Hosts see your needs, languages and notes; your trusted contact and the name you can be found by are never shown to them.
req-details-save = Save these details
req-details-back = Back to my request
notice-details_saved = Your details are saved.
notice-request_closed = This request has ended: its details can no longer change.

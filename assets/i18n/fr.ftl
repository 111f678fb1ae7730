### Catalogue français, en syntaxe Fluent (https://projectfluent.org/).
### Un message par identifiant ; { $nom } est un argument passé par le
### code, jamais remplacé comme du texte ; là où un nombre est affiché,
### un sélecteur choisit le pluriel : { $n -> [one] … *[other] … }
### (règles CLDR du français : « one » pour 0 et 1).
### Les deux catalogues ont exactement les mêmes identifiants (un test le vérifie).

app-name = Porte Ouverte
app-tagline = Des portes ouvertes pour les personnes bloquées pendant une crise.
nav-home = Accueil
nav-language = English
nav-language-code = en
landing-need = J'ai besoin d'un endroit où dormir ce soir
landing-need-hint = Sans compte. Moins d'une minute.
landing-host = Je peux ouvrir ma porte
landing-host-hint = Proposez des places aux personnes bloquées près de chez vous.
landing-privacy = Votre adresse exacte et vos coordonnées ne sont jamais publiques. Elles ne sont montrées qu'à la personne que vous acceptez d'accueillir, une fois que vous avez tous deux dit oui. Les autres ne voient qu'une zone d'environ { $cell } m.
landing-safety = En danger ? Appelez le 112 (ou le 17, police).
need-title = Demander un endroit où dormir
need-intro = Dites-nous où vous êtes et qui est avec vous. Nous vous montrons les portes ouvertes proches ; vos coordonnées ne sont transmises à un hôte qu'après votre accord mutuel.
need-where = Où êtes-vous ?
need-place = Ville, arrondissement ou code postal
need-place-hint = Par exemple : Paris 11e, 75011, Montreuil
need-locate = Utiliser ma position
need-locate-done = Position trouvée. Vous pouvez envoyer le formulaire.
need-locate-failed = Votre position n'a pas pu être trouvée. Indiquez plutôt un lieu ou un code postal.
need-party = Combien êtes-vous ?
need-name = Votre prénom
need-phone = Téléphone
need-email = E-mail
need-contact-hint = Comment un hôte peut-il vous joindre ? (un seul suffit)
need-needs = De quoi avez-vous besoin ?
need-accessible = Accès sans marche (fauteuil roulant)
need-pets = Nous avons un animal
need-children = Des enfants sont avec moi
need-women_only = Je souhaite un hôte qui n'accueille que des femmes
need-notes = Autre chose qu'un hôte devrait savoir (facultatif)
need-more = Plus de détails (facultatif) : demandes faites pour vous, besoins, enfants, langues
need-submit = Trouver une place
err-summary = Merci de corriger les champs signalés ci-dessous.
err-place = Indiquez un lieu ou un code postal connu, ou utilisez votre position.
err-place-several = Est-ce l’un de ces lieux ? Choisissez le vôtre ci-dessous, ajoutez le code postal ou utilisez votre position.
place-choose = Lequel ?
err-lat = Indiquez un lieu ou un code postal connu, ou utilisez votre position.
err-lon = Indiquez un lieu ou un code postal connu, ou utilisez votre position.
err-party_size = Indiquez un nombre de personnes entre 1 et 20.
err-name = Indiquez un prénom (80 caractères au plus).
err-contact_phone = Indiquez un numéro de téléphone (chiffres, + au début possible) ou une adresse e-mail.
err-contact_email = Indiquez une adresse e-mail valide.
err-notes = 1 000 caractères au plus.
err-csrf = Ce formulaire a expiré ou ne vient pas de ce site. Merci de réessayer.
req-title = Votre demande
req-keep = Gardez ce lien : c'est le seul moyen de revenir à votre demande.
req-copy = Copier le lien
req-copied = Lien copié.
req-status-waiting = En attente d'un hôte.
req-status-matched = Un hôte a dit oui. Son adresse est ci-dessous.
req-status-arrived = Vous êtes bien arrivé·e. Prenez soin de vous.
req-status-cancelled = Vous avez annulé cette demande.
req-candidates = Portes ouvertes près de vous
req-candidates-none = Aucune porte ouverte ne correspond encore dans un rayon de { $km } km. Gardez cette page ouverte : de nouvelles offres arrivent.
req-places = { $n ->
        [one] { $n } place libre
       *[other] { $n } places libres
    }
req-distance = Distance : { $band }
req-area = Secteur : { $area }
req-attr-accessible = sans marche
req-attr-pets = animaux acceptés
req-attr-children = enfants bienvenus
req-attr-women_only = femmes uniquement
req-ask = Demander à cet hôte
req-asked = Vous avez demandé à cet hôte. Il a jusqu'à { $time } pour répondre.
req-invited = Un hôte vous invite. Ses places sont réservées jusqu'à { $time }.
req-accept = Accepter
req-decline = Refuser
req-match-declined = Cet hôte ne peut pas vous accueillir.
req-match-expired = Cet hôte n'a pas répondu à temps.
req-match-cancelled = Annulé.
req-host = Votre hôte
req-address = Adresse
req-map = Ouvrir la carte
req-matches = Vos hôtes
req-address-copy = Copier l'adresse
req-address-copied = Adresse copiée.
req-phone = Téléphone
req-email = E-mail
req-notes = Mot de l'hôte
req-arrived = Je suis bien arrivé·e
req-cancel = Annuler ma demande
notice-no_places = Désolé, cet hôte n'a plus assez de places. Essayez-en un autre.
notice-too_many_proposals = Vous avez déjà sollicité 3 hôtes. Attendez une réponse ou annulez une demande.
notice-already_proposed = Vous avez déjà sollicité cet hôte.
notice-offer_not_available = Cette offre n'est plus ouverte.
notice-needs_not_met = Cette offre ne correspond pas à vos besoins.
notice-request_not_waiting = Cette demande n'est plus en attente.
notice-match_expired = Cette proposition a expiré.
notice-match_state = Cette proposition ne peut plus changer.
notice-error = Une erreur est survenue. Merci de réessayer.
page-not_found = Page introuvable
page-back = Retour à l'accueil
page-refused = Action refusée
page-back_to_page = Retour à la page
footer-places = Noms de lieux : gares © Île-de-France Mobilités (ODbL) ; lieux © GeoNames (CC BY 4.0) ; codes postaux de la Base Adresse Nationale.
page-trouble = Nous avons un problème
page-trouble-body = Quelque chose n'a pas fonctionné de notre côté, et rien n'a été fait. Réessayez dans une minute.
page-too_many = Trop de tentatives
page-forbidden = Action non autorisée
page-forbidden-body = Ce compte ou ce lien ne permet pas de faire cela.
page-conflict = Cela a changé entre-temps
page-conflict-body = Quelqu'un a agi au même moment, ou c'est terminé. Revenez à la page pour voir où cela en est.
page-invalid = Ce formulaire n'a pas pu être lu
page-invalid-body = Revenez à la page et vérifiez ce que vous avez saisi.
host-title = Ouvrir ma porte
host-login = Se connecter
host-signup = Créer un compte d'hôte
host-logout = Se déconnecter
host-email = E-mail
host-password = Mot de passe
host-password-hint = Au moins 8 caractères.
host-display_name = Votre nom (montré à un invité seulement après votre accord mutuel)
host-phone = Téléphone (facultatif)
host-no_account = Pas encore de compte ?
host-have_account = Déjà un compte ?
host-hello = Bonjour, { $name }
host-offers = Vos offres
host-offers-none = Vous n'avez pas encore d'offre.
host-offer-places = { $remaining ->
        [one] { $remaining } place libre
       *[other] { $remaining } places libres
    } sur { $capacity }
host-offer-until = Ouverte jusqu'à { $time }
host-offer-status-open = ouverte
host-offer-status-paused = en pause
host-offer-status-closed = fermée
host-new = Proposer des places
host-address = Adresse (montrée seulement à un invité que vous acceptez)
host-place = Ville, arrondissement ou code postal de cette adresse
host-capacity = Combien de personnes pouvez-vous accueillir ?
host-hours = Pendant combien d'heures ? (1 à 720)
host-accommodates = Vous pouvez accueillir
host-accessible = Accès sans marche (fauteuil roulant)
host-pets_ok = Des animaux
host-children_ok = Des enfants
host-women_only = Uniquement des femmes
host-notes = Mot pour votre invité (montré après votre accord mutuel)
host-edit = Modifier
host-save = Enregistrer les modifications
host-back = Retour à vos offres
host-place-keep = Laissez vide pour garder la position actuelle.
host-languages = Langues que vous parlez (facultatif)
need-languages = Langues que vous parlez (facultatif)
languages-hint = Séparées par des virgules, par exemple : français, arabe, langue des signes
err-capacity_taken = Des places sont déjà réservées ou acceptées : la capacité ne peut pas descendre en dessous.
err-languages = Utilisez des codes de langue à deux lettres (comme fr, en, ar), 10 au plus.
host-create = Publier l'offre
err-login = E-mail ou mot de passe incorrect.
err-suspended = Ce compte est suspendu. Écrivez aux coordinateurs si vous pensez que c'est une erreur.
err-email = Indiquez une adresse e-mail valide.
err-email_taken = Un compte existe déjà avec cette adresse. Connectez-vous plutôt.
err-password = Entre 8 et 128 caractères.
err-display_name = Indiquez un nom (80 caractères au plus).
err-phone = Indiquez un numéro de téléphone (chiffres, + au début possible).
err-address = Indiquez l'adresse (3 à 300 caractères).
err-capacity = Indiquez un nombre de places entre 1 et 500.
err-hours = Indiquez un nombre d'heures entre 1 et 720.
err-rate_limited = Trop de tentatives. Attendez une minute et réessayez.
host-proposals = Propositions
host-proposal = { $name }, { $n ->
        [one] { $n } personne
       *[other] { $n } personnes
    }
host-proposal-wait = En attente de la réponse de l'invité jusqu'à { $time }.
host-proposal-expires = Places réservées jusqu'à { $time }.
host-accept = Accepter
host-decline = Refuser
host-guest_contact = Contact de l'invité
host-arrived = L'invité est arrivé
host-arrived-done = Bien arrivé.
host-nearby = En attente à proximité
host-nearby-none = Personne en attente à proximité ne correspond à cette offre pour l'instant.
host-nearby-item = { $n ->
        [one] { $n } personne
       *[other] { $n } personnes
    }, { $band }, { $area }
host-invite = Inviter
host-pause = Mettre en pause
host-reopen = Rouvrir
host-close = Fermer
coord-title = Coordination
coord-link = Coordination
coord-offers_open = Offres ouvertes
coord-places_free = Places libres
coord-requests_waiting = Demandes en attente
coord-proposed = Propositions en cours
coord-accepted = Acceptées
coord-arrived = Bien arrivés
coord-queue = En attente, les plus anciennes d'abord
coord-queue-none = Personne n'attend.
coord-item = { $name }, { $n ->
        [one] { $n } personne
       *[other] { $n } personnes
    }, en attente depuis { $min } min, { $area }
coord-details-offer = Offre { $id }
coord-details-request = Demande { $id }
coord-details-places = { $n ->
        [one] { $n } place libre
       *[other] { $n } places libres
    } sur { $of }
coord-details-shown = Données personnelles
coord-details-recorded = Cette lecture est enregistrée : la personne voit qu'un coordinateur a lu ses coordonnées, et pourquoi.
coord-details-ask = Voir les données personnelles
coord-details-why = Adresses, positions exactes, contacts et notes ne s'affichent qu'avec un motif. La personne verra qu'un coordinateur les a lus, et votre motif.
coord-details-reason = Pourquoi en avez-vous besoin ?
coord-details-reason_hint = 3 à 500 caractères, par exemple : la personne a appelé, l'hôte ne répond pas.
coord-details-show = Afficher les données
coord-details-open = données
coord-floods = Rafales de signalements
coord-flood-network = Réseau
coord-flood-reporter = Auteur
coord-flood-item = { $source } { $id } : { $n ->
        [one] { $n } signalement
       *[other] { $n } signalements
    } en une heure, { $day } en 24 heures
coord-standing-none = aucun lien avec cet hôte (ne compte pas)
coord-standing-weak = a sollicité cet hôte, ou e-mail vérifié (faible)
coord-standing-strong = accepté par cet hôte, ou identité vérifiée (fort)
coord-standing-coordinator = un coordinateur
err-reason = Indiquez pourquoi, en 3 à 500 caractères.
coord-done = Proposition envoyée : les deux parties doivent accepter.
coord-matches = Mises en relation en cours
coord-matches-none = Aucune mise en relation en cours.
coord-match-item = { $name }, { $n ->
        [one] { $n } personne
       *[other] { $n } personnes
    }, { $area } : { $status }
coord-match_id = Identifiant de la mise en relation
coord-open = Ouvrir la mise en relation
coord-doors = Portes pour ce groupe
coord-doors-hint = Ce que la personne verrait, la meilleure d’abord. Proposer une porte la soumet à l’hôte et à la personne ; chacun accepte ou non.
coord-doors-propose = Proposer cette porte
coord-queue-hint = Choisissez un groupe pour voir ses portes et en proposer une.
coord-party = Groupe en attente
coord-party-unknown = Ce groupe n'est pas dans la file : son lien est peut-être faux.
coord-party-close = Fermer
coord-party-gone = Ce groupe n'attend plus.
coord-party-none = Aucune porte ouverte ne convient à ce groupe pour l'instant.
coord-party-details = Détails et données personnelles
coord-map-show = Afficher la carte en direct
coord-map-note = Choisissez un disque rouge, ou appuyez sur Entrée dessus, pour ouvrir un groupe en attente. Les tableaux de cette page donnent les mêmes chiffres.
coord-map-choose = Choisir un groupe
coord-legend = Légende de la carte en direct
coord-legend-places = Places libres (taille : nombre)
coord-legend-people = Personnes en attente (taille : nombre)
coord-legend-incident = Zone d'incident
coord-legend-alert = Alerte : danger signalé, ou arrivée non confirmée
coord-map-places = { $n ->
        [one] { $n } place libre
       *[other] { $n } places libres
    }, { $area }
coord-map-people = { $n ->
        [one] { $n } personne en attente
       *[other] { $n } personnes en attente
    }, { $area }
coord-map-incident = Incident : { $name }
coord-back = Retour à la coordination
coord-yes = oui
coord-no = non
coord-status-proposed = proposée
coord-status-accepted = acceptée, arrivée non confirmée
coord-status-arrived = arrivée en sécurité
coord-status-declined = refusée
coord-status-expired = expirée
coord-status-cancelled = annulée
coord-match-title = Mise en relation { $id }
coord-match-status = État
coord-match-created = Proposée le
coord-match-expires = Places réservées jusqu'au
coord-match-accepted = Acceptée le
coord-match-arrived = Arrivée confirmée le
coord-match-guest_consent = Accord de la personne hébergée
coord-match-host_consent = Accord de l'hôte
coord-match-guest = Personne à héberger
coord-match-offer = Hôte et offre
coord-match-hidden = Les coordonnées apparaissent quand les deux parties ont accepté.
map-show = Afficher la carte
map-note = La carte a besoin d'une connexion au serveur de tuiles ; tout ce qu'elle montre est aussi écrit sur cette page.
map-failed = La carte n'a pas pu être chargée. Tout est écrit sur cette page.
map-you = Vous êtes ici
mail-footer = Porte Ouverte — des portes ouvertes en cas de crise. Vous recevez ce message à cause d'une demande ou d'une offre sur la plateforme.
mail-hello = Bonjour { $name },
mail-use_link = Ouvrez le lien privé de votre demande pour répondre ou voir d'autres portes ouvertes.
mail-map = Ouvrir la carte
mail-link-subject = Votre demande d'hébergement
mail-link-body = Nous avons bien reçu votre demande. Gardez ce lien : c'est le seul moyen de revenir à votre demande, où vous verrez les portes ouvertes proches et leurs réponses.
mail-link-open = Votre demande
mail-invited-subject = Un hôte vous invite
mail-invited-body = Un hôte près de { $area } vous invite et réserve les places jusqu'au { $time }.
mail-proposal-subject = Demande d'hébergement, { $n } pers.
mail-proposal-body = { $name } demande { $n ->
        [one] { $n } place
       *[other] { $n } places
    } (en attente près de { $area }). Les places sont réservées jusqu'au { $time } : acceptez ou refusez sur votre page. Ses coordonnées n'apparaissent qu'après votre accord.
mail-proposal-open = Répondre sur votre page
mail-accepted-subject = Un hôte vous attend
mail-accepted-body = { $host } a accepté. Voici où aller.
mail-accepted-address = Adresse : { $address }
mail-accepted-phone = Téléphone : { $phone }
mail-accepted-email = E-mail : { $email }
mail-accepted-notes = Message de l'hôte : { $notes }
mail-accepted-arrival = Une fois arrivé·e, appuyez sur « Je suis bien arrivé·e » sur la page de votre demande.
mail-declined-subject = Cet hôte ne peut pas vous accueillir
mail-declined-body = L'hôte que vous avez sollicité ne peut pas vous accueillir. Courage : d'autres portes sont ouvertes.
mail-expired-subject = L'hôte n'a pas répondu à temps
mail-expired-body = L'hôte que vous avez sollicité n'a pas répondu à temps ; les places sont de nouveau libres.
mail-next = Portes ouvertes près de vous en ce moment :
mail-next-none = Aucune autre porte ouverte ne convient pour l'instant ; de nouvelles offres arrivent à mesure que des hôtes s'inscrivent.
mail-arrived-subject = Arrivée confirmée
mail-arrived-guest = Votre arrivée est confirmée. Prenez soin de vous.
mail-arrived-host = L'arrivée de { $name } est confirmée. Merci d'avoir ouvert votre porte.
mail-safe-subject = { $name } est en sécurité
mail-safe-body = { $name } a trouvé un abri et est en sécurité (secteur : { $area }).
mail-safe-why = { $name } nous a demandé de vous prévenir. Nous ne communiquons pas l'adresse.
mail-escalated-subject = Arrivée non confirmée : mise en relation { $id }
mail-escalated-body = { $name } a été accepté·e par un hôte près de { $area } le { $time }, et personne n'a confirmé l'arrivée. Merci de prendre des nouvelles.
mail-unsafe-subject = URGENT : une personne hébergée ne se sent pas en sécurité ({ $id })
mail-unsafe-body = { $name }, hébergé·e près de { $area }, a appuyé sur « Je ne me sens pas en sécurité ». Contactez-la maintenant.
mail-coord-open = Ouvrir la mise en relation
need-trusted = Prévenir un proche que vous êtes en sécurité (facultatif)
need-trusted-hint = Quand votre arrivée est confirmée, nous envoyons un seul message à cette adresse : votre prénom, que vous êtes en sécurité, et au plus le secteur — jamais l'adresse.
need-trusted-email = Son adresse e-mail
need-trusted-consent = J'accepte que Porte Ouverte prévienne une fois cette personne que je suis en sécurité
err-trusted_consent = Cochez la case pour accepter, ou laissez l'adresse vide.
req-unsafe = Je ne me sens pas en sécurité
req-unsafe-hint = Les coordinateurs sont prévenus immédiatement et vont vous contacter. L'hôte n'est pas prévenu.
req-unsafe-send = Alerter les coordinateurs
notice-unsafe = Les coordinateurs ont été alertés.
req-emergency = En danger immédiat ? Appelez le { $numbers }.
coord-alerts = À traiter maintenant
coord-alert-unsafe = Une personne hébergée ne se sent pas en sécurité :
coord-alert-no_arrival = Arrivée non confirmée :
coord-dead = Messages non distribués
coord-retry = Renvoyer
coord-retried = Le message sera renvoyé.
mail-verify-subject = Confirmez votre adresse e-mail
mail-verify-body = Merci d'ouvrir votre porte. Confirmez votre adresse e-mail pour que les personnes hébergées et les coordinateurs puissent faire confiance à vos offres. Le lien fonctionne une fois, pendant deux jours.
mail-verify-open = Confirmer mon adresse
mail-reset-subject = Choisissez un nouveau mot de passe
mail-reset-body = Quelqu'un a demandé à réinitialiser le mot de passe de votre compte Porte Ouverte. Si c'était vous, utilisez ce lien dans l'heure ; il ne fonctionne qu'une fois. Sinon, ignorez ce message : rien ne change.
mail-reset-open = Choisir un nouveau mot de passe
host-forgot = Mot de passe oublié ?
host-unverified = Confirmez votre adresse e-mail : nous vous avons envoyé un lien.
host-resend = Renvoyer le lien
notice-sent = Nous vous avons envoyé un nouveau lien.
notice-verified = Votre adresse e-mail est confirmée. Merci.
notice-already_verified = Votre adresse e-mail est déjà confirmée.
notice-reset = Votre mot de passe est changé ; toutes les autres sessions ont été fermées. Connectez-vous avec le nouveau.
verify-title = Confirmez votre adresse e-mail
verify-submit = Confirmer mon adresse
reset-title = Mot de passe oublié ?
reset-send = M'envoyer un lien
reset-sent = Si un compte correspond à cette adresse, nous lui avons envoyé un lien. Il fonctionne une fois, pendant une heure.
reset-new = Choisissez un nouveau mot de passe
reset-password = Nouveau mot de passe
reset-save = Enregistrer le nouveau mot de passe
reset-again = Demander un nouveau lien
err-link = Ce lien n'est pas valide, a déjà servi ou a expiré.
mail-review-subject = Un hôte a dit oui : un coordinateur vérifie d'abord
mail-review-guest = Un hôte vous a accepté·e. Comme c'est sa première personne accueillie, un coordinateur vérifie la mise en relation avant de vous donner l'adresse ; vous recevrez un autre message très bientôt.
mail-review-coord-subject = Validation nécessaire : première acceptation d'un hôte ({ $id })
mail-review-coord-body = Un hôte près de { $area } a accepté une personne pour la première fois. Vérifiez l'hôte, puis validez la mise en relation pour que les coordonnées soient communiquées.
coord-reviews = Premières acceptations à valider
coord-approve = Valider (communiquer les coordonnées)
coord-review-hint = Les deux parties ont accepté. C'est la première personne de cet hôte : vérifiez l'hôte, puis validez pour communiquer les coordonnées.
coord-reports = Signalements à examiner
coord-report-item = { $kind } { $id } : { $reason }
coord-dismiss = Classer
coord-uphold = Retenir
coord-risks = Hôtes à surveiller
coord-risk-item = Hôte { $id } : { $late ->
        [one] { $late } arrivée jamais confirmée
       *[other] { $late } arrivées jamais confirmées
    }, { $cancelled ->
        [one] { $cancelled } annulation
       *[other] { $cancelled } annulations
    } après acceptation
coord-host = Hôte
coord-level-none = Non vérifié
coord-level-email = Adresse e-mail confirmée
coord-level-coordinator = Identité vue par un coordinateur
coord-suspended = Suspendu : ne peut plus se connecter ; offres masquées.
coord-verify_identity = J'ai vu sa pièce d'identité
coord-suspend = Suspendre
coord-reinstate = Lever la suspension
report-title = Signaler
report-reason = Quel est le problème ?
report-asks_money = Demande de l'argent (l'hébergement est toujours gratuit)
report-unsafe = Me met mal à l'aise
report-inappropriate = Inapproprié
report-fake = Faux ou trompeur
report-other = Autre chose
report-details = Détails (facultatif)
report-send = Envoyer le signalement aux coordinateurs
req-block = Ne plus me montrer cet hôte
notice-reported = Merci. Les coordinateurs vont examiner le signalement.
notice-already_reported = Vous l'avez déjà signalé ; les coordinateurs vont l'examiner.
notice-report_invalid = Choisissez le problème, et gardez les détails sous 1 000 caractères, avant d'envoyer le signalement.
seen-title = Qui a vu vos coordonnées
seen-host = l'hôte
seen-guest = la personne accueillie
seen-coordinator = un coordinateur
seen-reason = motif donné :
coord-suggest = Proposer des affectations pour toutes les personnes en attente
coord-suggest-totals = Cela héberge { $people } { $waiting ->
        [one] sur { $waiting } personne
       *[other] des { $waiting } personnes
    } en attente, { $km } km au total (en proposant au plus proche dans l'ordre d'attente : { $gpeople ->
        [one] { $gpeople } personne
       *[other] { $gpeople } personnes
    }, { $gkm } km).
coord-suggest-bound = { $people_shown } { $people ->
        [one] personne hébergée
       *[other] personnes hébergées
    } sur { $bound_shown } au plus.
coord-suggest-exact = Aucune affectation n'héberge plus de personnes, ni autant sur une distance totale plus courte : c'est prouvé.
coord-suggest-proven = Aucune affectation n'héberge plus de personnes : c'est prouvé.
coord-suggest-unproven = Optimalité non prouvée : { $gap ->
        [one] au plus une personne de plus pourrait être hébergée.
       *[other] au plus { $gap_shown } personnes de plus pourraient être hébergées.
    }
coord-suggest-none = Aucune demande en attente ne correspond à une offre ouverte pour l'instant.
coord-suggest-guest = Personne (nombre)
coord-suggest-from = En attente à
coord-suggest-to = Offre
coord-suggest-distance = Distance
coord-suggest-send = { $n ->
        [one] Envoyer cette proposition
       *[other] Envoyer ces { $n } propositions
    } (les deux parties doivent accepter)
coord-sent = Les propositions ont été envoyées ; chaque partie doit accepter.
mail-closed-subject = { $name } : l'urgence est terminée
mail-closed-host = Les coordinateurs ont clôturé « { $name } ». Votre offre est close ; merci d'avoir ouvert votre porte.
mail-closed-guest = Les coordinateurs ont clôturé « { $name } ». Votre demande est close. Si vous avez encore besoin d'un abri, appelez les numéros d'urgence ou refaites une demande.
mail-closed-host-guest = Les coordinateurs ont clôturé « { $name } ». La demande de la personne que vous aviez acceptée pour cet événement est close elle aussi : vos places sont de nouveau libres pour d'autres personnes.
mail-closed-retention = Les informations personnelles données (noms, coordonnées, adresses) seront supprimées dans { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    }.
incident-title = Incidents
incident-none = Aucun incident pour l'instant. Hors incident, la plateforme fonctionne dans son mode permanent.
incident-open = ouvert
incident-closed = clôturé
incident-until = Fin prévue { $time }
incident-radius = Zone : { $km } km autour du centre
incident-numbers = Numéros d'urgence : { $numbers }
incident-purge = Données personnelles supprimées après le { $time }
incident-summary = Ce qui reste :
incident-close = Clôturer l'incident
incident-new = Ouvrir un incident
incident-name = Nom (par exemple : Paris, 13 novembre)
incident-place = Centre : ville, quartier ou code postal
incident-radius_km = Rayon en km (0,1 à 200)
incident-hours = Durée prévue, en heures
incident-emergency = Numéros d'urgence, séparés par des virgules
incident-rules = Règles de protection
incident-rule-women = Offres « femmes uniquement » seulement d'hôtes dont un coordinateur a vu l'identité
incident-rule-children = Familles avec enfants seulement chez de tels hôtes
incident-rule-review = La première acceptation d'un hôte attend la validation d'un coordinateur
incident-open_button = Ouvrir l'incident
err-radius = Entrez un rayon de 0,1 à 200 km.
err-incident_hours = Entrez un nombre d'heures de 1 à 2160.
err-incident_name = Entrez un nom (2 à 120 caractères).
err-emergency_numbers = Entrez un à cinq numéros, chiffres uniquement.
coord-done_generic = C'est fait.
coord-accept_median = Minutes de la demande à l'acceptation (médiane)
coord-accept_p90 = Minutes de la demande à l'acceptation (90e centile)
coord-unconfirmed = Arrivées non confirmées à temps
coord-unsafe_flags = Alertes « je ne me sens pas en sécurité »
coord-map = Offre et demande
coord-map-alt = Carte : disques verts pour les places libres, rouges pour les personnes en attente ; le tableau ci-dessous donne les mêmes chiffres par secteur.
coord-areas = Par secteur, plus grand manque d'abord
coord-area = Secteur
coord-people_waiting = Personnes en attente
coord-exports = Exports
coord-export-offers = Offres (CSV)
coord-export-requests = Demandes (CSV)
coord-export-personal = avec les données personnelles — consigné dans le journal d'audit
coord-export-hxl = Offre et demande par secteur, pour les partenaires (CSV avec mots-dièse HXL)
coord-export-pfif = Personnes signalées en sécurité, pour les registres de personnes disparues (PFIF 1.4)
safe-title = Mon proche est-il en sécurité ?
safe-intro = Les personnes qui nous ont demandé un abri ont pu accepter d'être retrouvées par leur nom complet. Nous disons seulement si elles ont été signalées en sécurité, et quand — jamais où, ni chez qui.
safe-name = Son nom complet
safe-search = Rechercher
safe-yes = { $name } a été signalé·e en sécurité et à l'abri le { $time }.
safe-no = Nous n'avons pas de signalement de { $name } en sécurité. Cela ne veut pas dire que quelque chose va mal : la plupart des gens n'utilisent pas ce service, ou n'ont pas accepté d'être retrouvés.
err-safe_name = Entrez un nom complet de 2 à 120 caractères.
need-findable = Permettre à vos proches de savoir que vous êtes en sécurité (facultatif)
need-findable-hint = Quiconque cherche exactement ce nom complet sur notre page « Mon proche est-il en sécurité ? » apprend seulement si vous avez été signalé·e en sécurité, et quand — jamais où.
need-findable-name = Votre nom complet
need-findable-consent = J'accepte d'être retrouvé·e par ce nom
err-findable_name = Entrez votre nom complet (2 à 120 caractères).
err-findable_consent = Cochez la case pour accepter, ou laissez le nom vide.
landing-safe = Mon proche est-il en sécurité ?
host-free = L'hébergement est toujours gratuit : demander de l'argent à une personne accueillie enfreint les conditions, et elle peut le signaler.
mail-paused-subject = Accueillez-vous toujours cette nuit ?
mail-paused-unanswered = Une demande de vos places est restée sans réponse : nous avons mis votre offre en pause pour que personne d'autre n'attende.
mail-paused-declines = Vous avez refusé plusieurs demandes d'affilée : nous avons mis votre offre en pause, on ne vous sollicitera plus pour l'instant.
mail-paused-body = Si vous pouvez encore accueillir cette nuit, rouvrez votre offre en un clic. Sinon, vous n'avez rien à faire. Merci.
mail-paused-open = Oui, j'accueille toujours
host-paused-unanswered = Nous avons mis cette offre en pause : une demande est restée sans réponse. Accueillez-vous toujours cette nuit ?
host-paused-declines = Nous avons mis cette offre en pause après plusieurs refus d'affilée. Accueillez-vous toujours cette nuit ?
host-paused-yes = Oui, j'accueille toujours cette nuit
need-auto = Laissez-nous demander pour vous
need-auto-consent = Porte Ouverte peut envoyer ma demande aux hôtes suivants qui conviennent quand une demande échoue ou qu'une porte s'ouvre ; personne ne voit mes coordonnées avant que je dise oui à un hôte.
req-behalf-asked = Nous avons demandé à cet hôte pour vous. Il a jusqu'à { $time } pour répondre.
req-behalf-agree = Oui, j'irais là-bas
req-behalf-skip = Pas celui-ci
req-behalf-yes = Cet hôte a dit oui !
req-behalf-confirm = Dites oui avant { $time } pour obtenir l'adresse et le contact ; rien de vous n'est partagé avant.
coord-paused = Offres mises en pause par la plateforme
coord-paused-hint = Leur hôte ne répond plus ; elles reviennent quand l'hôte confirme qu'il accueille toujours.
coord-paused-unanswered = { $area } : une réservation a expiré sans réponse (en pause depuis { $since })
coord-paused-declines = { $area } : plusieurs refus d'affilée (en pause depuis { $since })
## Alertes Web Push : ni nom, ni coordonnées, ni lieu (l'écran verrouillé les affiche)
push-on = M'alerter sur ce téléphone
push-off = Arrêter les alertes sur ce téléphone
push-done = Alertes activées : ce téléphone affichera une notification à chaque changement.
push-stopped = Alertes désactivées sur ce téléphone.
push-denied = Les notifications sont bloquées pour ce site dans les réglages du navigateur.
push-failed = Impossible d'activer les alertes. La page fonctionne sans : revenez-y.
push-proposal-title = Nouvelle demande pour { $n }
push-proposal-body = Une personne demande { $n ->
        [one] { $n } place
       *[other] { $n } places
    }, réservées jusqu'à { $time }. Répondez sur votre page.
push-invited-title = Un hôte vous invite
push-invited-body = Un hôte vous propose { $n ->
        [one] { $n } place
       *[other] { $n } places
    }, réservées jusqu'à { $time }. Ouvrez votre page pour répondre.
push-accepted-title = Votre place est confirmée
push-accepted-body = L'hôte a dit oui. Ouvrez votre page pour l'adresse et le moyen de le joindre.
push-revealed-title = Mise en relation confirmée
push-revealed-body = Les deux côtés ont accepté : les coordonnées sont sur votre page.
push-declined-title = Pas de place cette fois
push-declined-body = L'hôte ne peut pas vous accueillir. D'autres portes sont ouvertes : voyez votre page.
push-expired-guest-title = Pas de réponse à temps
push-expired-guest-body = Les places réservées pour vous sont de nouveau libres. Voyez votre page pour d'autres portes.
push-expired-host-title = Une proposition a expiré
push-expired-host-body = Une proposition est restée sans réponse ; les places sont de nouveau libres.
push-paused-title = Accueillez-vous toujours cette nuit ?
push-paused-body = Nous avons mis votre offre en pause. Un geste suffit pour la rouvrir.
live-refresh = Actualiser
live-updated = La page a été mise à jour.
live-self-update-on = Mettre à jour cette page toute seule toutes les { $seconds } secondes
live-self-update-off = Arrêter la mise à jour automatique de cette page
busy-title = Trop de monde en même temps
busy-text = Trop de personnes utilisent Porte Ouverte en ce moment. Réessayez dans { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } secondes
    } : revenez en arrière et envoyez à nouveau le formulaire (ce que vous avez écrit est gardé), ou rechargez la page.
busy-danger = Si vous êtes en danger, appelez le { $numbers }.
req-add-details = Ajouter des détails à ma demande : besoins, langues, un proche à prévenir
req-details-title = Ajouter des détails à votre demande
req-details-intro = Tout est facultatif ici. Les hôtes voient vos besoins, vos langues et vos remarques ; votre proche à prévenir et le nom sous lequel on peut vous retrouver ne leur sont jamais montrés.
req-details-save = Enregistrer ces détails
req-details-back = Revenir à ma demande
notice-details_saved = Vos détails sont enregistrés.
notice-request_closed = Cette demande est terminée : ses détails ne peuvent plus changer.

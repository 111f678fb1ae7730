//! The operations of the API, one line per route of `web::api::routes` (a
//! test compares the two sets): each one's method, path, body, answer and
//! the traits that decide its errors.

use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::schema::Type;

/// Who may call an operation, which decides the errors it can answer.
#[derive(Clone, Copy, PartialEq)]
pub enum Auth {
    /// nobody needs a token
    None,
    /// a bearer token: an account's, a request's, or a coordinator's
    Bearer,
    /// a token is read when there is one (anonymous reports)
    Optional,
}

/// One operation of the table.
pub struct Op {
    pub method: HttpMethod,
    pub path: &'static str,
    pub(super) id: &'static str,
    pub(super) tag: &'static str,
    pub(super) summary: &'static str,
    pub(super) auth: Auth,
    pub(super) body: Option<&'static str>,
    pub(super) ok: u16,
    /// `None`: no body; else (media type, schema name or "" for text)
    pub(super) ok_body: Option<(&'static str, &'static str)>,
    pub(super) query: &'static [(&'static str, Type, &'static str)],
    pub(super) conflict: bool,
    pub(super) limited: bool,
    /// answers 401 to a wrong password, without any token
    pub(super) password: bool,
}

fn op(method: HttpMethod, path: &'static str, id: &'static str, summary: &'static str) -> Op {
    let tag = path
        .trim_start_matches("/api/v1/")
        .split('/')
        .next()
        .unwrap_or_default();
    Op {
        method,
        path,
        id,
        tag: if path.starts_with("/api/") {
            tag
        } else {
            "operations"
        },
        summary,
        auth: Auth::Bearer,
        body: None,
        ok: 200,
        ok_body: None,
        query: &[],
        conflict: false,
        limited: false,
        password: false,
    }
}

impl Op {
    fn open(mut self) -> Self {
        self.auth = Auth::None;
        self
    }
    fn optional_token(mut self) -> Self {
        self.auth = Auth::Optional;
        self
    }
    fn body(mut self, schema: &'static str) -> Self {
        self.body = Some(schema);
        self
    }
    fn json(mut self, status: u16, schema: &'static str) -> Self {
        self.ok = status;
        self.ok_body = Some(("application/json", schema));
        self
    }
    fn text(mut self, media: &'static str) -> Self {
        self.ok_body = Some((media, ""));
        self
    }
    fn empty(mut self, status: u16) -> Self {
        self.ok = status;
        self
    }
    fn query(mut self, q: &'static [(&'static str, Type, &'static str)]) -> Self {
        self.query = q;
        self
    }
    /// the operation changes state: it can conflict with another change
    fn conflicts(mut self) -> Self {
        self.conflict = true;
        self
    }
    fn checks_password(mut self) -> Self {
        self.password = true;
        self
    }
    fn rate_limited(mut self) -> Self {
        self.limited = true;
        self
    }
}

const SEARCH: &[(&str, Type, &str)] = &[
    ("limit", Type::Integer, "how many, 1 to 50 (default 10)"),
    (
        "radius_km",
        Type::Number,
        "search radius in km (default 10)",
    ),
];

/// Every operation: one per route of `web::api::routes` and of the operators' endpoints.
#[rustfmt::skip] // a table: one line per route reads best
pub fn operations() -> Vec<Op> {
    use HttpMethod::{Delete, Get, Patch, Post};
    let status_q: &'static [(&str, Type, &str)] = &[("status", Type::String, "only this status")];
    vec![
        op(Post, "/api/v1/accounts", "createAccount", "Sign up as a host")
            .open().body("NewAccount").json(201, "AccountView").conflicts().rate_limited(),
        op(Get, "/api/v1/accounts/me", "getMe", "The caller's account").json(200, "AccountView"),
        op(Get, "/api/v1/accounts/me/seen-by", "hostSeenBy", "Who has seen this host's contact details")
            .json(200, "SeenByList"),
        op(Get, "/api/v1/requests/{id}/seen-by", "requestSeenBy", "Who has seen this guest's contact details")
            .json(200, "SeenByList"),
        op(Post, "/api/v1/accounts/verify", "verifyEmail", "Confirm an e-mail address (the mailed link)")
            .open().body("EmailToken").empty(204).conflicts(),
        op(Post, "/api/v1/accounts/me/verification", "resendVerification", "Mail a new verification link")
            .json(202, "StatusMessage").conflicts().rate_limited(),
        op(Post, "/api/v1/password-resets", "requestPasswordReset", "Mail a password reset link")
            .open().body("ResetRequest").json(202, "StatusMessage").rate_limited(),
        op(Post, "/api/v1/password-resets/confirm", "confirmPasswordReset", "Set a new password with a reset link")
            .open().body("ResetConfirm").empty(204).conflicts().rate_limited(),
        op(Post, "/api/v1/tokens", "login", "Log in: an account token")
            .open().body("Credentials").json(201, "TokenView").rate_limited().checks_password(),
        op(Delete, "/api/v1/tokens/current", "logout", "Log out: this token stops working").empty(204),
        op(Post, "/api/v1/offers", "createOffer", "Offer places").body("NewOffer").json(201, "OfferOwnerView"),
        op(Get, "/api/v1/offers", "listOffers", "The caller's offers").json(200, "OfferList"),
        op(Get, "/api/v1/offers/{id}", "getOffer", "One offer: everything for its host, the redacted view for a coordinator").json(200, "OfferView"),
        op(Patch, "/api/v1/offers/{id}", "patchOffer", "Change an offer")
            .body("OfferPatch").json(200, "OfferOwnerView").conflicts(),
        op(Get, "/api/v1/offers/{id}/matches", "offerMatches", "The offer's matches")
            .query(status_q).json(200, "MatchList"),
        op(Post, "/api/v1/offers/{id}/resume", "resumeOffer", "Still hosting tonight: reopen a paused offer")
            .json(200, "OfferOwnerView").conflicts(),
        op(Post, "/api/v1/offers/{id}/matches", "inviteGuest", "Invite a waiting guest (host consent given)")
            .body("RequestRef").json(201, "MatchView").conflicts(),
        op(Get, "/api/v1/offers/{id}/nearby-requests", "nearbyRequests", "Waiting requests this offer could take")
            .query(SEARCH).json(200, "NearbyList"),
        op(Post, "/api/v1/requests", "createRequest", "Ask for a place (no account): the answer holds the access token")
            .open().body("NewRequest").json(201, "RequestView").rate_limited(),
        op(Get, "/api/v1/requests/{id}", "getRequest", "The request, its status and its matches")
            .json(200, "RequestView"),
        op(Patch, "/api/v1/requests/{id}", "addRequestDetails", "Add what was left out: needs, languages, notes, a trusted contact, being findable")
            .body("RequestDetails").json(200, "RequestView").conflicts(),
        op(Get, "/api/v1/requests/{id}/candidates", "candidates", "Offers that fit, best first")
            .query(SEARCH).json(200, "CandidateList"),
        op(Post, "/api/v1/requests/{id}/matches", "askHost", "Ask a host (guest consent given; places held)")
            .body("OfferRef").json(201, "MatchView").conflicts(),
        op(Post, "/api/v1/requests/{id}/cancel", "cancelRequest", "Withdraw the request; frees every hold")
            .json(200, "RequestView").conflicts(),
        op(Get, "/api/v1/matches/{id}", "getMatch", "One match; contacts once both consented").json(200, "MatchView"),
        op(Post, "/api/v1/matches/{id}/accept", "acceptMatch", "Consent").json(200, "MatchView").conflicts(),
        op(Post, "/api/v1/matches/{id}/decline", "declineMatch", "Decline").json(200, "MatchView").conflicts(),
        op(Post, "/api/v1/matches/{id}/cancel", "cancelMatch", "Cancel").json(200, "MatchView").conflicts(),
        op(Post, "/api/v1/matches/{id}/arrived", "confirmArrival", "The guest arrived safe")
            .json(200, "MatchView").conflicts(),
        op(Post, "/api/v1/matches/{id}/unsafe", "flagUnsafe", "I feel unsafe (the guest's token only)")
            .json(200, "UnsafeFlagged").conflicts(),
        op(Get, "/api/v1/push/key", "pushKey", "The key browsers subscribe with").open().json(200, "PushKey"),
        op(Post, "/api/v1/push/subscriptions", "subscribePush", "Opt in to alerts on this browser")
            .body("PushSubscription").json(201, "SubscriptionView"),
        op(Delete, "/api/v1/push/subscriptions", "unsubscribePush", "Opt out").body("PushEndpoint").empty(204),
        op(Post, "/api/v1/reports", "report", "Report an offer, a host or a guest (a token is optional)")
            .optional_token().body("NewReport").json(201, "ReportView").rate_limited(),
        op(Post, "/api/v1/requests/{id}/blocks", "blockHost", "Never see this host again")
            .body("OfferRef").json(201, "Blocked"),
        op(Get, "/api/v1/coordination/accounts/{id}", "hostStatus", "A host's verification and reports")
            .json(200, "HostStatusView"),
        op(Post, "/api/v1/coordination/accounts/{id}/verify-identity", "verifyIdentity", "Identity checked by a coordinator")
            .json(200, "HostStatusView").conflicts(),
        op(Post, "/api/v1/coordination/accounts/{id}/suspend", "suspendHost", "Suspend a host")
            .json(200, "HostStatusView").conflicts(),
        op(Post, "/api/v1/coordination/accounts/{id}/reinstate", "reinstateHost", "Lift a suspension")
            .json(200, "HostStatusView").conflicts(),
        op(Post, "/api/v1/coordination/matches/{id}/approve", "approveMatch", "Approve a host's first acceptance")
            .json(200, "MatchView").conflicts(),
        op(Get, "/api/v1/coordination/reviews", "reviews", "Acceptances awaiting approval").json(200, "MatchList"),
        op(Get, "/api/v1/coordination/reports", "openReports", "Reports to review").json(200, "ReportList"),
        op(Post, "/api/v1/coordination/reports/{id}/review", "reviewReport", "Dismiss or uphold a report")
            .body("ReportReview").json(200, "ReportView").conflicts(),
        op(Get, "/api/v1/coordination/risks", "risks", "Hosts to look at, and floods of reports").json(200, "RiskList"),
        op(Post, "/api/v1/coordination/offers/{id}/details", "offerDetails",
            "An offer's address, point, contacts and notes, with a reason (recorded, shown to the host)")
            .body("ReasonBody").json(200, "OfferDetailsView"),
        op(Post, "/api/v1/coordination/requests/{id}/details", "requestDetails",
            "A guest's contacts, notes and point, with a reason (recorded, shown to the guest)")
            .body("ReasonBody").json(200, "RequestDetailsView"),
        op(Get, "/api/v1/coordination/areas", "areas", "Supply and demand per area").json(200, "AreaList"),
        op(Get, "/api/v1/coordination/exports/{kind}", "export",
            "Exports: `offers.csv`, `requests.csv`, `areas-hxl.csv`, `pfif.xml`")
            .query(&[("personal", Type::Boolean, "include personal data (default false)")])
            .text("text/csv"),
        op(Get, "/api/v1/safe", "isSafe", "Is my relative safe? (findable guests only)")
            .open().query(&[("name", Type::String, "the full name, 2 to 120 characters")])
            .json(200, "SafeAnswer").rate_limited(),
        op(Get, "/api/v1/coordination/incidents", "incidents", "Crisis areas").json(200, "IncidentList"),
        op(Post, "/api/v1/coordination/incidents", "openIncident", "Open a crisis area")
            .body("NewIncident").json(201, "IncidentView"),
        op(Get, "/api/v1/coordination/incidents/{id}", "incident", "One crisis area").json(200, "IncidentView"),
        op(Post, "/api/v1/coordination/incidents/{id}/close", "closeIncident", "Close a crisis area")
            .json(200, "IncidentView").conflicts(),
        op(Get, "/api/v1/coordination/suggestions", "suggestions", "Suggested pairs (global matching)")
            .query(&[("radius_km", Type::Number, "0.5 to 50 (default 10)")]).json(200, "SuggestionView"),
        op(Post, "/api/v1/coordination/suggestions", "sendSuggestions", "Send suggested pairs as proposals")
            .body("Pairs").json(200, "SentList"),
        op(Get, "/api/v1/coordination/alerts", "alerts", "Unsafe flags, then arrivals not confirmed")
            .json(200, "AlertList"),
        op(Get, "/api/v1/coordination/paused-offers", "pausedOffers", "Offers the platform paused")
            .json(200, "PausedList"),
        op(Get, "/api/v1/coordination/outbox", "outbox", "Mails by status (default `dead`)")
            .query(status_q).json(200, "MailList"),
        op(Post, "/api/v1/coordination/outbox/{id}/retry", "retryMail", "Send a dead mail again")
            .json(202, "StatusMessage").conflicts(),
        op(Get, "/api/v1/coordination/overview", "overview", "Counts and times").json(200, "Overview"),
        op(Get, "/api/v1/coordination/requests", "queue", "Requests by status (default `waiting`), longest wait first")
            .query(&[("status", Type::String, "default waiting"), ("limit", Type::Integer, "1 to 1000 (default 200)")])
            .json(200, "QueueList"),
        op(Post, "/api/v1/coordination/matches", "coordinatorPropose", "Propose a pair that both sides must accept")
            .body("Pair").json(201, "MatchView").conflicts(),
        op(Get, "/api/v1/openapi.json", "openapi", "This document").open().json(200, ""),
        op(Get, "/healthz", "healthz", "The process is up").open().json(200, "StatusMessage"),
        op(Get, "/readyz", "readyz", "The database is reachable").open().json(200, "Ready"),
        op(Get, "/metrics", "metrics", "Prometheus metrics, for `Authorization: Bearer` METRICS_TOKEN only (404 otherwise)")
            .text("text/plain"),
    ]
}

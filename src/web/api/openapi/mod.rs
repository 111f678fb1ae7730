//! The OpenAPI 3.1 document of the JSON API, served at
//! `/api/v1/openapi.json`. Schemas come from the types the handlers
//! serialise (`#[derive(ToSchema)]` beside `Serialize` in `service/`) and
//! from `bodies.rs` (what the handlers read); the operations are the table
//! below, one line per route of `web::api::routes` (a test compares the two
//! tables), with the errors each kind of operation can answer.

pub mod bodies;

use crate::state::AppState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use serde_json::{Value, json};
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{ResponseBuilder, ResponsesBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Ref, Required};

use crate::domain::distance::Band;
use crate::domain::input::FieldError;
use crate::service::accounts::{AccountSummary, AccountView, TokenView};
use crate::service::assignment::{PairView, SentView, SuggestionView, Totals};
use crate::service::audit::SeenBy;
use crate::service::coordination::{AlertView, MailView, MatchCounts, Overview};
use crate::service::details::{OfferDetailsView, RequestDetailsView};
use crate::service::findable::SafeAnswer;
use crate::service::holds::PausedView;
use crate::service::incidents::IncidentView;
use crate::service::oversight::{AreaRow, Timing};
use crate::service::push::SubscriptionView;
use crate::service::safeguarding::{HostStatusView, ReportFloodView, ReportView, RiskView};
use crate::service::views::{
    Area, CandidateView, Consent, GuestReveal, MatchGuestView, MatchOfferView, MatchView,
    NearbyRequestView, NeedsView, OfferCoordView, OfferOwnerView, OfferReveal, OfferView,
    QueueEntryView, RequestView,
};
use bodies::*;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Porte Ouverte API",
        version = "1",
        description = "Shelter matching: hosts offer places, guests ask without an account, \
contact details cross only when both sides consent. JSON in and out; body limit 16 KiB; \
IDs are opaque strings; times are RFC 3339 UTC. Errors are application/problem+json."
    ),
    components(schemas(
        Problem,
        FieldError,
        NewAccount,
        Credentials,
        EmailToken,
        ResetRequest,
        ResetConfirm,
        NewOffer,
        OfferPatch,
        NeedsInput,
        NewRequest,
        OfferRef,
        RequestRef,
        Pair,
        Pairs,
        PushKeys,
        PushSubscription,
        PushEndpoint,
        NewReport,
        ReportReview,
        ReasonBody,
        NewIncident,
        OfferList,
        MatchList,
        NearbyList,
        CandidateList,
        QueueList,
        PausedList,
        AlertList,
        MailList,
        SentList,
        IncidentList,
        AreaList,
        ReportList,
        RiskList,
        SeenByList,
        StatusMessage,
        Blocked,
        UnsafeFlagged,
        PushKey,
        Ready,
        AccountView,
        TokenView,
        AccountSummary,
        PairView,
        SentView,
        SuggestionView,
        Totals,
        SeenBy,
        AlertView,
        MailView,
        MatchCounts,
        Overview,
        SafeAnswer,
        PausedView,
        IncidentView,
        AreaRow,
        Timing,
        SubscriptionView,
        HostStatusView,
        ReportView,
        ReportFloodView,
        OfferDetailsView,
        RequestDetailsView,
        OfferCoordView,
        OfferView,
        RiskView,
        Area,
        CandidateView,
        Consent,
        GuestReveal,
        MatchGuestView,
        MatchOfferView,
        MatchView,
        NearbyRequestView,
        NeedsView,
        OfferOwnerView,
        OfferReveal,
        QueueEntryView,
        RequestView,
        Band
    ))
)]
struct Doc;

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
    id: &'static str,
    tag: &'static str,
    summary: &'static str,
    auth: Auth,
    body: Option<&'static str>,
    ok: u16,
    /// `None`: no body; else (media type, schema name or "" for text)
    ok_body: Option<(&'static str, &'static str)>,
    query: &'static [(&'static str, Type, &'static str)],
    conflict: bool,
    limited: bool,
    /// answers 401 to a wrong password, without any token
    password: bool,
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

/// Every operation, in the order of `web::api::routes`, then operations.
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

fn problem(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

fn operation(o: &Op) -> utoipa::openapi::path::Operation {
    let mut b = OperationBuilder::new()
        .operation_id(Some(o.id))
        .summary(Some(o.summary))
        .tag(o.tag);
    for seg in o.path.split('/') {
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            b = b.parameter(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
            );
        }
    }
    for (name, ty, desc) in o.query {
        b = b.parameter(
            ParameterBuilder::new()
                .name(*name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(*desc))
                .schema(Some(ObjectBuilder::new().schema_type(ty.clone()))),
        );
    }
    if let Some(schema) = o.body {
        b = b.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(schema)))
                        .build(),
                )
                .build(),
        ));
    }
    b = match o.auth {
        Auth::None => b.securities(Some(Vec::new())),
        Auth::Bearer => b.security(SecurityRequirement::new("bearer", Vec::<String>::new())),
        Auth::Optional => b
            .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
            .security(SecurityRequirement::default()),
    };
    let mut ok = ResponseBuilder::new().description("success");
    match o.ok_body {
        None => {}
        Some((media, "")) if media == "application/json" => {
            ok = ok.content(
                media,
                ContentBuilder::new()
                    .schema(Some(ObjectBuilder::new()))
                    .build(),
            );
        }
        Some((media, "")) => {
            let text = ObjectBuilder::new().schema_type(Type::String);
            ok = ok.content(media, ContentBuilder::new().schema(Some(text)).build());
        }
        Some((media, schema)) => {
            let c = ContentBuilder::new().schema(Some(Ref::from_schema_name(schema)));
            ok = ok.content(media, c.build());
        }
    }
    // exports answer CSV or XML by kind
    if o.id == "export" {
        let text = || {
            ContentBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build()
        };
        ok = ok
            .content("text/csv", text())
            .content("application/xml", text());
    }
    let mut r = ResponsesBuilder::new().response(o.ok.to_string(), ok.build());
    let mut errors: Vec<(u16, &str)> = Vec::new();
    if o.body.is_some() || !o.query.is_empty() {
        errors.push((400, "malformed JSON or query string"));
    }
    if o.auth != Auth::None {
        errors.push((401, "no token, or an unknown or expired one"));
        errors.push((403, "this token may not do this"));
    } else if o.password {
        errors.push((401, "wrong e-mail address or password"));
    }
    if o.auth != Auth::None || o.path.contains('{') || o.body.is_some() {
        errors.push((404, "not found, or not yours"));
    }
    if o.conflict || o.body.is_some() && o.auth != Auth::None {
        errors.push((409, "the state or the places changed"));
    }
    if o.body.is_some() {
        errors.push((413, "body over 16 KiB"));
        errors.push((415, "not application/json"));
    }
    if o.body.is_some() || !o.query.is_empty() {
        errors.push((422, "a field is invalid (see errors)"));
    }
    if o.limited {
        errors.push((429, "too many requests (see Retry-After)"));
    }
    if sheds(o) {
        errors.push((
            503,
            "too many requests of this kind at once (`overloaded`), or the database is unavailable (see Retry-After)",
        ));
    } else if !matches!(o.id, "openapi" | "healthz" | "pushKey") {
        errors.push((503, "the database is unavailable (see Retry-After)"));
    }
    for (status, why) in errors {
        r = r.response(status.to_string(), problem(why));
    }
    b.responses(r.build()).build()
}

/// Whether admission control may shed the operation (`web::admission`).
fn sheds(o: &Op) -> bool {
    use actix_web::http::Method;
    let method = match o.method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Put => Method::PUT,
        _ => Method::OPTIONS,
    };
    crate::web::admission::classify(&method, Some(o.path)).is_some()
}

/// The whole document, as JSON.
pub fn document() -> Value {
    let mut doc = Doc::openapi();
    for o in operations() {
        doc.paths
            .add_path_operation(o.path, vec![o.method.clone()], operation(&o));
    }
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "an account token (POST /tokens) or a request's access_token",
                ))
                .build(),
        ),
    );
    let mut doc = serde_json::to_value(doc).unwrap_or_default();
    optional_flattened(&mut doc);
    doc
}

/// `#[serde(flatten, skip_serializing_if = "Option::is_none")]` (the
/// contacts of a match, present once both consented) comes out of utoipa as
/// `allOf: [{oneOf: [null, X]}, …]`, which no object satisfies unless it
/// has all of X: say instead that X's fields may be there.
fn optional_flattened(doc: &mut Value) {
    let schemas = doc["components"]["schemas"].clone();
    let Some(map) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    for s in map.values_mut() {
        let Some(parts) = s.get_mut("allOf").and_then(Value::as_array_mut) else {
            continue;
        };
        for p in parts.iter_mut() {
            let flattened = match p["oneOf"].as_array().map(Vec::as_slice) {
                Some([null, r]) if null["type"] == "null" => r["$ref"].as_str().map(str::to_owned),
                _ => None,
            };
            if let Some(r) = flattened {
                let name = r.rsplit('/').next().unwrap_or_default();
                *p = json!({
                    "type": "object",
                    "description": format!("the fields of {name}, once both sides consented"),
                    "properties": schemas[name]["properties"].clone(),
                });
            }
        }
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn serve(_state: Data<AppState>) -> HttpResponse {
    static JSON: OnceLock<String> = OnceLock::new();
    let body = JSON.get_or_init(|| document().to_string());
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body.as_str())
}

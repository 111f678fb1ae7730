//! The OpenAPI 3.1 document of the JSON API, served at
//! `/api/v1/openapi.json`. Schemas come from the types the handlers
//! serialise (`#[derive(ToSchema)]` beside `Serialize` in `service/`) and
//! from `bodies.rs` (what the handlers read); the operations are a table
//! (`table.rs`), one line per route of `web::api::routes` (a test compares
//! the two tables), each made an OpenAPI operation with the errors its kind
//! can answer (`operation.rs`). This file lists the schemas and assembles
//! the document.

pub mod bodies;
mod operation;
mod table;

use crate::state::AppState;
use actix_web::HttpResponse;
use actix_web::web::Data;
use serde_json::{Value, json};
use std::sync::OnceLock;
pub use table::{Auth, Op, operations};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::domain::distance::Band;
use crate::domain::input::FieldError;
use crate::service::accounts::{AccountSummary, AccountView, TokenView};
use crate::service::assignment::{
    Certificate, PairView, SentView, SolveMethod, SuggestionView, Totals,
};
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
        RequestDetails,
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
        Certificate,
        SolveMethod,
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

/// The whole document, as JSON.
pub fn document() -> Value {
    let mut doc = Doc::openapi();
    for o in operations() {
        doc.paths
            .add_path_operation(o.path, vec![o.method.clone()], operation::operation(&o));
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

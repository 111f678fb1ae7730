//! The shapes the API reads, and the small envelopes it answers with, for
//! the OpenAPI document. Handlers read bodies field by field
//! (`domain::input::Fields`, which refuses unknown fields: hence
//! `deny_unknown_fields`, which the document states as
//! `additionalProperties: false`); these structs only describe them.

#![allow(dead_code)]

use crate::domain::input::FieldError;
use crate::service::assignment::SentView;
use crate::service::audit::SeenBy;
use crate::service::coordination::{AlertView, MailView};
use crate::service::holds::PausedView;
use crate::service::incidents::IncidentView;
use crate::service::oversight::AreaRow;
use crate::service::safeguarding::{ReportFloodView, ReportView, RiskView};
use crate::service::views::{
    CandidateView, MatchView, NearbyRequestView, OfferOwnerView, QueueEntryView,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// An error (RFC 9457 problem details), `application/problem+json`.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// `urn:porte-ouverte:problem:{code}`
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// stable, for programs: `validation_failed`, `malformed_request`,
    /// `unauthorized`, `forbidden`, `not_found`, a conflict's own code,
    /// `payload_too_large`, `unsupported_media_type`, `rate_limited`,
    /// `unavailable`, `internal_error`
    pub code: String,
    /// with `validation_failed` only: one entry per field
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "helene@example.org", "password": "correct horse battery", "display_name": "Hélène", "phone": "+33 6 12 34 56 78", "lang": "fr"}))]
pub struct NewAccount {
    pub email: String,
    /// 8 to 128 characters
    pub password: String,
    pub display_name: String,
    pub phone: Option<String>,
    /// the language of the account's mails: `fr` (default) or `en`
    pub lang: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "helene@example.org", "password": "correct horse battery"}))]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailToken {
    /// the token of the mailed link
    pub token: String,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    pub token: String,
    pub password: String,
}

/// A new offer. Times are RFC 3339.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOffer {
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub capacity: i32,
    pub available_from: Option<String>,
    pub available_until: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
    pub accessible: Option<bool>,
    pub pets_ok: Option<bool>,
    pub children_ok: Option<bool>,
    pub women_only: Option<bool>,
    /// language codes such as `fr`, `en`
    pub languages: Option<Vec<String>>,
}

/// A change to an offer: only the fields sent change.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferPatch {
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    pub capacity: Option<i32>,
    pub available_from: Option<String>,
    pub available_until: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
    pub accessible: Option<bool>,
    pub pets_ok: Option<bool>,
    pub children_ok: Option<bool>,
    pub women_only: Option<bool>,
    pub languages: Option<Vec<String>>,
    /// `open`, `paused` or `closed`
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedsInput {
    pub accessible: Option<bool>,
    pub pets: Option<bool>,
    pub children: Option<bool>,
    pub women_only: Option<bool>,
}

/// A guest's request for a place (no account). At least one contact.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lat": 48.8566, "lon": 2.3522, "party_size": 2, "name": "Samira", "contact_phone": "+33 7 00 00 00 01", "needs": {"children": true}, "languages": ["fr", "en"]}))]
pub struct NewRequest {
    pub lat: f64,
    pub lon: f64,
    pub party_size: i32,
    pub name: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub needs: Option<NeedsInput>,
    pub languages: Option<Vec<String>>,
    pub notes: Option<String>,
    /// `fr` (default) or `en`
    pub lang: Option<String>,
    pub trusted_contact_email: Option<String>,
    pub trusted_contact_consent: Option<bool>,
    pub findable_name: Option<String>,
    pub findable_consent: Option<bool>,
    /// the platform may ask hosts for the guest (default false)
    pub auto_ask: Option<bool>,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferRef {
    pub offer_id: String,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestRef {
    pub request_id: String,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub request_id: String,
    pub offer_id: String,
}

/// Suggested pairs to send as proposals (at most 2,000).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pairs {
    pub pairs: Vec<Pair>,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushKeys {
    pub p256dh: String,
    pub auth: String,
}

/// A browser's `PushSubscription.toJSON()`, and the alerts' language.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushSubscription {
    pub endpoint: String,
    #[serde(rename = "expirationTime")]
    pub expiration_time: Option<i64>,
    pub keys: PushKeys,
    pub lang: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushEndpoint {
    pub endpoint: String,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"target_kind": "offer", "target_id": "off_TF80hbkhm0Cmpr_C", "reason": "fake"}))]
pub struct NewReport {
    /// `offer`, `host` or `guest`
    pub target_kind: String,
    pub target_id: String,
    /// `asks_money`, `unsafe`, `inappropriate`, `fake` or `other`
    pub reason: String,
    pub details: Option<String>,
}

/// What a guest adds to a request after sending it; each field left out
/// stays as it is (`notes: ""` clears the notes).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"needs": {"children": true}, "languages": ["ar"], "trusted_contact_email": "soeur@example.org", "trusted_contact_consent": true}))]
pub struct RequestDetails {
    pub needs: Option<NeedsInput>,
    pub languages: Option<Vec<String>>,
    pub notes: Option<String>,
    pub trusted_contact_email: Option<String>,
    pub trusted_contact_consent: Option<bool>,
    pub findable_name: Option<String>,
    pub findable_consent: Option<bool>,
}

#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportReview {
    pub outcome: crate::domain::states::ReportOutcome,
}

/// Why a coordinator reads a person's details (recorded, shown to them).
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// 3 to 500 characters
    pub reason: String,
}

/// A crisis area: `center` and `radius_km`, or a polygon — either
/// `polygon`, its 3 to 500 vertices as [lat, lon] (closed implicitly), or
/// `area`, a GeoJSON Polygon (RFC 7946: positions [lon, lat], the ring
/// closed, no holes) or a Feature holding one. A polygon must not cross or
/// touch itself.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Crue de la Seine", "center": [48.85, 2.35], "radius_km": 20, "planned_end_at": "2030-01-01T00:00:00Z", "emergency_numbers": ["112"]}))]
pub struct NewIncident {
    pub name: String,
    pub center: Option<Vec<f64>>,
    pub radius_km: Option<f64>,
    pub polygon: Option<Vec<Vec<f64>>>,
    /// a GeoJSON Polygon geometry, e.g. `{"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]}`
    #[schema(value_type = Option<Object>)]
    pub area: Option<Value>,
    pub starts_at: Option<String>,
    pub planned_end_at: String,
    /// an IANA time zone such as `Europe/Paris`
    pub time_zone: Option<String>,
    pub emergency_numbers: Option<Vec<String>>,
    pub rules: Option<Value>,
    pub holds: Option<Value>,
    pub auto_match: Option<bool>,
}

macro_rules! envelope {
    ($name:ident, $field:ident, $item:ty) => {
        #[derive(Serialize, ToSchema)]
        pub struct $name {
            pub $field: Vec<$item>,
        }
    };
}

envelope!(OfferList, offers, OfferOwnerView);
envelope!(MatchList, matches, MatchView);
envelope!(NearbyList, requests, NearbyRequestView);
envelope!(CandidateList, candidates, CandidateView);
envelope!(QueueList, requests, QueueEntryView);
envelope!(PausedList, offers, PausedView);
envelope!(AlertList, alerts, AlertView);
envelope!(MailList, mails, MailView);
envelope!(SentList, results, SentView);
envelope!(IncidentList, incidents, IncidentView);
envelope!(AreaList, areas, AreaRow);
envelope!(ReportList, reports, ReportView);
/// `GET /coordination/risks`: hosts to look at, and sources of many
/// reports within an hour.
#[derive(Serialize, ToSchema)]
pub struct RiskList {
    pub hosts: Vec<RiskView>,
    pub report_floods: Vec<ReportFloodView>,
}
envelope!(SeenByList, seen_by, SeenBy);

#[derive(Serialize, ToSchema)]
pub struct StatusMessage {
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct Blocked {
    pub blocked: bool,
}

#[derive(Serialize, ToSchema)]
pub struct UnsafeFlagged {
    pub flagged: bool,
    pub emergency_numbers: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PushKey {
    /// the VAPID public key, base64url
    pub public_key: String,
}

#[derive(Serialize, ToSchema)]
pub struct Ready {
    pub status: String,
    /// `sqlite` or `postgres`
    pub database: String,
    pub offers_indexed: u64,
}

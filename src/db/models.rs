//! Row structs (what a SELECT returns, what an INSERT writes) and update
//! forms. Values in here have already been validated by the domain types.

use super::schema::*;
use crate::domain::ids::{AccountId, MatchId, OfferId, RequestId};
use crate::domain::matching::{Side, Status};
use crate::domain::states::{OfferStatus, OutboxStatus, RequestStatus, Role};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    pub id: AccountId,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct TokenRow {
    pub token_hash: String,
    pub account_id: AccountId,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = offers)]
pub struct OfferRow {
    pub id: OfferId,
    pub host_id: AccountId,
    pub status: OfferStatus,
    pub capacity: i32,
    pub accepted_places: i32,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub cell: String,
    pub cell_lat: f64,
    pub cell_lon: f64,
    pub available_from: i64,
    pub available_until: i64,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
    pub accessible: bool,
    pub pets_ok: bool,
    pub children_ok: bool,
    pub women_only: bool,
    pub languages: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// the host's identity was seen by a coordinator
    pub host_verified: bool,
    /// the host is suspended: the offer is out of every search
    pub host_suspended: bool,
    /// hidden after reports until a coordinator reviews it
    pub hidden: bool,
    /// the host's last call, written in batches (see `service::holds`)
    pub host_seen_at: Option<i64>,
    pub answers_accepted: i32,
    pub answers_declined: i32,
    pub holds_expired: i32,
    pub declines_in_row: i32,
    pub answer_ms_avg: Option<i64>,
    /// set with status `paused` when the platform paused the offer
    pub paused_at: Option<i64>,
    pub paused_reason: Option<String>,
}

/// A PATCH of an offer: `None` leaves a column unchanged.
#[derive(Debug, Clone, Default, PartialEq, AsChangeset)]
#[diesel(table_name = offers)]
pub struct OfferChanges {
    pub status: Option<OfferStatus>,
    pub capacity: Option<i32>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    pub cell: Option<String>,
    pub cell_lat: Option<f64>,
    pub cell_lon: Option<f64>,
    pub available_from: Option<i64>,
    pub available_until: Option<i64>,
    pub contact_phone: Option<Option<String>>,
    pub contact_email: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub accessible: Option<bool>,
    pub pets_ok: Option<bool>,
    pub children_ok: Option<bool>,
    pub women_only: Option<bool>,
    pub languages: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = requests)]
pub struct RequestRow {
    pub id: RequestId,
    pub access_token_hash: String,
    pub token_expires_at: i64,
    pub status: RequestStatus,
    pub lat: f64,
    pub lon: f64,
    pub cell: String,
    pub cell_lat: f64,
    pub cell_lon: f64,
    pub party_size: i32,
    pub name: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub need_accessible: bool,
    pub need_pets: bool,
    pub need_children: bool,
    pub need_women_only: bool,
    pub languages: String,
    pub notes: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// the platform may ask hosts on the guest's behalf
    pub auto_ask: bool,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = matches)]
pub struct MatchRow {
    pub id: MatchId,
    pub request_id: RequestId,
    pub offer_id: OfferId,
    pub party_size: i32,
    pub status: Status,
    pub proposed_by: Side,
    pub guest_consent_at: Option<i64>,
    pub host_consent_at: Option<i64>,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub accepted_at: Option<i64>,
    pub arrived_at: Option<i64>,
    /// the platform asked on the guest's behalf: the guest's yes is pending
    pub on_behalf: bool,
    /// when the host was first active after the proposal was made
    pub opened_at: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reveals)]
pub struct RevealRow {
    pub id: String,
    pub match_id: MatchId,
    pub viewer_side: Side,
    pub viewer_account_id: Option<AccountId>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub lang: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub claim: Option<String>,
    pub claimed_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    /// the request or offer the mail is about (for the purge)
    pub about: Option<String>,
}

//! What the API returns. Each view is built for one audience; the public ones
//! have no field that could carry an address, a contact, a host's name or an
//! exact coordinate, so leaking one would take a new field, not a mistake.

use crate::db::models::{MatchRow, OfferRow, RequestRow};
use crate::domain::distance::Band;
use crate::domain::gazetteer::Gazetteer;
use crate::domain::ids::{AccountId, MatchId, OfferId, RequestId};
use crate::domain::matching::{Side, Status};
use crate::domain::ranking::Ranked;
use crate::domain::rfc3339;
use crate::domain::states::{OfferStatus, RequestStatus};
use crate::domain::values::Languages;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Area {
    pub cell: String,
    pub lat: f64,
    pub lon: f64,
    /// The commune or arrondissement nearest the cell centre (never the point).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl Area {
    pub fn at(cell: &str, lat: f64, lon: f64) -> Self {
        Self {
            cell: cell.to_owned(),
            lat,
            lon,
            label: Gazetteer::bundled().label(lat, lon),
        }
    }
    pub fn of_offer(o: &OfferRow) -> Self {
        Self::at(&o.cell, o.cell_lat, o.cell_lon)
    }
    pub fn of_request(r: &RequestRow) -> Self {
        Self::at(&r.cell, r.cell_lat, r.cell_lon)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NeedsView {
    pub accessible: bool,
    pub pets: bool,
    pub children: bool,
    pub women_only: bool,
}

impl NeedsView {
    pub fn of(r: &RequestRow) -> Self {
        Self {
            accessible: r.need_accessible,
            pets: r.need_pets,
            children: r.need_children,
            women_only: r.need_women_only,
        }
    }
}

/// The host's view of their offer: everything.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferOwnerView {
    #[schema(value_type = String)]
    pub id: OfferId,
    pub status: OfferStatus,
    pub capacity: i32,
    pub remaining: i32,
    pub available_from: String,
    pub available_until: String,
    pub area: Area,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub accessible: bool,
    pub pets_ok: bool,
    pub children_ok: bool,
    pub women_only: bool,
    pub languages: Vec<String>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// why the platform paused it ("unanswered", "declines"), and since when
    pub paused_reason: Option<String>,
    pub paused_at: Option<String>,
}

impl OfferOwnerView {
    pub fn of(o: &OfferRow, remaining: i32) -> Self {
        Self {
            id: o.id.clone(),
            status: o.status,
            capacity: o.capacity,
            remaining,
            available_from: rfc3339(o.available_from),
            available_until: rfc3339(o.available_until),
            area: Area::of_offer(o),
            lat: o.lat,
            lon: o.lon,
            address: o.address.clone(),
            contact_phone: o.contact_phone.clone(),
            contact_email: o.contact_email.clone(),
            accessible: o.accessible,
            pets_ok: o.pets_ok,
            children_ok: o.children_ok,
            women_only: o.women_only,
            languages: Languages::from_db(&o.languages).codes(),
            notes: o.notes.clone(),
            created_at: rfc3339(o.created_at),
            updated_at: rfc3339(o.updated_at),
            paused_reason: o.paused_reason.clone(),
            paused_at: o.paused_at.map(rfc3339),
        }
    }
}

/// An offer as a coordinator sees it by default: the cell and what it
/// offers, as the public views show it, with its host's ID; the address,
/// exact point, contacts and notes take
/// `POST /coordination/offers/{id}/details` (recorded, with a reason).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferCoordView {
    #[schema(value_type = String)]
    pub id: OfferId,
    #[schema(value_type = String)]
    pub host_id: AccountId,
    pub status: OfferStatus,
    pub capacity: i32,
    pub remaining: i32,
    pub available_from: String,
    pub available_until: String,
    pub area: Area,
    pub accessible: bool,
    pub pets_ok: bool,
    pub children_ok: bool,
    pub women_only: bool,
    pub languages: Vec<String>,
    pub hidden: bool,
    pub created_at: String,
    pub updated_at: String,
    pub paused_reason: Option<String>,
    pub paused_at: Option<String>,
}

impl OfferCoordView {
    pub fn of(o: &OfferRow, remaining: i32) -> Self {
        Self {
            id: o.id.clone(),
            host_id: o.host_id.clone(),
            status: o.status,
            capacity: o.capacity,
            remaining,
            available_from: rfc3339(o.available_from),
            available_until: rfc3339(o.available_until),
            area: Area::of_offer(o),
            accessible: o.accessible,
            pets_ok: o.pets_ok,
            children_ok: o.children_ok,
            women_only: o.women_only,
            languages: Languages::from_db(&o.languages).codes(),
            hidden: o.hidden,
            created_at: rfc3339(o.created_at),
            updated_at: rfc3339(o.updated_at),
            paused_reason: o.paused_reason.clone(),
            paused_at: o.paused_at.map(rfc3339),
        }
    }
}

/// `GET /offers/{id}`: its host sees everything, a coordinator the
/// redacted view.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum OfferView {
    Owner(OfferOwnerView),
    Coordinator(OfferCoordView),
}

/// A candidate as a guest sees it before any consent.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct CandidateView {
    #[schema(value_type = String)]
    pub offer_id: OfferId,
    pub distance: Band,
    pub area: Area,
    pub remaining: i32,
    pub capacity: i32,
    pub available_until: String,
    pub accessible: bool,
    pub pets_ok: bool,
    pub children_ok: bool,
    pub women_only: bool,
    pub languages: Vec<String>,
}

impl CandidateView {
    pub fn of(r: &Ranked<'_>) -> Self {
        let o = &r.offer;
        Self {
            offer_id: o.id.clone(),
            distance: crate::domain::distance::band_for(r.distance_m),
            area: Area::at(&o.cell.id, o.cell.lat, o.cell.lon),
            remaining: r.remaining,
            capacity: o.capacity,
            available_until: rfc3339(o.available_until),
            accessible: o.accommodates.accessible,
            pets_ok: o.accommodates.pets_ok,
            children_ok: o.accommodates.children_ok,
            women_only: o.accommodates.women_only,
            languages: o.languages.codes(),
        }
    }
}

/// The offer inside a match. `revealed` is filled only once both consented.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MatchOfferView {
    #[schema(value_type = String)]
    pub id: OfferId,
    pub area: Area,
    pub capacity: i32,
    pub available_until: String,
    pub accessible: bool,
    pub pets_ok: bool,
    pub children_ok: bool,
    pub women_only: bool,
    pub languages: Vec<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub revealed: Option<OfferReveal>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferReveal {
    pub address: String,
    /// the commune or arrondissement of the exact point, with its postcode
    /// ("Paris 11e (75011)"), so that an address typed without its town can
    /// still be found
    pub town: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub host_name: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
}

impl OfferReveal {
    /// The address as the guest needs it to get there: what the host typed,
    /// followed by the town unless the host already wrote it (its name or
    /// its postcode).
    pub fn full_address(&self) -> String {
        let Some(town) = &self.town else {
            return self.address.clone();
        };
        let typed = crate::domain::gazetteer::fold(&self.address);
        let (name, postcode) = match town.rsplit_once(" (") {
            Some((n, cp)) => (n, cp.trim_end_matches(')')),
            None => (town.as_str(), ""),
        };
        let named = typed.contains(&crate::domain::gazetteer::fold(name));
        if named || (!postcode.is_empty() && self.address.contains(postcode)) {
            self.address.clone()
        } else {
            format!("{}, {town}", self.address)
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MatchGuestView {
    pub name: String,
    pub party_size: i32,
    pub needs: NeedsView,
    pub languages: Vec<String>,
    pub area: Area,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub revealed: Option<GuestReveal>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GuestReveal {
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Consent {
    pub guest: bool,
    pub host: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MatchView {
    #[schema(value_type = String)]
    pub id: MatchId,
    #[schema(value_type = String)]
    pub request_id: RequestId,
    #[schema(value_type = String)]
    pub offer_id: OfferId,
    pub status: Status,
    pub party_size: i32,
    pub proposed_by: Side,
    /// the platform asked this host for the guest, who has not said yes yet
    pub on_behalf: bool,
    pub consent: Consent,
    pub expires_at: String,
    pub created_at: String,
    pub accepted_at: Option<String>,
    pub arrived_at: Option<String>,
    pub offer: MatchOfferView,
    pub guest: MatchGuestView,
    /// both agreed, but a coordinator approves a host's first acceptance
    /// before contacts are revealed
    pub awaiting_review: bool,
}

impl MatchView {
    /// Builds the view; contacts only when `reveal` (both consented and the
    /// viewer is a party or a coordinator).
    pub fn build(
        m: &MatchRow,
        status: Status,
        o: &OfferRow,
        host_name: &str,
        r: &RequestRow,
        reveal: bool,
    ) -> Self {
        Self {
            id: m.id.clone(),
            request_id: m.request_id.clone(),
            offer_id: m.offer_id.clone(),
            status,
            party_size: m.party_size,
            proposed_by: m.proposed_by,
            on_behalf: m.on_behalf,
            consent: Consent {
                guest: m.guest_consent_at.is_some(),
                host: m.host_consent_at.is_some(),
            },
            expires_at: rfc3339(m.expires_at),
            created_at: rfc3339(m.created_at),
            accepted_at: m.accepted_at.map(rfc3339),
            arrived_at: m.arrived_at.map(rfc3339),
            offer: MatchOfferView {
                id: o.id.clone(),
                area: Area::of_offer(o),
                capacity: o.capacity,
                available_until: rfc3339(o.available_until),
                accessible: o.accessible,
                pets_ok: o.pets_ok,
                children_ok: o.children_ok,
                women_only: o.women_only,
                languages: Languages::from_db(&o.languages).codes(),
                revealed: reveal.then(|| OfferReveal {
                    address: o.address.clone(),
                    town: Gazetteer::bundled()
                        .nearest(o.lat, o.lon, 8_000.0)
                        .map(|p| p.display()),
                    lat: o.lat,
                    lon: o.lon,
                    host_name: host_name.to_owned(),
                    contact_phone: o.contact_phone.clone(),
                    contact_email: o.contact_email.clone(),
                    notes: o.notes.clone(),
                }),
            },
            guest: MatchGuestView {
                name: r.name.clone(),
                party_size: r.party_size,
                needs: NeedsView::of(r),
                languages: Languages::from_db(&r.languages).codes(),
                area: Area::of_request(r),
                revealed: reveal.then(|| GuestReveal {
                    contact_phone: r.contact_phone.clone(),
                    contact_email: r.contact_email.clone(),
                    notes: r.notes.clone(),
                }),
            },
            awaiting_review: false,
        }
    }
}

/// The guest's own request.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequestView {
    #[schema(value_type = String)]
    pub id: RequestId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    pub status: RequestStatus,
    pub party_size: i32,
    pub name: String,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub needs: NeedsView,
    pub languages: Vec<String>,
    pub notes: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub area: Area,
    pub created_at: String,
    pub link_expires_at: String,
    pub matches: Vec<MatchView>,
}

impl RequestView {
    pub fn of(r: &RequestRow, access_token: Option<String>, matches: Vec<MatchView>) -> Self {
        Self {
            id: r.id.clone(),
            access_token,
            status: r.status,
            party_size: r.party_size,
            name: r.name.clone(),
            contact_phone: r.contact_phone.clone(),
            contact_email: r.contact_email.clone(),
            needs: NeedsView::of(r),
            languages: Languages::from_db(&r.languages).codes(),
            notes: r.notes.clone(),
            lat: r.lat,
            lon: r.lon,
            area: Area::of_request(r),
            created_at: rfc3339(r.created_at),
            link_expires_at: rfc3339(r.token_expires_at),
            matches,
        }
    }
}

/// A waiting request as a host sees it near their offer: no name, no
/// contact, no exact point.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NearbyRequestView {
    #[schema(value_type = String)]
    pub request_id: RequestId,
    pub distance: Band,
    pub area: Area,
    pub party_size: i32,
    pub needs: NeedsView,
    pub languages: Vec<String>,
    pub waiting_since: String,
}

/// A waiting request as coordinators see it: the name the guest gave (as a
/// host sees it on a proposal), the cell and the needs; contacts, notes and
/// the exact point take `POST /coordination/requests/{id}/details`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueEntryView {
    #[schema(value_type = String)]
    pub request_id: RequestId,
    pub status: RequestStatus,
    pub name: String,
    pub party_size: i32,
    pub needs: NeedsView,
    pub languages: Vec<String>,
    pub area: Area,
    pub waiting_since: String,
    pub waiting_minutes: i64,
}

//! Hosts' offers: create, read, edit, and the host's side of matching
//! (waiting requests nearby, invitations).

use super::views::{Area, NearbyRequestView, NeedsView, OfferCoordView, OfferOwnerView, OfferView};
use super::{Account, owned_offer};
use crate::db::models::{OfferChanges, OfferRow};
use crate::db::{self, DbConn};
use crate::domain::commands::{NewOffer, OfferPatch};
use crate::domain::distance::band_for;
use crate::domain::ids::OfferId;
use crate::domain::matching::Status;
use crate::domain::privacy::PublicCell;
use crate::domain::ranking::{RequestSnapshot, rank_requests};
use crate::domain::rfc3339;
use crate::domain::states::OfferStatus;
use crate::domain::values::{Capacity, Languages, Needs, Text, Window};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Remaining places from the database: capacity − accepted − live holds.
pub fn remaining(conn: &mut DbConn, o: &OfferRow, now: i64) -> AppResult<i32> {
    let held: i32 = db::matches::live_holds(conn, Some(std::slice::from_ref(&o.id)), now)?
        .iter()
        .map(|m| m.party_size)
        .sum();
    Ok((o.capacity - o.accepted_places - held).max(0))
}

pub fn create(
    state: &AppState,
    conn: &mut DbConn,
    host: &Account,
    new: NewOffer,
) -> AppResult<OfferOwnerView> {
    let now = state.now();
    let NewOffer {
        point,
        address,
        capacity,
        window,
        phone,
        email,
        notes,
        accessible,
        pets_ok,
        children_ok,
        women_only,
        languages: langs,
    } = new;
    let (phone, email) = (
        phone.map(|p| p.as_str().to_owned()),
        email.map(|e| e.as_str().to_owned()),
    );
    let notes = notes.map(Text::into_inner);
    // a guest must be able to reach the host once both consent
    let (phone, email) = if phone.is_none() && email.is_none() {
        let me = db::accounts::by_id(conn, &host.id)?.ok_or(AppError::NotFound)?;
        (me.phone, Some(me.email))
    } else {
        (phone, email)
    };
    let host_verified = db::accounts::safeguarding::state(conn, &host.id)?
        .is_some_and(|(_, identity, _, _)| identity.is_some());
    let cell: PublicCell = state.grid.publish(point, host.id.as_str());
    let row = OfferRow {
        id: OfferId::generate(),
        host_id: host.id.clone(),
        status: OfferStatus::Open,
        capacity: capacity.get(),
        accepted_places: 0,
        lat: point.lat(),
        lon: point.lon(),
        address: address.into_inner(),
        cell: cell.id,
        cell_lat: cell.lat,
        cell_lon: cell.lon,
        available_from: window.from,
        available_until: window.until,
        contact_phone: phone,
        contact_email: email,
        notes,
        accessible,
        pets_ok,
        children_ok,
        women_only,
        languages: langs.to_db(),
        created_at: now,
        updated_at: now,
        host_verified,
        host_suspended: false,
        hidden: false,
        host_seen_at: Some(now),
        answers_accepted: 0,
        answers_declined: 0,
        holds_expired: 0,
        declines_in_row: 0,
        answer_ms_avg: None,
        paused_at: None,
        paused_reason: None,
    };
    state.write_tx(conn, |c| {
        db::offers::insert(c, &row)?;
        super::incidents::place(
            state,
            c,
            super::incidents::Placed::Offer(&row.id),
            row.lat,
            row.lon,
        )?;
        super::audit::record(
            c,
            now,
            host.id.as_str(),
            "offer.create",
            &row.id,
            serde_json::Value::Null,
        )
    })?;
    state.index.apply(std::slice::from_ref(&row), &[], now);
    state.live.touch_offer(&row);
    Ok(OfferOwnerView::of(&row, row.capacity))
}

pub fn list_mine(
    state: &AppState,
    conn: &mut DbConn,
    host: &Account,
) -> AppResult<Vec<OfferOwnerView>> {
    let now = state.now();
    let rows = db::offers::by_host(conn, &host.id)?;
    let ids: Vec<OfferId> = rows.iter().map(|r| r.id.clone()).collect();
    let holds = db::matches::live_holds(conn, Some(&ids), now)?;
    Ok(rows
        .iter()
        .map(|o| {
            let held: i32 = holds
                .iter()
                .filter(|h| h.offer_id == o.id)
                .map(|h| h.party_size)
                .sum();
            OfferOwnerView::of(o, (o.capacity - o.accepted_places - held).max(0))
        })
        .collect())
}

/// One offer: everything for its host, the redacted view for a
/// coordinator (the details are a recorded `POST`, `service::details`).
pub fn get(
    state: &AppState,
    conn: &mut DbConn,
    who: &Account,
    id: &OfferId,
) -> AppResult<OfferView> {
    let o = owned_offer(conn, who, id, false)?;
    let rem = remaining(conn, &o, state.now())?;
    Ok(if o.host_id == who.id.as_str() {
        OfferView::Owner(OfferOwnerView::of(&o, rem))
    } else {
        OfferView::Coordinator(OfferCoordView::of(&o, rem))
    })
}

pub fn patch(
    state: &AppState,
    conn: &mut DbConn,
    host: &Account,
    id: &OfferId,
    patch: OfferPatch,
) -> AppResult<OfferOwnerView> {
    let now = state.now();
    let only_closing = patch.only_closes();
    let OfferPatch {
        status,
        capacity,
        point,
        address,
        available_from: from,
        available_until: until,
        contact_phone,
        contact_email,
        notes,
        accessible,
        pets_ok,
        children_ok,
        women_only,
        languages,
    } = patch;
    let mut changes = OfferChanges {
        status,
        capacity: capacity.map(Capacity::get),
        address: address.map(Text::into_inner),
        contact_phone: contact_phone.map(|p| p.map(|p| p.as_str().to_owned())),
        contact_email: contact_email.map(|e| e.map(|e| e.as_str().to_owned())),
        notes: notes.map(|n| n.map(Text::into_inner)),
        accessible,
        pets_ok,
        children_ok,
        women_only,
        languages: languages.map(|l| l.to_db()),
        ..OfferChanges::default()
    };
    if let Some(p) = point {
        let cell = state.grid.publish(p, host.id.as_str());
        changes.lat = Some(p.lat());
        changes.lon = Some(p.lon());
        changes.cell = Some(cell.id);
        changes.cell_lat = Some(cell.lat);
        changes.cell_lon = Some(cell.lon);
    }
    let row = state.write_tx(conn, |c| {
        owned_offer(c, host, id, true)?;
        let o = db::offers::lock(c, id, now)?.ok_or(AppError::NotFound)?;
        // a closed offer stays closed, and unchanged: closing it again is
        // all that may be asked of it
        if o.status == OfferStatus::Closed && !only_closing {
            return Err(AppError::conflict(
                "offer_closed",
                "this offer is closed; a closed offer stays closed — create a new one",
            ));
        }
        if from.is_some() || until.is_some() {
            let (fr, un) = (
                from.unwrap_or(o.available_from),
                until.unwrap_or(o.available_until),
            );
            let field = if until.is_some() {
                "available_until"
            } else {
                "available_from"
            };
            let w = Window::new(fr, un, now).map_err(|e| AppError::invalid(field, e.0))?;
            changes.available_from = Some(w.from);
            changes.available_until = Some(w.until);
        }
        if let Some(cap) = changes.capacity {
            let taken = o.capacity - remaining(c, &o, now)?;
            if cap < taken {
                return Err(AppError::conflict(
                    "capacity_below_taken",
                    format!("{taken} places are held or accepted; capacity cannot go below that"),
                ));
            }
        }
        if status == Some(OfferStatus::Closed) {
            cancel_live_proposals(c, id, now)?;
        }
        if status == Some(OfferStatus::Open) && o.status == OfferStatus::Paused {
            // reopening is the host saying they are still hosting
            db::offers::resume(c, id, now)?;
        }
        if let Some(st) = &status {
            super::audit::record(
                c,
                now,
                host.id.as_str(),
                "offer.status",
                id,
                serde_json::json!({ "status": st }),
            )?;
        }
        db::offers::update(c, id, &changes, now)?;
        db::offers::get(c, id)?.ok_or(AppError::NotFound)
    })?;
    state.refresh_offers(conn, std::slice::from_ref(&row.id))?;
    state.live.touch_offer(&row);
    let rem = remaining(conn, &row, now)?;
    Ok(OfferOwnerView::of(&row, rem))
}

pub(crate) fn cancel_live_proposals(c: &mut DbConn, offer_id: &OfferId, now: i64) -> AppResult<()> {
    for mut m in db::matches::live_holds(c, Some(std::slice::from_ref(offer_id)), now)? {
        m.status = Status::Cancelled;
        m.updated_at = now;
        db::matches::save(c, &m)?;
    }
    Ok(())
}

pub fn nearby_requests(
    state: &AppState,
    conn: &mut DbConn,
    host: &Account,
    id: &OfferId,
    radius_km: f64,
    limit: usize,
) -> AppResult<Vec<NearbyRequestView>> {
    let now = state.now();
    let o = owned_offer(conn, host, id, false)?;
    let rem = remaining(conn, &o, now)?;
    let radius_m = radius_km * 1000.0;
    let dlat = radius_m / 111_320.0;
    let dlon = radius_m / (111_320.0 * o.cell_lat.to_radians().cos().max(0.01));
    let rows = db::requests::waiting_in_box(
        conn,
        (o.cell_lat - dlat, o.cell_lat + dlat),
        (o.cell_lon - dlon, o.cell_lon + dlon),
        5000,
    )?;
    let snap = crate::index::snapshot(&o, &[]);
    let reqs: Vec<RequestSnapshot> = rows
        .iter()
        .map(|r| RequestSnapshot {
            id: r.id.clone(),
            cell: PublicCell {
                id: r.cell.clone(),
                lat: r.cell_lat,
                lon: r.cell_lon,
            },
            party_size: r.party_size,
            needs: Needs {
                accessible: r.need_accessible,
                pets: r.need_pets,
                children: r.need_children,
                women_only: r.need_women_only,
            },
            languages: Languages::from_db(&r.languages),
            created_at: r.created_at,
        })
        .collect();
    let ranked = rank_requests(&snap, rem, reqs, radius_m, limit, &state.config.rules());
    Ok(ranked
        .into_iter()
        .filter_map(|rr| {
            let r = rows.iter().find(|r| r.id == rr.request.id)?;
            Some(NearbyRequestView {
                request_id: r.id.clone(),
                distance: band_for(rr.distance_m),
                area: Area::of_request(r),
                party_size: r.party_size,
                needs: NeedsView::of(r),
                languages: Languages::from_db(&r.languages).codes(),
                waiting_since: rfc3339(r.created_at),
            })
        })
        .collect())
}

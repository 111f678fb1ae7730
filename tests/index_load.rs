//! Loading the candidate index at start-up, page by page, on both backends:
//! every open and available offer once, nothing else, whatever the page
//! boundaries fall on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Backend, TestApp};
use diesel::prelude::*;
use porte_ouverte::db::schema::offers;
use porte_ouverte::db::{self, DbConn};
use porte_ouverte::domain::states::OfferStatus;
use std::collections::BTreeSet;

on_both_backends!(
    pages_read_every_open_offer_once,
    a_restart_loads_what_is_open
);

fn all_ids(conn: &mut DbConn) -> Vec<String> {
    offers::table
        .select(offers::id)
        .order(offers::id.asc())
        .load(conn)
        .unwrap()
}

fn set_status(conn: &mut DbConn, id: &str, status: OfferStatus) {
    let n = diesel::update(offers::table.filter(offers::id.eq(id)))
        .set(offers::status.eq(status))
        .execute(conn)
        .unwrap();
    assert_eq!(n, 1);
}

fn set_until(conn: &mut DbConn, id: &str, until: i64) {
    let n = diesel::update(offers::table.filter(offers::id.eq(id)))
        .set(offers::available_until.eq(until))
        .execute(conn)
        .unwrap();
    assert_eq!(n, 1);
}

/// 40 offers; the 7th, 14th, … (the last of each page of 7) are closed or
/// paused, so are all of the third page (a page with nothing to load), and a
/// few others are past their availability.
fn forty_offers_some_not_searchable(app: &TestApp) -> BTreeSet<String> {
    let mut conn = app.state.conn().unwrap();
    porte_ouverte::seed::insert(&app.state, &mut conn, 40, "paris", 3).unwrap();
    let ids = all_ids(&mut conn);
    assert_eq!(ids.len(), 40);
    let mut open = BTreeSet::new();
    for (i, id) in ids.iter().enumerate() {
        if i % 7 == 6 || (14..21).contains(&i) {
            let s = if i % 2 == 0 {
                OfferStatus::Closed
            } else {
                OfferStatus::Paused
            };
            set_status(&mut conn, id, s);
        } else if i % 11 == 3 {
            set_until(&mut conn, id, app.clock.now() - 1);
        } else {
            open.insert(id.clone());
        }
    }
    assert!(open.len() < 30 && open.len() > 20, "{}", open.len());
    open
}

async fn pages_read_every_open_offer_once(b: Backend) {
    let app = TestApp::new(b);
    let open = forty_offers_some_not_searchable(&app);
    let mut conn = app.state.conn().unwrap();
    let now = app.clock.now();
    let (mut seen, mut pages) = (Vec::new(), 0);
    let mut after = String::new();
    loop {
        let page = db::offers::searchable_page(&mut conn, now, &after, 7).unwrap();
        pages += 1;
        assert!(page.open.len() <= 7);
        assert!(
            page.open.iter().all(|r| r.status == OfferStatus::Open),
            "only open offers"
        );
        seen.extend(page.open.iter().map(|r| r.id.to_string()));
        let Some(next) = page.next else { break };
        assert!(next > after, "pages move forward");
        after = next;
    }
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no offer twice");
    assert_eq!(unique, open, "every open, available offer, nothing else");
    assert!(pages >= 5, "several pages were read: {pages}");
}

async fn a_restart_loads_what_is_open(b: Backend) {
    let app = TestApp::new(b);
    let open = forty_offers_some_not_searchable(&app);
    let mut config = app.state.config.clone();
    config.database_url = app.db.url.clone();
    let restarted = porte_ouverte::state::AppState::open(config, app.clock.clone()).unwrap();
    assert_eq!(restarted.index.len(), open.len());
}

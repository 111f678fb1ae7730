//! Helpers of the safeguarding tests: the host of an offer, read from the database.

use crate::common::*;

pub(crate) fn host_of(app: &TestApp, offer_id: &str) -> String {
    let mut c = app.state.conn().unwrap();
    porte_ouverte::db::offers::get(&mut c, &id(offer_id))
        .unwrap()
        .unwrap()
        .host_id
        .into()
}

//! The candidate list: answering hosts first within a band, the index moving forward.

use crate::common::*;
use crate::on_both_backends;
use crate::support::{MIN, PARIS, align, ms};
use actix_web::http::StatusCode;
use serde_json::json;

on_both_backends!(
    answering_hosts_first_but_never_a_band_further,
    a_write_that_waited_for_the_lock_still_moves_the_index_forward,
);

async fn answering_hosts_first_but_never_a_band_further(b: Backend) {
    // pausing off: a host who declined without accepting stays searchable,
    // ranked as one (with pausing on, that decline would pause the offer)
    let app = TestApp::with(b, |c| c.pause_after_declines = 0);
    let svc = app.service().await;
    let (_, h_slow) = sign_up_host(&svc, "slow@example.org").await;
    let (_, h_new) = sign_up_host(&svc, "new@example.org").await;
    let (_, h_far) = sign_up_host(&svc, "far@example.org").await;
    let slow = offer(&svc, &app, &h_slow, PARIS.0, PARIS.1, 2).await;
    let fresh = offer(&svc, &app, &h_new, PARIS.0, PARIS.1, 4).await;
    // 4.4 km north: a present host, but a band (or more) further
    let far = offer(&svc, &app, &h_far, PARIS.0 + 0.04, PARIS.1, 2).await;
    let (g0, t0) = guest(&svc, PARIS.0, PARIS.1, 2).await;
    let m = ask(&svc, &g0, &t0, &slow).await;
    assert_eq!(
        act(&svc, &m.s("id"), "decline", &h_slow).await.status,
        StatusCode::OK
    );
    let (g, t) = guest(&svc, PARIS.0, PARIS.1, 2).await;
    let c = get(&svc, &format!("/api/v1/requests/{g}/candidates"), Some(&t)).await;
    let list: Vec<&str> = c.json["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["offer_id"].as_str().unwrap())
        .collect();
    // the host who declined without ever accepting comes after the new one
    // in the same band (even with the tighter fit), and before the far one
    assert_eq!(
        list,
        vec![fresh.as_str(), slow.as_str(), far.as_str()],
        "{}",
        c.text
    );
    // nothing of it shows: the same fields as before, no score
    assert!(
        !c.text.contains("tier") && !c.text.contains("seen"),
        "{}",
        c.text
    );
}

async fn a_write_that_waited_for_the_lock_still_moves_the_index_forward(b: Backend) {
    let app = TestApp::new(b);
    align(&app);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let a = offer(&svc, &app, &host, PARIS.0, PARIS.1, 2).await;
    let created = app.clock.now();
    // a writer whose clock reading was taken a minute earlier, before it
    // waited for the write lock, commits after a newer write
    app.clock.advance(-MIN);
    let p = patch(
        &svc,
        &format!("/api/v1/offers/{a}"),
        Some(&host),
        json!({"capacity": 4}),
    )
    .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert!(ms(&p.json["updated_at"]) >= created, "{}", p.text);
    // back to the present (the offer is open from its creation on)
    app.clock.advance(MIN);
    let (g, t) = guest(&svc, PARIS.0, PARIS.1, 3).await;
    assert_eq!(
        candidate_ids(&svc, &g, &t).await,
        vec![a.clone()],
        "the index took the newer row"
    );
    // and another instance's sync agrees
    app.state.sync_index().unwrap();
    assert_eq!(candidate_ids(&svc, &g, &t).await, vec![a]);
}

//! Random histories of every action: capacity never over-allocated, contacts after consent only.

use crate::common::*;
use crate::support::{assert_capacity_invariant, runner};
use actix_web::http::StatusCode;
use proptest::prelude::*;
use serde_json::json;

#[derive(Debug, Clone)]
enum Op {
    Propose { guest: usize, offer: usize },
    HostInvite { guest: usize, offer: usize },
    Accept { m: usize, as_host: bool },
    Decline { m: usize },
    Cancel { m: usize },
    Arrive { m: usize },
    CancelRequest { guest: usize },
    Capacity { offer: usize, cap: i64 },
    Wait { minutes: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..6usize, 0..3usize).prop_map(|(guest, offer)| Op::Propose { guest, offer }),
        2 => (0..6usize, 0..3usize).prop_map(|(guest, offer)| Op::HostInvite { guest, offer }),
        4 => (0..12usize, any::<bool>()).prop_map(|(m, as_host)| Op::Accept { m, as_host }),
        1 => (0..12usize).prop_map(|m| Op::Decline { m }),
        1 => (0..12usize).prop_map(|m| Op::Cancel { m }),
        1 => (0..12usize).prop_map(|m| Op::Arrive { m }),
        1 => (0..6usize).prop_map(|guest| Op::CancelRequest { guest }),
        1 => (0..3usize, 1..6i64).prop_map(|(offer, cap)| Op::Capacity { offer, cap }),
        1 => (1..30i64).prop_map(|minutes| Op::Wait { minutes }),
    ]
}

/// Random interleavings of every action: capacity is never over-allocated,
/// and contacts appear in a guest's view exactly when both have consented.
fn capacity_and_consent_hold_for_any_history(b: Backend) {
    let rt = actix_web::rt::System::new();
    let mut runner = runner(b, 16);
    runner
        .run(&prop::collection::vec(op(), 1..40), |ops| {
            rt.block_on(async {
                let app = TestApp::new(b);
                let svc = app.service().await;
                let mut hosts = vec![];
                let mut offer_ids = vec![];
                for i in 0..3 {
                    let (_, h) = sign_up_host(&svc, &format!("h{i}@example.org")).await;
                    offer_ids
                        .push(offer(&svc, &app, &h, 48.85 + 0.002 * f64::from(i), 2.35, 3).await);
                    hosts.push(h);
                }
                let mut guests = vec![];
                for i in 0..6 {
                    guests.push(guest(&svc, 48.85, 2.35, 1 + (i % 3)).await);
                }
                let mut ms: Vec<(String, usize, usize)> = vec![]; // (match, guest, offer)
                for op in ops {
                    let r = match op {
                        Op::Propose { guest: g, offer: o } => {
                            let r = post(
                                &svc,
                                &format!("/api/v1/requests/{}/matches", guests[g].0),
                                Some(&guests[g].1),
                                json!({"offer_id": offer_ids[o]}),
                            )
                            .await;
                            if r.status == StatusCode::CREATED {
                                ms.push((r.s("id"), g, o));
                            }
                            r
                        }
                        Op::HostInvite { guest: g, offer: o } => {
                            let r = post(
                                &svc,
                                &format!("/api/v1/offers/{}/matches", offer_ids[o]),
                                Some(&hosts[o]),
                                json!({"request_id": guests[g].0}),
                            )
                            .await;
                            if r.status == StatusCode::CREATED {
                                ms.push((r.s("id"), g, o));
                            }
                            r
                        }
                        Op::Accept { m, .. } | Op::Decline { m } if m >= ms.len() => continue,
                        Op::Cancel { m } | Op::Arrive { m } if m >= ms.len() => continue,
                        Op::Accept { m, as_host } => {
                            let (id, g, o) = &ms[m];
                            let tok = if as_host { &hosts[*o] } else { &guests[*g].1 };
                            post(
                                &svc,
                                &format!("/api/v1/matches/{id}/accept"),
                                Some(tok),
                                json!({}),
                            )
                            .await
                        }
                        Op::Decline { m } => {
                            post(
                                &svc,
                                &format!("/api/v1/matches/{}/decline", ms[m].0),
                                Some(&hosts[ms[m].2]),
                                json!({}),
                            )
                            .await
                        }
                        Op::Cancel { m } => {
                            post(
                                &svc,
                                &format!("/api/v1/matches/{}/cancel", ms[m].0),
                                Some(&guests[ms[m].1].1),
                                json!({}),
                            )
                            .await
                        }
                        Op::Arrive { m } => {
                            post(
                                &svc,
                                &format!("/api/v1/matches/{}/arrived", ms[m].0),
                                Some(&guests[ms[m].1].1),
                                json!({}),
                            )
                            .await
                        }
                        Op::CancelRequest { guest: g } => {
                            post(
                                &svc,
                                &format!("/api/v1/requests/{}/cancel", guests[g].0),
                                Some(&guests[g].1),
                                json!({}),
                            )
                            .await
                        }
                        Op::Capacity { offer: o, cap } => {
                            patch(
                                &svc,
                                &format!("/api/v1/offers/{}", offer_ids[o]),
                                Some(&hosts[o]),
                                json!({"capacity": cap}),
                            )
                            .await
                        }
                        Op::Wait { minutes } => {
                            app.clock.advance(minutes * 60_000);
                            continue;
                        }
                    };
                    assert!(r.status.as_u16() < 500, "{}: {}", r.status, r.text);
                    assert_capacity_invariant(&app);
                    for (id, g, _) in &ms {
                        let v =
                            get(&svc, &format!("/api/v1/matches/{id}"), Some(&guests[*g].1)).await;
                        let revealed = v.json["offer"].get("address").is_some();
                        let accepted =
                            v.json["status"] == "accepted" || v.json["status"] == "arrived";
                        assert_eq!(revealed, accepted, "{}", v.text);
                        if !accepted {
                            assert_no_secret(&v.text, SECRETS);
                        } else {
                            assert_eq!(v.json["consent"], json!({"guest": true, "host": true}));
                        }
                    }
                }
            });
            Ok(())
        })
        .unwrap();
}

#[test]
fn capacity_and_consent_property_sqlite() {
    capacity_and_consent_hold_for_any_history(Backend::Sqlite);
}

#[test]
fn capacity_and_consent_property_postgres() {
    if postgres_ready() {
        capacity_and_consent_hold_for_any_history(Backend::Postgres);
    }
}

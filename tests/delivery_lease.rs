//! The outbox's lease under a slow relay (issue 11, finding 9): a batch
//! that takes longer than the lease must not let another worker send its
//! rows again. A real SMTP server (aiosmtpd) answers each mail late; two
//! instances' workers race on one database while the clock runs fast.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::smtp::{self, Sink};
use common::*;
use porte_ouverte::mail::{self, transport::Transport};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

on_both_backends!(a_slow_relay_still_gets_each_mail_once);

const MAILS: usize = 12;

async fn a_slow_relay_still_gets_each_mail_once(backend: Backend) {
    if !smtp::available() {
        return;
    }
    // each mail takes 200 ms; the clock runs 10 minutes per real second, so
    // one send is about 2 minutes of the 5-minute lease and a whole batch
    // (each worker claims up to all 12) about 24: without renewal, the lease
    // lapses mid-batch and the other worker, polling, takes rows again
    let sink = Sink::start_slow(Duration::from_millis(200));
    let app = TestApp::new(backend);
    let svc = app.service().await;
    for i in 0..MAILS {
        let mut body = request_body(48.85, 2.35, 1);
        body["contact_email"] = json!(format!("g{i}@example.org"));
        let r = post(&svc, "/api/v1/requests", None, body).await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    }
    let mut config = app.state.config.clone();
    config.db_pool_size = 4;
    let other = porte_ouverte::state::AppState::open(config, app.clock.clone()).unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let ticker = {
        let (clock, done) = (app.clock.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50));
                clock.advance(30_000);
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let workers: Vec<_> = [app.state.clone(), other]
        .into_iter()
        .map(|s| {
            let url = sink.url();
            std::thread::spawn(move || {
                let t = Transport::from_config(Some(&url), "unused").unwrap();
                let mut sent = 0;
                while sent_in_db(&s) < MAILS && Instant::now() < deadline {
                    sent += mail::deliver_due(&s, &t, MAILS as i64).unwrap();
                    std::thread::sleep(Duration::from_millis(10));
                }
                sent
            })
        })
        .collect();
    let sent: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    done.store(true, Ordering::SeqCst);
    ticker.join().unwrap();

    let mut per_id: BTreeMap<String, usize> = BTreeMap::new();
    for m in sink.mails() {
        *per_id
            .entry(m["message_id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    let twice: Vec<_> = per_id.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    assert_eq!(per_id.len(), MAILS, "every mail arrived");
    assert_eq!(sent, MAILS, "each recorded as sent by one worker");
}

fn sent_in_db(state: &porte_ouverte::state::AppState) -> usize {
    let mut c = state.conn().unwrap();
    porte_ouverte::db::outbox::count_status(
        &mut c,
        porte_ouverte::domain::states::OutboxStatus::Sent,
    )
    .unwrap() as usize
}

//! Live pages in-process: the event streams' access checks and caps, an
//! event after a change, and the pages' behaviour without JavaScript (a
//! refresh link; the `Refresh` header only where nothing can be typed).
//! The browser half (an acceptance appearing on an open page with a
//! half-written report kept) is in tests/browser/live_pages.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::body::MessageBody;
use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use common::*;
use std::time::Duration;

/// Opens a stream; returns its status and, when 200, the body to read.
async fn open<S, B>(svc: &S, req: TestRequest) -> (StatusCode, Option<std::pin::Pin<Box<B>>>)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: MessageBody,
{
    let res = test::call_service(svc, req.to_request()).await;
    let status = res.status();
    if status == StatusCode::OK {
        let h = res.headers();
        assert_eq!(h.get("content-type").unwrap(), "text/event-stream");
        assert_eq!(h.get("cache-control").unwrap(), "no-store");
        (status, Some(Box::pin(res.into_body())))
    } else {
        (status, None)
    }
}

/// The next chunk of a stream, waiting at most two seconds.
async fn next_chunk<B: MessageBody>(body: &mut std::pin::Pin<Box<B>>) -> String {
    next_chunk_within(body, Duration::from_secs(2)).await
}

async fn next_chunk_within<B: MessageBody>(
    body: &mut std::pin::Pin<Box<B>>,
    within: Duration,
) -> String {
    let chunk = actix_web::rt::time::timeout(
        within,
        std::future::poll_fn(|cx| body.as_mut().poll_next(cx)),
    )
    .await
    .expect("an event in time");
    match chunk {
        Some(Ok(b)) => String::from_utf8_lossy(&b).into_owned(),
        _ => panic!("the stream ended"),
    }
}

fn session_for(app: &TestApp, account_id: &str) -> Cookie<'static> {
    let mut c = app.state.conn().unwrap();
    let secret =
        porte_ouverte::service::accounts::open_session(&app.state, &mut c, &id(account_id))
            .unwrap();
    Cookie::new("po_session", secret)
}

fn account_id(app: &TestApp, email: &str) -> String {
    use diesel::prelude::*;
    use porte_ouverte::db::schema::accounts;
    let mut c = app.state.conn().unwrap();
    accounts::table
        .filter(accounts::email.eq(email))
        .select(accounts::id)
        .first(&mut *c)
        .unwrap()
}

async fn guest_stream_checks_the_token_and_tells_of_changes(backend: Backend) {
    let app = TestApp::new(backend);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    let (rid, rt) = guest(&svc, 48.859, 2.38, 2).await;
    let (other, other_t) = guest(&svc, 48.86, 2.37, 1).await;
    let events = |id: &str, token: &str| TestRequest::get().uri(&format!("/r/{id}/{token}/events"));
    // another request's link, an unknown one, an account's token: no stream
    assert_eq!(
        open(&svc, events(&rid, &other_t)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        open(&svc, events(&rid, "req_tok_unknown")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        open(&svc, events(&rid, &host)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        open(&svc, events("a/b", &rt)).await.0,
        StatusCode::NOT_FOUND
    );

    let (status, body) = open(&svc, events(&rid, &rt)).await;
    assert_eq!(status, StatusCode::OK);
    let mut body = body.unwrap();
    assert!(next_chunk(&mut body).await.starts_with("retry: "));
    let (_, other_body) = open(&svc, events(&other, &other_t)).await;
    let mut other_body = other_body.unwrap();
    next_chunk(&mut other_body).await;
    assert_eq!(app.state.live.open_streams(), 2);

    // the guest asks the host: this page hears it, with nothing else
    let asked = ask(&svc, &rid, &rt, &offer_id).await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text);
    assert_eq!(next_chunk(&mut body).await, "event: changed\ndata: 1\n\n");
    // the host accepts through the API
    let accepted = act(&svc, &asked.s("id"), "accept", &host).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    assert_eq!(next_chunk(&mut body).await, "event: changed\ndata: 1\n\n");
    // the other request's stream heard nothing of this
    let quiet = actix_web::rt::time::timeout(
        Duration::from_millis(200),
        std::future::poll_fn(|cx| other_body.as_mut().poll_next(cx)),
    )
    .await;
    assert!(quiet.is_err(), "another request's page is not told");
    drop(body);
    drop(other_body);
    assert_eq!(
        app.state.live.open_streams(),
        0,
        "closed streams free their place"
    );
}

async fn host_and_coordinator_streams_need_their_session(backend: Backend) {
    let app = TestApp::new(backend);
    let svc = app.service().await;
    let (host_id, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    coordinator_token(&app, "coord@example.org");
    let coord = session_for(&app, &account_id(&app, "coord@example.org"));
    let session = session_for(&app, &host_id);
    let get = |path: &str| TestRequest::get().uri(path);
    assert_eq!(
        open(&svc, get("/host/events")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        open(
            &svc,
            get("/host/events").cookie(Cookie::new("po_session", "pos_forged"))
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        open(&svc, get("/coord/events")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        open(&svc, get("/coord/events").cookie(session.clone()))
            .await
            .0,
        StatusCode::NOT_FOUND,
        "a host is no coordinator"
    );
    let (_, host_body) = open(&svc, get("/host/events").cookie(session)).await;
    let mut host_body = host_body.unwrap();
    next_chunk(&mut host_body).await;
    let (_, coord_body) = open(&svc, get("/coord/events").cookie(coord)).await;
    let mut coord_body = coord_body.unwrap();
    next_chunk(&mut coord_body).await;

    // a new request reaches the console; its ask reaches the host too
    let (rid, rt) = guest(&svc, 48.859, 2.38, 2).await;
    assert!(
        next_chunk(&mut coord_body)
            .await
            .starts_with("event: changed")
    );
    assert_eq!(
        ask(&svc, &rid, &rt, &offer_id).await.status,
        StatusCode::CREATED
    );
    assert!(
        next_chunk(&mut host_body)
            .await
            .starts_with("event: changed")
    );
    // the console hears of changes in a burst once, at most every 3 s
    let start = std::time::Instant::now();
    let told = next_chunk_within(&mut coord_body, Duration::from_secs(5)).await;
    assert!(told.starts_with("event: changed"));
    assert!(
        start.elapsed() >= Duration::from_millis(2500),
        "{:?}",
        start.elapsed()
    );
}

/// A change between the page's rendering and its stream's opening is not
/// lost: the page's version is on the stream's URL.
async fn a_change_before_the_stream_opens_is_told_at_once(backend: Backend) {
    let app = TestApp::new(backend);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let offer_id = offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    let (rid, rt) = guest(&svc, 48.859, 2.38, 2).await;
    let page = get(&svc, &format!("/r/{rid}/{rt}"), None).await;
    let stream = page
        .text
        .split("data-live-stream=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        stream.starts_with(&format!("/r/{rid}/{rt}/events?v=")),
        "{stream}"
    );
    // up to date: quiet
    let (_, body) = open(&svc, TestRequest::get().uri(&stream)).await;
    let mut body = body.unwrap();
    next_chunk(&mut body).await;
    let quiet = actix_web::rt::time::timeout(
        Duration::from_millis(200),
        std::future::poll_fn(|cx| body.as_mut().poll_next(cx)),
    )
    .await;
    assert!(quiet.is_err(), "nothing changed since the page");
    drop(body);
    // the guest asks elsewhere (another tab) before this page's stream opens
    assert_eq!(
        ask(&svc, &rid, &rt, &offer_id).await.status,
        StatusCode::CREATED
    );
    let (_, body) = open(&svc, TestRequest::get().uri(&stream)).await;
    let mut body = body.unwrap();
    assert!(next_chunk(&mut body).await.starts_with("retry: "));
    assert_eq!(next_chunk(&mut body).await, "event: changed\ndata: 1\n\n");
}

on_both_backends!(
    guest_stream_checks_the_token_and_tells_of_changes,
    host_and_coordinator_streams_need_their_session,
    a_change_before_the_stream_opens_is_told_at_once,
);

#[actix_web::test]
async fn streams_beyond_the_cap_get_503() {
    let app = TestApp::with(Backend::Sqlite, |c| {
        c.live_max_streams = 2;
        c.metrics_token = Some(METRICS_TOKEN.into());
    });
    let svc = app.service().await;
    let (rid, rt) = guest(&svc, 48.859, 2.38, 2).await;
    let uri = format!("/r/{rid}/{rt}/events");
    let (a, first) = open(&svc, TestRequest::get().uri(&uri)).await;
    let (b, _second) = open(&svc, TestRequest::get().uri(&uri)).await;
    assert_eq!((a, b), (StatusCode::OK, StatusCode::OK));
    let res = test::call_service(&svc, TestRequest::get().uri(&uri).to_request()).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().contains_key("retry-after"));
    let m = get(&svc, "/metrics", Some(METRICS_TOKEN)).await;
    assert!(m.text.contains("\npo_live_streams 2\n"), "{}", m.text);
    // the page itself still loads, with its refresh link
    let page = get(&svc, &format!("/r/{rid}/{rt}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains(&format!("<a href=\"/r/{rid}/{rt}\" data-live-page>"))
    );
    drop(first);
    let (c, _third) = open(&svc, TestRequest::get().uri(&uri)).await;
    assert_eq!(c, StatusCode::OK, "a closed stream frees its place");
}

#[actix_web::test]
async fn no_page_reloads_itself() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (host_id, host) = sign_up_host(&svc, "host@example.org").await;
    offer(&svc, &app, &host, 48.8585, 2.3795, 3).await;
    let en = |path: &str| {
        TestRequest::get()
            .uri(path)
            .insert_header(("accept-language", "en"))
    };

    // a waiting guest with an open door nearby: a report form to type in
    let (rid, rt) = guest(&svc, 48.859, 2.38, 2).await;
    let page = send(&svc, en(&format!("/r/{rid}/{rt}"))).await;
    assert!(page.text.contains("<textarea"), "the report form");
    assert!(
        !page.text.contains("http-equiv=\"refresh\""),
        "it has fields"
    );
    assert!(!page.headers.contains_key("refresh"));
    assert!(
        page.text
            .contains(&format!("data-live-stream=\"/r/{rid}/{rt}/events?v="))
    );
    assert!(page.text.contains(&format!(
        "<a href=\"/r/{rid}/{rt}\" data-live-page>Refresh</a>"
    )));
    assert!(
        page.text
            .contains("aria-live=\"polite\" data-live-announce")
    );

    // far from any door, nothing to type: still no timed reload (it would
    // move a screen reader's place every time); its Refresh link
    let (far, far_t) = guest(&svc, 43.2965, 5.3698, 1).await;
    let page = send(&svc, en(&format!("/r/{far}/{far_t}"))).await;
    assert!(!page.text.contains("<textarea"));
    assert!(!page.headers.contains_key("refresh"));
    assert!(!page.text.contains("http-equiv=\"refresh\""));
    assert!(page.text.contains("data-live-page>Refresh</a>"));

    // the host's dashboard and the coordinators' console have forms
    let dash = send(&svc, en("/host").cookie(session_for(&app, &host_id))).await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(dash.text.contains("data-live-stream=\"/host/events?v="));
    assert!(
        dash.text
            .contains("<a href=\"/host\" data-live-page>Refresh</a>")
    );
    assert!(!dash.headers.contains_key("refresh"));
    assert!(!dash.text.contains("http-equiv=\"refresh\""));
    coordinator_token(&app, "coord@example.org");
    let coord = session_for(&app, &account_id(&app, "coord@example.org"));
    let console = send(&svc, en("/coord").cookie(coord)).await;
    assert_eq!(console.status, StatusCode::OK);
    assert!(console.text.contains("data-live-stream=\"/coord/events?v="));
    assert!(
        console
            .text
            .contains("<a href=\"/coord\" data-live-page>Refresh</a>")
    );
    assert!(!console.headers.contains_key("refresh"));
    assert!(!console.text.contains("http-equiv=\"refresh\""));

    // other pages are not live
    let need = send(&svc, en("/need")).await;
    assert!(!need.text.contains("data-live-stream") && !need.headers.contains_key("refresh"));
    assert!(!need.text.contains("http-equiv=\"refresh\""));
}

/// Two instances on one PostgreSQL database: a change made through the other
/// one reaches a page streaming from this one (the fingerprint check).
#[actix_web::test]
async fn another_instance_s_change_reaches_an_open_page() {
    if !postgres_ready() {
        return;
    }
    let app = TestApp::with(Backend::Postgres, |c| c.live_check_ms = 100);
    let mut config = porte_ouverte::config::Config::defaults_for(&app.db.url);
    config.secret_key = Some(SECRET.into());
    config.rate_requests_per_min = 0;
    config.rate_login_per_min = 0;
    config.rate_signup_per_hour = 0;
    let other = porte_ouverte::state::AppState::open(config, app.clock.clone()).unwrap();
    let svc = app.service().await;
    let elsewhere = test::init_service(porte_ouverte::web::app(
        other.clone(),
        porte_ouverte::web::state::WebState::new(&other.config).unwrap(),
    ))
    .await;
    let (host_id, host) = sign_up_host(&elsewhere, "host@example.org").await;
    let offer_id = offer(&elsewhere, &app, &host, 48.8585, 2.3795, 3).await;
    let (rid, rt) = guest(&elsewhere, 48.859, 2.38, 2).await;

    let (_, page) = open(
        &svc,
        TestRequest::get().uri(&format!("/r/{rid}/{rt}/events")),
    )
    .await;
    let mut page = page.unwrap();
    next_chunk(&mut page).await;
    let dash = TestRequest::get()
        .uri("/host/events")
        .cookie(session_for(&app, &host_id));
    let (_, dash) = open(&svc, dash).await;
    let mut dash = dash.unwrap();
    next_chunk(&mut dash).await;
    let asked = ask(&elsewhere, &rid, &rt, &offer_id).await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text);
    assert_eq!(app.state.live.open_streams(), 2);
    assert_eq!(
        other.live.open_streams(),
        0,
        "the change was made elsewhere"
    );
    assert_eq!(next_chunk(&mut page).await, "event: changed\ndata: 1\n\n");
    assert_eq!(next_chunk(&mut dash).await, "event: changed\ndata: 1\n\n");
}

//! How responses travel: HEAD for every GET route, gzip/brotli compression
//! where no secret can leak through it (BREACH), and the operator's side of
//! the real binary (the container's health check, the PUBLIC_URL rule).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use common::http::{raw, start_server};
use common::*;
use std::io::Read;
use std::process::Command;

/// The raw response: status, headers, body bytes (not decoded).
async fn fetch<S, B>(
    svc: &S,
    req: TestRequest,
) -> (StatusCode, actix_web::http::header::HeaderMap, Vec<u8>)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let res = test::call_service(
        svc,
        req.peer_addr("203.0.113.7:40000".parse().unwrap())
            .to_request(),
    )
    .await;
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, test::read_body(res).await.to_vec())
}

fn gunzip(bytes: &[u8]) -> String {
    let mut s = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[actix_web::test]
async fn head_answers_for_every_get_route() {
    let app = TestApp::with(Backend::Sqlite, |c| {
        c.metrics_token = Some(METRICS_TOKEN.into());
    });
    let svc = app.service().await;
    let (id, token) = guest(&svc, 48.8590, 2.3800, 2).await;
    let guest_page = format!("/r/{id}/{token}");
    for path in [
        "/",
        "/healthz",
        "/readyz",
        "/metrics",
        "/api/v1/push/key",
        &guest_page,
    ] {
        // only /metrics reads the header (its token)
        let auth = ("Authorization", format!("Bearer {METRICS_TOKEN}"));
        let get = fetch(
            &svc,
            TestRequest::get().uri(path).insert_header(auth.clone()),
        )
        .await;
        let head = fetch(
            &svc,
            TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri(path)
                .insert_header(auth),
        )
        .await;
        assert_eq!(get.0, StatusCode::OK, "GET {path}");
        assert_eq!(head.0, StatusCode::OK, "HEAD {path}");
        assert_eq!(
            head.1.get("content-type"),
            get.1.get("content-type"),
            "HEAD {path} says what GET would send"
        );
    }
    // a HEAD is a GET without its body: never a way into another method
    let head_post_only = fetch(
        &svc,
        TestRequest::default()
            .method(actix_web::http::Method::HEAD)
            .uri("/api/v1/tokens"),
    )
    .await;
    let get_post_only = fetch(&svc, TestRequest::get().uri("/api/v1/tokens")).await;
    assert!(head_post_only.0.is_client_error(), "{}", head_post_only.0);
    assert_eq!(head_post_only.0, get_post_only.0);
}

#[actix_web::test]
async fn pages_and_json_are_compressed_but_no_fresh_secret_is() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    offer(&svc, &app, &host, 48.8585, 2.3795, 4).await;

    // a POST that creates a private link: never compressed
    let created = fetch(
        &svc,
        TestRequest::post()
            .uri("/api/v1/requests")
            .insert_header(("accept-encoding", "gzip, br"))
            .set_json(request_body(48.8590, 2.3800, 2)),
    )
    .await;
    assert_eq!(created.0, StatusCode::CREATED);
    assert!(
        created.1.get("content-encoding").is_none(),
        "{:?}",
        created.1
    );
    let v: serde_json::Value = serde_json::from_slice(&created.2).unwrap();
    let (id, token) = (
        v["id"].as_str().unwrap().to_owned(),
        v["access_token"].as_str().unwrap().to_owned(),
    );

    // the guest's waiting page (it reloads every 30 s): gzip when asked
    let page = format!("/r/{id}/{token}");
    let plain = fetch(&svc, TestRequest::get().uri(&page)).await;
    assert!(plain.1.get("content-encoding").is_none());
    let gz = fetch(
        &svc,
        TestRequest::get()
            .uri(&page)
            .insert_header(("accept-encoding", "gzip")),
    )
    .await;
    assert_eq!(gz.1.get("content-encoding").unwrap(), "gzip");
    assert!(gz.1.get("vary").is_some_and(|v| {
        v.to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    }));
    let html = gunzip(&gz.2);
    assert!(html.contains("<html"), "{html}");
    let br = fetch(
        &svc,
        TestRequest::get()
            .uri(&page)
            .insert_header(("accept-encoding", "br;q=1, gzip;q=0.5")),
    )
    .await;
    assert_eq!(br.1.get("content-encoding").unwrap(), "br");
    eprintln!(
        "guest waiting page: {} bytes plain, {} gzip, {} brotli",
        plain.2.len(),
        gz.2.len(),
        br.2.len()
    );
    assert!(gz.2.len() * 2 < plain.2.len(), "at least 2× smaller");

    // its CSRF token is masked afresh in every response
    let csrf = |html: &str| {
        let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
        html[at..at + html[at..].find('"').unwrap()].to_owned()
    };
    let first = csrf(&html);
    assert_ne!(
        first,
        csrf(&gunzip(
            &fetch(
                &svc,
                TestRequest::get()
                    .uri(&page)
                    .insert_header(("accept-encoding", "gzip"))
            )
            .await
            .2
        ))
    );

    // JSON and assets too; the live stream never (an encoder holds events back)
    let json = fetch(
        &svc,
        TestRequest::get()
            .uri(&format!("/api/v1/requests/{id}"))
            .insert_header(("authorization", format!("Bearer {token}")))
            .insert_header(("accept-encoding", "gzip")),
    )
    .await;
    assert_eq!(json.0, StatusCode::OK);
    assert_eq!(json.1.get("content-encoding").unwrap(), "gzip");
    let stream = test::call_service(
        &svc,
        TestRequest::get()
            .uri(&format!("{page}/events"))
            .insert_header(("accept-encoding", "gzip"))
            .peer_addr("203.0.113.7:40000".parse().unwrap())
            .to_request(),
    )
    .await;
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(stream.headers().get("content-encoding").is_none());
}

#[test]
fn the_binary_checks_its_own_health_and_wants_a_public_url() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("po.db");
    let (mut child, addr) = start_server(&db, &[]);
    // HEAD over a real socket: the GET's headers, no body
    let (status, body) = raw(&addr, "HEAD", "/healthz", None, None).unwrap();
    assert_eq!((status, body.as_str()), (200, ""));
    let bin = env!("CARGO_BIN_EXE_porte-ouverte");
    let ok = Command::new(bin)
        .arg("healthcheck")
        .env("BIND", &addr)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let down = Command::new(bin)
        .arg("healthcheck")
        .env("BIND", &addr)
        .output()
        .unwrap();
    assert!(!down.status.success(), "a stopped server is unhealthy");

    // listening for other machines without PUBLIC_URL: refused, loudly
    let refused = Command::new(bin)
        .arg("serve")
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("BIND", "0.0.0.0:0")
        .env_remove("PUBLIC_URL")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("PUBLIC_URL is required"), "{err}");
}

#[test]
fn the_demo_prints_accounts_one_can_log_in_as() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("po.db");
    let bin = env!("CARGO_BIN_EXE_porte-ouverte");
    let seed = |n: &str| {
        let out = Command::new(bin)
            .args(["seed-demo", "--offers", n])
            .env("DATABASE_URL", format!("sqlite://{}", db.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let printed = seed("6");
    // a second run (a newcomer trying again) must not fail or change them
    seed("3");
    let (mut child, addr) = start_server(&db, &[]);
    for email in ["demo-host@example.org", "demo-coordinator@example.org"] {
        assert!(printed.contains(email), "{printed}");
        let body = serde_json::json!({"email": email, "password": "porte-ouverte-demo"});
        let (status, v) =
            common::http::http(&addr, "POST", "/api/v1/tokens", None, Some(&body)).unwrap();
        assert_eq!(status, 201, "{email}: {v}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

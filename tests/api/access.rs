//! Access control, tokens and accounts.

use crate::common::*;
use crate::on_both_backends;
use crate::{PARIS, counts};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::{Value, json};

on_both_backends!(access_control, tokens_and_accounts);

async fn access_control(b: Backend) {
    let app = TestApp::new(b);
    let svc = app.service().await;
    let (_, host) = sign_up_host(&svc, "host@example.org").await;
    let (_, other) = sign_up_host(&svc, "other@example.org").await;
    let offer_id = offer(&svc, &app, &host, PARIS.0, PARIS.1, 2).await;
    let (rid, rt) = guest(&svc, 48.85, 2.35, 1).await;
    let (_, other_rt) = guest(&svc, 48.85, 2.35, 1).await;
    let m = ask(&svc, &rid, &rt, &offer_id).await;
    let mid = m.s("id");
    let before = counts(&app);
    let o = format!("/api/v1/offers/{offer_id}");
    let r = format!("/api/v1/requests/{rid}");
    let mm = format!("/api/v1/matches/{mid}");
    let empty = json!({});
    // (method, path, body) for every authenticated endpoint
    let endpoints: Vec<(&str, String, Value)> = vec![
        ("GET", "/api/v1/accounts/me".into(), empty.clone()),
        ("GET", "/api/v1/offers".into(), empty.clone()),
        (
            "POST",
            "/api/v1/offers".into(),
            offer_body(&app, 48.8, 2.3, 2),
        ),
        ("GET", o.clone(), empty.clone()),
        ("PATCH", o.clone(), json!({"capacity": 9})),
        ("GET", format!("{o}/matches"), empty.clone()),
        ("POST", format!("{o}/matches"), json!({"request_id": rid})),
        ("GET", format!("{o}/nearby-requests"), empty.clone()),
        ("GET", r.clone(), empty.clone()),
        ("GET", format!("{r}/candidates"), empty.clone()),
        (
            "POST",
            format!("{r}/matches"),
            json!({"offer_id": offer_id}),
        ),
        ("POST", format!("{r}/cancel"), empty.clone()),
        ("GET", mm.clone(), empty.clone()),
        ("POST", format!("{mm}/accept"), empty.clone()),
        ("POST", format!("{mm}/decline"), empty.clone()),
        ("POST", format!("{mm}/cancel"), empty.clone()),
        ("POST", format!("{mm}/arrived"), empty.clone()),
        ("GET", "/api/v1/coordination/overview".into(), empty.clone()),
        ("GET", "/api/v1/coordination/requests".into(), empty.clone()),
        (
            "POST",
            "/api/v1/coordination/matches".into(),
            json!({"request_id": rid, "offer_id": offer_id}),
        ),
        ("DELETE", "/api/v1/tokens/current".into(), empty.clone()),
    ];
    let call = |method: &str, path: &str, token: Option<&str>, body: &Value| {
        let mut req = match method {
            "GET" => TestRequest::get(),
            "PATCH" => TestRequest::patch().set_json(body),
            "DELETE" => TestRequest::delete(),
            _ => TestRequest::post().set_json(body),
        }
        .uri(path);
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        req
    };
    for (method, path, body) in &endpoints {
        for token in [
            None,
            Some("poa_forged0000000000000000000000000000000000"),
            Some("por_forged"),
            Some("garbage"),
        ] {
            let res = send(&svc, call(method, path, token, body)).await;
            assert_eq!(
                res.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {token:?}: {}",
                res.text
            );
            assert!(res.is_problem());
        }
        let res = send(
            &svc,
            call(method, path, None, body).insert_header(("Authorization", "Basic dXNlcjpwYXNz")),
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} basic"
        );
    }
    // another host: 404 on this host's offer and on the match; guests tokens never open account endpoints
    for (method, path, body) in &endpoints[3..8] {
        let res = send(&svc, call(method, path, Some(&other), body)).await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{method} {path} as other host: {}",
            res.text
        );
        let res = send(&svc, call(method, path, Some(&rt), body)).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{method} {path} as guest: {}",
            res.text
        );
    }
    for (method, path, body) in &endpoints[0..3] {
        let res = send(&svc, call(method, path, Some(&rt), body)).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{method} {path} as guest"
        );
    }
    // another guest's token, or an account token, on this request
    for (method, path, body) in &endpoints[8..12] {
        let res = send(&svc, call(method, path, Some(&other_rt), body)).await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{method} {path} as other guest: {}",
            res.text
        );
        let res = send(&svc, call(method, path, Some(&host), body)).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{method} {path} as host: {}",
            res.text
        );
    }
    for (method, path, body) in &endpoints[12..17] {
        for t in [&other, &other_rt] {
            let res = send(&svc, call(method, path, Some(t), body)).await;
            assert_eq!(
                res.status,
                StatusCode::NOT_FOUND,
                "{method} {path}: {}",
                res.text
            );
        }
    }
    // coordination is for coordinators only
    for (method, path, body) in &endpoints[17..20] {
        let res = send(&svc, call(method, path, Some(&host), body)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{method} {path} as host");
        let res = send(&svc, call(method, path, Some(&rt), body)).await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{method} {path} as guest"
        );
    }
    assert_eq!(counts(&app), before, "refused calls must write nothing");
    assert_eq!(get(&svc, &o, Some(&host)).await.json["capacity"], 2);
    assert_eq!(get(&svc, &mm, Some(&rt)).await.json["status"], "proposed");
    // unknown paths under the API are problem+json too
    let res = get(&svc, "/api/v1/nothing-here", None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.is_problem());
}

async fn tokens_and_accounts(b: Backend) {
    let app = TestApp::with(b, |c| c.rate_login_per_min = 3);
    let svc = app.service().await;
    let (id, token) = sign_up_host(&svc, "Host@Example.org").await;
    let me = get(&svc, "/api/v1/accounts/me", Some(&token)).await;
    assert_eq!(me.json["id"], id.as_str());
    assert_eq!(me.json["email"], "host@example.org");
    assert_eq!(me.json["role"], "host");
    assert!(me.json.get("password_hash").is_none());
    // the same answer for an unknown e-mail and a wrong password
    let unknown = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "nobody@example.org", "password": "correct horse"}),
    )
    .await;
    let wrong = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "host@example.org", "password": "wrong horse"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.json, wrong.json);
    // the rate limit has been reached (4 attempts with a limit of 3)
    let limited = post(
        &svc,
        "/api/v1/tokens",
        None,
        json!({"email": "host@example.org", "password": "correct horse"}),
    )
    .await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.text
    );
    assert!(limited.headers.get("retry-after").is_some());
    assert!(limited.is_problem());
    // tokens are stored only as hashes
    {
        use diesel::prelude::*;
        use porte_ouverte::db::schema::api_tokens;
        let mut c = app.state.conn().unwrap();
        let hashes: Vec<String> = api_tokens::table
            .select(api_tokens::token_hash)
            .load(&mut *c)
            .unwrap();
        assert!(!hashes.is_empty());
        assert!(
            hashes
                .iter()
                .all(|h| h.len() == 64 && !token.contains(h.as_str()))
        );
    }
    // logout revokes the token
    let out = send(
        &svc,
        TestRequest::delete()
            .uri("/api/v1/tokens/current")
            .insert_header(("Authorization", format!("Bearer {token}"))),
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let after = get(&svc, "/api/v1/accounts/me", Some(&token)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    // expiry: a token dies after TOKEN_TTL_HOURS
    let mut conn = app.state.conn().unwrap();
    let t = porte_ouverte::service::accounts::login(
        &app.state,
        &mut conn,
        porte_ouverte::service::accounts::Credentials {
            email: "host@example.org".into(),
            password: "correct horse".into(),
        },
    )
    .unwrap()
    .token;
    drop(conn);
    assert_eq!(
        get(&svc, "/api/v1/accounts/me", Some(&t)).await.status,
        StatusCode::OK
    );
    app.clock
        .advance(i64::from(app.state.config.token_ttl_hours) * 3_600_000);
    assert_eq!(
        get(&svc, "/api/v1/accounts/me", Some(&t)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // argon2id with the required parameters
    use diesel::prelude::*;
    let mut c = app.state.conn().unwrap();
    let h: String = porte_ouverte::db::schema::accounts::table
        .select(porte_ouverte::db::schema::accounts::password_hash)
        .first(&mut *c)
        .unwrap();
    assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
}

//! Mail headers: no user field that reaches a mail can inject one.

use crate::common::*;
use crate::support::*;
use actix_web::http::StatusCode;
use serde_json::json;

/// No header can be injected through a field that reaches a mail.
#[actix_web::test]
async fn user_fields_cannot_inject_mail_headers() {
    let app = TestApp::new(Backend::Sqlite);
    let svc = app.service().await;
    for (field, value) in [
        ("name", "Sam\r\nBcc: evil@example.org"),
        ("contact_email", "sam@example.org\r\nBcc: evil@example.org"),
        (
            "trusted_contact_email",
            "kin@example.org\nBcc: evil@example.org",
        ),
    ] {
        let mut body = request_body(48.8590, 2.3800, 1);
        body[field] = json!(value);
        body["trusted_contact_consent"] = json!(true);
        let r = post(&svc, "/api/v1/requests", None, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(r.error_fields(), vec![field.to_owned()]);
    }
    let r = post(
        &svc,
        "/api/v1/accounts",
        None,
        json!({"email": "a@example.org", "password": "long enough", "display_name": "Eve\r\nBcc: x@example.org"}),
    )
    .await;
    assert_eq!(r.error_fields(), vec!["display_name"]);
    assert!(outbox(&app).is_empty(), "nothing queued");
    assert_eq!(
        porte_ouverte::mail::transport::one_line("Hi\r\nBcc: x@example.org"),
        "Hi  Bcc: x@example.org"
    );
}

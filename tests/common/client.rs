//! A small JSON client over the in-process service: requests sent, answers read, IDs typed.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::{self, TestRequest};
use serde_json::Value;

/// An ID the API handed out, typed for a call into the services or the
/// database.
pub fn id<I: porte_ouverte::domain::ids::Id>(raw: &str) -> I {
    I::parse(raw).expect("an ID the API handed out")
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub json: Value,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn s(&self, key: &str) -> String {
        self.json[key]
            .as_str()
            .unwrap_or_else(|| panic!("no string '{key}' in {}", self.json))
            .to_owned()
    }
    pub fn is_problem(&self) -> bool {
        self.headers
            .get("content-type")
            .is_some_and(|v| v == "application/problem+json")
            && self.json["status"].as_u64() == Some(u64::from(self.status.as_u16()))
            && self.json["code"].is_string()
            && self.json["title"].is_string()
            && self.json["detail"].is_string()
    }
    pub fn error_fields(&self) -> Vec<String> {
        self.json["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Sends a request to the in-process app.
pub async fn send<S, B>(svc: &S, req: TestRequest) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = test::call_service(
        svc,
        req.peer_addr("203.0.113.7:40000".parse().unwrap())
            .to_request(),
    )
    .await;
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = test::read_body(res).await;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp {
        status,
        json,
        headers,
        text,
    }
}

fn with_token(mut req: TestRequest, token: Option<&str>) -> TestRequest {
    if let Some(t) = token {
        req = req.insert_header(("Authorization", format!("Bearer {t}")));
    }
    req
}

pub async fn get<S, B>(svc: &S, path: &str, token: Option<&str>) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(svc, with_token(TestRequest::get().uri(path), token)).await
}

pub async fn post<S, B>(svc: &S, path: &str, token: Option<&str>, body: Value) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(
        svc,
        with_token(TestRequest::post().uri(path).set_json(body), token),
    )
    .await
}

pub async fn patch<S, B>(svc: &S, path: &str, token: Option<&str>, body: Value) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    send(
        svc,
        with_token(TestRequest::patch().uri(path).set_json(body), token),
    )
    .await
}

pub async fn post_raw<S, B>(
    svc: &S,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: impl Into<Vec<u8>>,
) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let req = TestRequest::post()
        .uri(path)
        .insert_header(("content-type", content_type))
        .set_payload(body.into());
    send(svc, with_token(req, token)).await
}

//! Errors as `application/problem+json` (RFC 9457): a deliberate status per
//! error kind, a stable `code` for programs, and a `detail` for people.
//! Internal failures are logged here, once, with their cause; the body says
//! only that something went wrong.

use crate::error::AppError;
use actix_web::error::{JsonPayloadError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde_json::json;

impl AppError {
    fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::BadRequest(_) => "malformed_request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict { code, .. } => code,
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Overloaded { .. } => "overloaded",
            AppError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self.status_code() {
            StatusCode::BAD_REQUEST => "Malformed request",
            StatusCode::UNAUTHORIZED => "Authentication required",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::CONFLICT => "Conflict",
            StatusCode::PAYLOAD_TOO_LARGE => "Request body too large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "Unsupported media type",
            StatusCode::UNPROCESSABLE_ENTITY => "Validation failed",
            StatusCode::TOO_MANY_REQUESTS => "Too many requests",
            StatusCode::SERVICE_UNAVAILABLE => "Service unavailable",
            _ => "Internal error",
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::Validation(e) => match e.0.as_slice() {
                [one] => format!("{} {}", one.field, one.message),
                many => format!("{} fields are invalid", many.len()),
            },
            AppError::NotFound => "no such resource, or it is not yours".into(),
            AppError::Unavailable(_) => "the database is unavailable; try again shortly".into(),
            AppError::Internal(_) => "something went wrong on our side; nothing was changed".into(),
            other => other.to_string(),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Overloaded { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => tracing::error!(%cause, "internal error"),
            AppError::Unavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            // a conflict is an expected answer (a proposal that died while a
            // host was deciding), other 4xx are the client's: not warnings
            e => tracing::debug!(code = e.code(), "request refused"),
        }
        let status = self.status_code();
        let mut body = json!({
            "type": format!("urn:porte-ouverte:problem:{}", self.code()),
            "title": self.title(),
            "status": status.as_u16(),
            "detail": self.detail(),
            "code": self.code(),
        });
        if let AppError::Validation(e) = self {
            body["errors"] = json!(e.0);
        }
        let mut res = HttpResponse::build(status);
        res.insert_header((CONTENT_TYPE, "application/problem+json"));
        res.insert_header((CACHE_CONTROL, "no-store"));
        match self {
            AppError::RateLimited { retry_after } | AppError::Overloaded { retry_after } => {
                res.insert_header((RETRY_AFTER, retry_after.to_string()));
            }
            AppError::Unavailable(_) => {
                res.insert_header((RETRY_AFTER, "5"));
            }
            _ => {}
        }
        res.body(body.to_string())
    }
}

/// Body errors before any handler runs.
pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let e = match &err {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => AppError::PayloadTooLarge(*limit),
        JsonPayloadError::ContentType => AppError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            AppError::BadRequest(format!("the body is not what was expected: {e}"))
        }
        JsonPayloadError::Deserialize(e) => {
            AppError::BadRequest(format!("the body is not valid JSON: {e}"))
        }
        _ => AppError::BadRequest("the request body could not be read".into()),
    };
    e.into()
}

pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    AppError::BadRequest(format!("the query string is malformed: {err}")).into()
}

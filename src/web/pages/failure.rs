//! One error policy for the HTML pages (the API's is `web::problem`): a
//! [`PageError`] holds the service's `AppError` and the visitor's page
//! context. As an actix `ResponseError` it answers with the error's status
//! and a page in the visitor's language saying what happened and the way
//! back, and it logs a failure on our side once, with its cause. A
//! database outage is "we are having trouble, try again" — never a form's
//! own message such as "wrong e-mail or password".
//!
//! Handlers first handle the errors their form expects (a validation error
//! re-renders the form with messages beside its fields); everything else
//! goes through here.

use super::ctx;
use crate::domain::redirect::LocalPath;
use crate::error::AppError;
use crate::views::failure::{Failure, failed};
use crate::views::layout::{Ctx, not_found};
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, REFERER, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, ResponseError};

/// How long a visitor is asked to wait after a failure on our side (s).
const RETRY_AFTER_S: u64 = 30;

pub struct PageError {
    ctx: Ctx,
    /// the page the visitor came from, on this site
    back: String,
    err: AppError,
}

impl PageError {
    pub fn new(req: &HttpRequest, err: AppError) -> Self {
        // the page the form was on: the Referer's path when it is one of
        // ours, else the path asked for when it is a page (GET), else home
        let referer = req
            .headers()
            .get(REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|r| url::Url::parse(r).ok())
            .filter(|u| {
                let host = u.host_str().unwrap_or_default();
                let host = u
                    .port()
                    .map_or_else(|| host.to_owned(), |p| format!("{host}:{p}"));
                host == req.connection_info().host()
            })
            .map(|u| u.path().to_owned());
        let back = match referer {
            Some(p) => LocalPath::or_root(Some(&p)),
            None if req.method() == actix_web::http::Method::GET => {
                LocalPath::or_root(Some(req.path()))
            }
            None => LocalPath::or_root(None),
        };
        Self {
            ctx: ctx(req),
            back: back.as_str().to_owned(),
            err,
        }
    }

    /// The response, for handlers that answer `HttpResponse` directly.
    pub fn response(req: &HttpRequest, err: AppError) -> HttpResponse {
        Self::new(req, err).error_response()
    }

    fn failure(&self) -> Option<Failure> {
        Some(match &self.err {
            AppError::NotFound => return None,
            AppError::Unauthorized(_) | AppError::Forbidden(_) => Failure::Forbidden,
            AppError::Conflict { .. } => Failure::Conflict,
            AppError::Validation(_)
            | AppError::BadRequest(_)
            | AppError::PayloadTooLarge(_)
            | AppError::UnsupportedMediaType => Failure::Invalid,
            AppError::RateLimited { .. } => Failure::TooMany,
            AppError::Unavailable(_) | AppError::Overloaded { .. } | AppError::Internal(_) => {
                Failure::Trouble
            }
        })
    }
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PageError({:?})", self.err)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.err.fmt(f)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match &self.err {
            // a page never answers 500: the visitor may try again
            AppError::Internal(_) => StatusCode::SERVICE_UNAVAILABLE,
            other => other.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match &self.err {
            AppError::Internal(cause) => tracing::error!(error = %cause, "page failed"),
            AppError::Unavailable(cause) => {
                tracing::error!(error = %cause, "page failed: database unavailable");
            }
            _ => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((CACHE_CONTROL, "no-store"));
        match &self.err {
            AppError::RateLimited { retry_after } | AppError::Overloaded { retry_after } => {
                res.insert_header((RETRY_AFTER, retry_after.to_string()));
            }
            AppError::Unavailable(_) | AppError::Internal(_) => {
                res.insert_header((RETRY_AFTER, RETRY_AFTER_S.to_string()));
            }
            _ => {}
        }
        let page = match self.failure() {
            None => not_found(&self.ctx),
            Some(why) => failed(&self.ctx, why, &self.back),
        };
        res.body(page.into_string())
    }
}

//! How responses travel: `HEAD` answered for every `GET` route, and
//! gzip/brotli compression (actix-web's `Compress`) for HTML, JSON, CSS, JS
//! and CSV, except where it could leak a secret or stall a stream.
//!
//! BREACH reads a secret from compressed sizes when the same response also
//! reflects text an attacker chooses. Hence:
//! - forms' CSRF tokens are masked afresh in every response (`csrf::token`);
//! - responses to anything but `GET`/`HEAD` are never compressed: they carry
//!   freshly made secrets (API tokens, private links, password-reset and
//!   session outcomes) beside what the client just sent;
//! - server-sent event streams are never compressed (an encoder holds small
//!   events back);
//! - private links (`/r/{id}/{token}`) do appear in the guest's own pages,
//!   which are compressed: nothing on them is chosen by another party (the
//!   candidates' public views hold no free text), and the guest's own
//!   notes are theirs.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{CONTENT_ENCODING, CONTENT_TYPE, ETAG, HeaderValue};
use futures_util::FutureExt;
use futures_util::future::LocalBoxFuture;

/// Inside `Compress`: a `HEAD` is routed as the `GET` it mirrors (the HTTP
/// codec sends no body for a `HEAD`, with the `GET`'s headers), and
/// responses that must not be compressed are marked `Content-Encoding:
/// identity`, which `Compress` leaves alone and `unmark` then removes.
pub fn mark<S, B>(
    mut req: ServiceRequest,
    srv: &S,
) -> LocalBoxFuture<'static, Result<ServiceResponse<B>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let safe_method = req.method() == Method::GET;
    srv.call(req)
        .map(move |res| {
            res.map(|mut r| {
                let stream = r
                    .headers()
                    .get(CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|ct| ct.starts_with("text/event-stream"));
                if (!safe_method || stream) && !r.headers().contains_key(CONTENT_ENCODING) {
                    r.headers_mut()
                        .insert(CONTENT_ENCODING, HeaderValue::from_static("identity"));
                }
                r
            })
        })
        .boxed_local()
}

/// Outside `Compress`: `identity` is not a content coding to send. A
/// strong `ETag` names the bytes of one representation: once `Compress`
/// encoded the body, it becomes weak (as nginx does), which `If-None-Match`
/// still matches.
pub fn unmark<B>(mut res: ServiceResponse<B>) -> ServiceResponse<B> {
    match res.headers().get(CONTENT_ENCODING) {
        Some(v) if v == "identity" => {
            res.headers_mut().remove(CONTENT_ENCODING);
        }
        Some(_) => {
            let weak = res
                .headers()
                .get(ETAG)
                .and_then(|e| e.to_str().ok())
                .filter(|e| e.starts_with('"'))
                .and_then(|e| HeaderValue::from_str(&format!("W/{e}")).ok());
            if let Some(w) = weak {
                res.headers_mut().insert(ETAG, w);
            }
        }
        None => {}
    }
    res
}

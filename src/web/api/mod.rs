//! The JSON API v1 (its OpenAPI document: `openapi/`, served at
//! `/api/v1/openapi.json`; the reference for people: docs/API.md). Every
//! route is in this one table. Routes are tried in the order written, and
//! each one with a `{…}` part costs a regular expression: a guest's own
//! page and candidate list, the routes of a crowded night, come first.

mod accounts;
mod coordination;
mod details;
mod matches;
mod offers;
pub mod openapi;
mod push;
mod requests;
mod safeguarding;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route(
                "/requests/{id}/candidates",
                web::get().to(requests::candidates),
            )
            .route("/requests", web::post().to(requests::create))
            .route("/requests/{id}", web::get().to(requests::get))
            .route("/openapi.json", web::get().to(openapi::serve))
            .route("/accounts", web::post().to(accounts::create))
            .route("/accounts/me", web::get().to(accounts::me))
            .route("/accounts/me/seen-by", web::get().to(accounts::seen_by))
            .route("/requests/{id}/seen-by", web::get().to(requests::seen_by))
            .route("/accounts/verify", web::post().to(accounts::verify))
            .route(
                "/accounts/me/verification",
                web::post().to(accounts::resend_verification),
            )
            .route("/password-resets", web::post().to(accounts::request_reset))
            .route(
                "/password-resets/confirm",
                web::post().to(accounts::confirm_reset),
            )
            .route("/tokens", web::post().to(accounts::login))
            .route("/tokens/current", web::delete().to(accounts::logout))
            .route("/offers", web::post().to(offers::create))
            .route("/offers", web::get().to(offers::list))
            .route("/offers/{id}", web::get().to(offers::get))
            .route("/offers/{id}", web::patch().to(offers::patch))
            .route("/offers/{id}/matches", web::get().to(offers::matches))
            .route("/offers/{id}/resume", web::post().to(offers::resume))
            .route("/offers/{id}/matches", web::post().to(offers::invite))
            .route(
                "/offers/{id}/nearby-requests",
                web::get().to(offers::nearby),
            )
            .route("/requests/{id}", web::patch().to(requests::add_details))
            .route("/requests/{id}/matches", web::post().to(requests::propose))
            .route("/requests/{id}/cancel", web::post().to(requests::cancel))
            .route("/matches/{id}", web::get().to(matches::get))
            .route("/matches/{id}/accept", web::post().to(matches::accept))
            .route("/matches/{id}/decline", web::post().to(matches::decline))
            .route("/matches/{id}/cancel", web::post().to(matches::cancel))
            .route("/matches/{id}/arrived", web::post().to(matches::arrived))
            .route("/matches/{id}/unsafe", web::post().to(matches::unsafe_flag))
            .route("/push/key", web::get().to(push::key))
            .route("/push/subscriptions", web::post().to(push::subscribe))
            .route("/push/subscriptions", web::delete().to(push::unsubscribe))
            .route("/reports", web::post().to(safeguarding::report))
            .route("/requests/{id}/blocks", web::post().to(safeguarding::block))
            .route(
                "/coordination/accounts/{id}",
                web::get().to(safeguarding::account),
            )
            .route(
                "/coordination/accounts/{id}/verify-identity",
                web::post().to(safeguarding::verify_identity),
            )
            .route(
                "/coordination/accounts/{id}/suspend",
                web::post().to(safeguarding::suspend),
            )
            .route(
                "/coordination/accounts/{id}/reinstate",
                web::post().to(safeguarding::reinstate),
            )
            .route(
                "/coordination/matches/{id}/approve",
                web::post().to(safeguarding::approve),
            )
            .route(
                "/coordination/reviews",
                web::get().to(safeguarding::reviews),
            )
            .route(
                "/coordination/reports",
                web::get().to(safeguarding::reports),
            )
            .route(
                "/coordination/reports/{id}/review",
                web::post().to(safeguarding::review_report),
            )
            .route("/coordination/risks", web::get().to(safeguarding::risks))
            .route(
                "/coordination/offers/{id}/details",
                web::post().to(details::offer),
            )
            .route(
                "/coordination/requests/{id}/details",
                web::post().to(details::request),
            )
            .route("/coordination/areas", web::get().to(coordination::areas))
            .route(
                "/coordination/exports/{kind}",
                web::get().to(coordination::export),
            )
            .route("/safe", web::get().to(coordination::safe))
            .route(
                "/coordination/incidents",
                web::get().to(coordination::incidents),
            )
            .route(
                "/coordination/incidents",
                web::post().to(coordination::open_incident),
            )
            .route(
                "/coordination/incidents/{id}",
                web::get().to(coordination::incident),
            )
            .route(
                "/coordination/incidents/{id}/close",
                web::post().to(coordination::close_incident),
            )
            .route(
                "/coordination/suggestions",
                web::get().to(coordination::suggestions),
            )
            .route(
                "/coordination/suggestions",
                web::post().to(coordination::send_suggestions),
            )
            .route("/coordination/alerts", web::get().to(coordination::alerts))
            .route(
                "/coordination/paused-offers",
                web::get().to(coordination::paused),
            )
            .route("/coordination/outbox", web::get().to(coordination::outbox))
            .route(
                "/coordination/outbox/{id}/retry",
                web::post().to(coordination::retry_mail),
            )
            .route(
                "/coordination/overview",
                web::get().to(coordination::overview),
            )
            .route("/coordination/requests", web::get().to(coordination::queue))
            .route(
                "/coordination/matches",
                web::post().to(coordination::propose),
            ),
    );
}

/// Reads one required string field of a small JSON body such as
/// `{"offer_id": "…"}`.
fn id_field<I: crate::domain::ids::Id>(
    body: serde_json::Value,
    field: &'static str,
) -> crate::error::AppResult<I> {
    let mut f = crate::domain::input::Fields::new(body, &[field])?;
    let v = f.str_req(field);
    f.finish()?;
    // an ID that cannot exist is not found, like any other unknown ID
    crate::web::extract::path_id(&v.unwrap_or_default())
}

/// Runs a coordinator-only operation.
pub(super) async fn as_coordinator<T, F>(
    state: actix_web::web::Data<crate::state::AppState>,
    req: actix_web::HttpRequest,
    f: F,
) -> crate::error::AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(
            &crate::state::AppState,
            &mut crate::db::DbConn,
            &crate::service::Account,
        ) -> crate::error::AppResult<T>
        + Send
        + 'static,
{
    let token = crate::web::extract::bearer(&req);
    crate::web::extract::run(&state, move |s, c| {
        let coord = crate::service::coordinator(s, c, token.as_deref())?;
        f(s, c, &coord)
    })
    .await
}

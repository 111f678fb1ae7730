//! The visits of the hosts' pages: signing up, logging in, resetting a
//! password, verifying an address, and the dashboard and offer form in
//! each state a host's offer can be in.

use super::{Made, PW};
use crate::visit::{Visit as V, Who};

pub(super) fn now(m: &Made) -> Vec<V> {
    let Made { open_offer, .. } = m;
    let vis = Who::Visitor;
    let offer_form = ("/host".to_owned(), "form[action='/host/offers']");
    let edit = format!("/host/offers/{open_offer}/edit");
    vec![
        // hosts: accounts
        V::get(
            "host-login",
            "/host/login",
            vis,
            "/host/login".into(),
            "form[action='/host/login']",
        ),
        V::post(
            "host-login-errors",
            "/host/login",
            vis,
            ("/host/login".into(), "form[action='/host/login']"),
            vec![
                ("email", "nobody@example.org".into()),
                ("password", "wrong password".into()),
            ],
            "#errors",
            401,
        ),
        V::get(
            "host-signup",
            "/host/signup",
            vis,
            "/host/signup".into(),
            "form[action='/host/signup']",
        ),
        V::post(
            "host-signup-errors",
            "/host/signup",
            vis,
            ("/host/signup".into(), "form[action='/host/signup']"),
            vec![("email", "not an address".into())],
            "#errors",
            422,
        ),
        V::get(
            "host-reset",
            "/host/reset",
            vis,
            "/host/reset".into(),
            "form[action='/host/reset']",
        ),
        V::post(
            "host-reset-sent",
            "/host/reset",
            vis,
            ("/host/reset".into(), "form[action='/host/reset']"),
            vec![("email", "open@example.org".into())],
            "p.notice",
            200,
        ),
        V::get(
            "host-reset-token",
            "/host/reset/{token}",
            vis,
            "/host/reset/abcdef".into(),
            "form[action='/host/reset/abcdef']",
        ),
        V::post(
            "host-reset-token-errors",
            "/host/reset/{token}",
            vis,
            (
                "/host/reset/abcdef".into(),
                "form[action='/host/reset/abcdef']",
            ),
            vec![("password", "short".into())],
            "#errors, .summary, .error",
            422,
        ),
        V::get(
            "host-verify",
            "/host/verify/{token}",
            vis,
            "/host/verify/abcdef".into(),
            "form[action='/host/verify/abcdef']",
        ),
        V::post(
            "host-verify-failed",
            "/host/verify/{token}",
            vis,
            (
                "/host/verify/abcdef".into(),
                "form[action='/host/verify/abcdef']",
            ),
            vec![],
            "#errors",
            409,
        ),
        V::get(
            "host-login-notice",
            "/host/login",
            vis,
            "/host/login?notice=reset".into(),
            "p.notice",
        ),
        // hosts: the dashboard in each state
        dash(
            "host-empty",
            host("empty@example.org"),
            "form[action='/host/offers']",
        ),
        V::post(
            "host-offer-errors",
            "/host",
            host("empty@example.org"),
            offer_form,
            vec![("capacity", "0".into())],
            "[aria-invalid=true]",
            422,
        ),
        dash(
            "host-open",
            host("open@example.org"),
            "form[action$='/invite']",
        ),
        V::get(
            "host-edit",
            "/host/offers/{id}/edit",
            host("open@example.org"),
            edit.clone(),
            "form[action$='/edit']",
        ),
        V::post(
            "host-edit-errors",
            "/host/offers/{id}/edit",
            host("open@example.org"),
            (edit, "form[action$='/edit']"),
            vec![("capacity", "0".into())],
            "[aria-invalid=true]",
            422,
        ),
        dash(
            "host-paused",
            host("paused@example.org"),
            "form[action$='/status'] input[value=open]",
        ),
        dash(
            "host-proposal",
            host("proposal@example.org"),
            "form[action$='/accept']",
        ),
        dash(
            "host-accepted",
            host("accepted@example.org"),
            "a[href^='tel:']",
        ),
        dash("host-invited", host("invite@example.org"), "li.card"),
        dash(
            "host-arrived",
            host("arrived@example.org"),
            "li.card.reveal",
        ),
        V::get(
            "host-not-coordinator",
            "/coord",
            host("open@example.org"),
            "/coord".into(),
            "main h1",
        )
        .status(404),
    ]
}

/// Once the holds have run out.
pub(super) fn later() -> Vec<V> {
    vec![dash(
        "host-paused-unanswered",
        host("silent@example.org"),
        "form[action$='/status'] input[value=open]",
    )]
}

fn host(email: &'static str) -> Who {
    Who::Account(email, PW)
}

/// The dashboard, as `who` sees it.
fn dash(name: &str, who: Who, expect: &'static str) -> V {
    V::get(name, "/host", who, "/host".into(), expect)
}

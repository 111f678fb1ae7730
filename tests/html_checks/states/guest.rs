//! The visits of the pages anyone reaches without an account: the landing
//! page, the guest's form, a request's page in each of its states, and
//! "is my relative safe?".

use super::Made;
use crate::visit::{Visit as V, Who};

pub(super) fn now(m: &Made) -> Vec<V> {
    let Made {
        waiting,
        unsafe_page,
        alone,
        asked,
        invited,
        behalf,
        acc,
        arr,
        closed,
        ..
    } = m;
    let vis = Who::Visitor;
    let need = || ("/need".to_owned(), "form[action='/need']");
    vec![
        V::get("landing", "/", vis, "/".into(), "a.big[href='/need']"),
        V::get("not-found", "", vis, "/no/such/page".into(), "main h1").status(404),
        // the guest's form and request pages
        V::get(
            "need",
            "/need",
            vis,
            "/need".into(),
            "form[action='/need'] button[type=submit]",
        ),
        V::post(
            "need-errors",
            "/need",
            vis,
            need(),
            vec![("name", "Samira".into())],
            "[aria-invalid=true]",
            422,
        ),
        V::post(
            "need-choices",
            "/need",
            vis,
            need(),
            vec![
                ("place", "Carcassonne".into()),
                ("name", "Samira".into()),
                ("contact_phone", "0700000001".into()),
            ],
            "fieldset.choices input[type=radio]",
            422,
        ),
        V::post(
            "need-csrf",
            "/need",
            vis,
            need(),
            vec![("csrf", "forged".into())],
            "#errors, .summary",
            403,
        ),
        guest("request-waiting", waiting, "form[action$='/ask']"),
        guest(
            "request-notice",
            &format!("{unsafe_page}?notice=unsafe"),
            "p.notice strong",
        ),
        guest("request-alone", alone, "#live-candidates h2"),
        guest("request-asked", asked, "#live-status .card"),
        guest("request-invited", invited, "form[action*='/accept/']"),
        guest("request-on-behalf", behalf, "form[action*='/accept/']"),
        guest("request-accepted", acc, ".card.reveal"),
        guest("request-arrived", arr, ".card.reveal"),
        guest("request-closed", closed, "#live-status"),
        // details added after sending: the form, and its refusals
        V::get(
            "request-details",
            "/r/{id}/{token}/details",
            vis,
            format!("{waiting}/details"),
            "form[action$='/details'] button[type=submit]",
        ),
        V::post(
            "request-details-errors",
            "/r/{id}/{token}/details",
            vis,
            (format!("{waiting}/details"), "form[action$='/details']"),
            vec![("trusted_contact_email", "not an address".into())],
            "[aria-invalid=true]",
            422,
        ),
        V::get(
            "request-unknown",
            "/r/{id}/{token}",
            vis,
            "/r/req_nothing/nothing".into(),
            "main h1",
        )
        .status(404),
        V::post(
            "request-action-csrf",
            "/r/{id}/{token}",
            vis,
            (waiting.clone(), "form[action$='/cancel']"),
            vec![("csrf", "forged".into())],
            "main h1",
            403,
        ),
        // is my relative safe?
        V::get("safe", "/safe", vis, "/safe".into(), "form[action='/safe']"),
        V::get(
            "safe-found",
            "/safe",
            vis,
            "/safe?name=Samira+Haddad".into(),
            "p.notice",
        ),
        V::get(
            "safe-error",
            "/safe",
            vis,
            "/safe?name=S".into(),
            "[aria-invalid=true]",
        )
        .status(422),
    ]
}

/// Once the holds have run out.
pub(super) fn later(m: &Made) -> Vec<V> {
    vec![guest("request-expired", &m.expiring, "#live-status .card")]
}

/// A request's page, for a visitor holding its link.
fn guest(name: &str, page: &str, expect: &'static str) -> V {
    V::get(
        name,
        "/r/{id}/{token}",
        Who::Visitor,
        page.to_owned(),
        expect,
    )
}

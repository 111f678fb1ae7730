//! Server-rendered HTML (maud). For now the landing page that tells a
//! newcomer what runs here; the guest, host and coordinator pages follow.

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{DOCTYPE, Markup, html};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(landing));
}

fn french(req: &HttpRequest) -> bool {
    let al = req
        .headers()
        .get("accept-language")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("fr");
    let fr = al.find("fr").unwrap_or(usize::MAX);
    let en = al.find("en").unwrap_or(usize::MAX);
    fr <= en
}

fn layout(lang: &str, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
            }
            body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 1rem auto; padding: 0 1rem; line-height: 1.5" {
                (body)
            }
        }
    }
}

async fn landing(req: HttpRequest) -> HttpResponse {
    let page = if french(&req) {
        layout(
            "fr",
            "Porte Ouverte",
            html! {
                h1 { "Porte Ouverte" }
                p { "Des habitants ouvrent leur porte aux personnes bloquées dehors pendant une crise." }
                p { "L'adresse exacte et les coordonnées d'un hôte ne sont montrées qu'après l'accord des deux côtés. Les distances sont calculées à partir d'une zone d'environ 500 m, jamais du point exact." }
                p { "Les pages pour les invités, les hôtes et les coordinateurs arrivent ; l'API JSON est disponible sous " code { "/api/v1" } "." }
            },
        )
    } else {
        layout(
            "en",
            "Porte Ouverte",
            html! {
                h1 { "Porte Ouverte" }
                p { "Residents open their door to people stranded outside during a crisis." }
                p { "A host's exact address and contact details are shown only after both sides agree. Distances are computed from an area of about 500 m, never from the exact point." }
                p { "Pages for guests, hosts and coordinators are coming; the JSON API is served under " code { "/api/v1" } "." }
            },
        )
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

pub fn not_found_page() -> HttpResponse {
    let page = layout(
        "en",
        "Not found — Porte Ouverte",
        html! {
            h1 { "Page not found" }
            p { a href="/" { "Back to the start" } }
        },
    );
    HttpResponse::NotFound()
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

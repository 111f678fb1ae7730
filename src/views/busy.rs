//! The page a visitor gets when admission control turns them away (503):
//! tiny and self-contained (no script, only the cached stylesheet), it says
//! when to try again and whom to call in danger.

use super::assets;
use crate::domain::locale::Lang;
use crate::i18n::{args, tr, trf};
use maud::{DOCTYPE, Markup, html};

pub fn busy(l: Lang, retry_after: u64, emergency: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(l.code()) dir=(l.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (tr(l, "busy-title")) " — " (tr(l, "app-name")) }
                link rel="stylesheet" href=(assets::url("app.css"));
            }
            body {
                main id="main" {
                    h1 { (tr(l, "busy-title")) }
                    p { (trf(l, "busy-text", args!["seconds" => retry_after])) }
                    p class="safety" { strong { (trf(l, "busy-danger", args!["numbers" => emergency])) } }
                }
            }
        }
    }
}

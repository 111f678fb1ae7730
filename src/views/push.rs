//! The "Alert me on this phone" control. Hidden unless the page's script
//! finds Web Push in the browser; without it the page is unchanged.

use crate::domain::locale::Lang;
use crate::i18n::tr;
use maud::{Markup, html};

/// `endpoint`: where the script posts the subscription; `page`: on a
/// guest's page, the short path that alerts open (the phone keeps the full
/// private link for it).
pub fn opt_in(l: Lang, endpoint: &str, csrf: &str, page: Option<&str>) -> Markup {
    html! {
        div class="push" hidden data-push=(endpoint) data-csrf=(csrf) data-page=[page]
            data-on=(tr(l, "push-on")) data-off=(tr(l, "push-off"))
            data-done=(tr(l, "push-done")) data-stopped=(tr(l, "push-stopped"))
            data-denied=(tr(l, "push-denied")) data-failed=(tr(l, "push-failed")) {
            button type="button" class="secondary" data-push-toggle { (tr(l, "push-on")) }
            p class="hint" role="status" data-push-status {}
        }
    }
}

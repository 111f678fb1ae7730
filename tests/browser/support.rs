//! Helpers of the browser tests: the request form's submit button in a phone's first screen.

use crate::common::browser::Browser;
use std::io::Write;

/// On a phone, the request form's required fields and its submit button
/// fit in the first screen (the optional details are folded below).
pub(crate) fn assert_submit_in_first_screen(b: &Browser<'_>) {
    let fits = b.exec(
        "const r = document.querySelector('form[action=\"/need\"] button[type=submit]').getBoundingClientRect(); \
         return [r.bottom, window.innerHeight]",
    );
    let (bottom, height) = (fits[0].as_f64().unwrap(), fits[1].as_f64().unwrap());
    assert!(
        bottom <= height,
        "the submit button ends at {bottom} px, the screen at {height} px"
    );
    let _ = writeln!(
        std::io::stderr(),
        "request form: submit ends at {bottom:.0} of {height:.0} px"
    );
}

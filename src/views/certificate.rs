//! The certificate under a suggestion: "sheltered 1,997 of at most 2,001",
//! and whether no assignment can do better.
//!
//! Numbers are grouped here, by language (a comma in English, a narrow
//! no-break space in French, as CLDR has it): `fluent-bundle` formats
//! numbers without grouping whatever `NUMBER()` asks, and a formatter for
//! every catalogue number would also group years. The messages still get
//! the numbers as numbers, for their plural forms.

use crate::domain::locale::Lang;
use crate::i18n::{args, tr, trf};
use crate::service::assignment::{Certificate, SolveMethod};
use maud::{Markup, html};

/// `n` with its thousands grouped as `lang` writes them.
pub fn grouped(lang: Lang, n: i32) -> String {
    let sep = match lang {
        Lang::En => ",",
        Lang::Fr => "\u{202f}",
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(d);
    }
    out
}

/// One paragraph: how many are sheltered of at most how many, and what is
/// proven.
pub fn line(l: Lang, c: &Certificate) -> Markup {
    let gap = (c.at_most - c.sheltered).max(0);
    let proof = if c.proven_optimal && c.method == SolveMethod::Exact {
        tr(l, "coord-suggest-exact").to_owned()
    } else if c.proven_optimal {
        tr(l, "coord-suggest-proven").to_owned()
    } else {
        trf(
            l,
            "coord-suggest-unproven",
            args!["gap" => gap, "gap_shown" => grouped(l, gap)],
        )
    };
    html! {
        p {
            strong { (trf(l, "coord-suggest-bound", args![
                "people" => c.sheltered,
                "people_shown" => grouped(l, c.sheltered),
                "bound_shown" => grouped(l, c.at_most),
            ])) }
            " " (proof)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_as_each_language_writes_them() {
        assert_eq!(grouped(Lang::En, 1997), "1,997");
        assert_eq!(grouped(Lang::Fr, 2001), "2\u{202f}001");
        assert_eq!(grouped(Lang::En, 999), "999");
        assert_eq!(grouped(Lang::En, 0), "0");
        assert_eq!(grouped(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(grouped(Lang::Fr, -1000), "-1\u{202f}000");
    }

    #[test]
    fn the_certificate_reads_in_both_languages() {
        let c = Certificate {
            sheltered: 1997,
            at_most: 2001,
            proven_optimal: false,
            method: SolveMethod::Heuristic,
        };
        let en = line(Lang::En, &c).into_string();
        assert!(
            en.contains("Sheltered 1,997 people of at most 2,001."),
            "{en}"
        );
        assert!(en.contains("at most 4 more people"), "{en}");
        let fr = line(Lang::Fr, &c).into_string();
        assert!(
            fr.contains("1\u{202f}997\u{a0}personnes hébergées sur 2\u{202f}001 au plus."),
            "{fr}"
        );
        assert!(
            fr.contains("au plus 4\u{a0}personnes de plus pourraient"),
            "{fr}"
        );
        let one = Certificate {
            sheltered: 1,
            at_most: 1,
            proven_optimal: true,
            method: SolveMethod::Exact,
        };
        let en = line(Lang::En, &one).into_string();
        assert!(en.contains("Sheltered 1 person of at most 1."), "{en}");
        assert!(en.contains("proven"), "{en}");
        let fr = line(Lang::Fr, &one).into_string();
        assert!(
            fr.contains("1\u{a0}personne hébergée sur 1 au plus."),
            "{fr}"
        );
        let unproven_one = Certificate {
            sheltered: 3,
            at_most: 4,
            proven_optimal: false,
            method: SolveMethod::Heuristic,
        };
        let en = line(Lang::En, &unproven_one).into_string();
        assert!(en.contains("at most one more person"), "{en}");
    }
}

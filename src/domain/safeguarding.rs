//! Safeguarding rules inside the matcher and the consent step. Stranded
//! people, women and children above all, are targets for predators posing
//! as hosts: some offers and some parties only meet hosts whose identity a
//! coordinator has seen.

use super::states::text_enum;

use super::values::Needs;

/// How much is known about a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// an account, nothing checked
    Unverified,
    /// the e-mail address answered
    EmailVerified,
    /// a coordinator saw an identity document (who and when is recorded)
    CoordinatorVerified,
}

/// The rules of a deployment (and, later, of an incident).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// `women_only` offers only from coordinator-verified hosts
    pub women_only_needs_verified_host: bool,
    /// parties with children only with coordinator-verified hosts
    pub children_need_verified_host: bool,
    /// a host's first acceptance waits for a coordinator before the reveal
    pub first_acceptance_review: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            women_only_needs_verified_host: true,
            children_need_verified_host: true,
            first_acceptance_review: false,
        }
    }
}

impl Rules {
    /// Whether a party with `needs` may meet an offer (`women_only` or not)
    /// of a host who is (`host_verified`) or is not coordinator-verified.
    pub fn allows(&self, offer_women_only: bool, host_verified: bool, needs: &Needs) -> bool {
        host_verified
            || !((self.women_only_needs_verified_host && offer_women_only)
                || (self.children_need_verified_host && needs.children))
    }
}

text_enum! {
    /// What a report weighs: the reporter's standing towards its target when
    /// they reported. Filing a report is free; standing is what costs an
    /// attacker something real (an answered ask, a checked identity).
    #[derive(PartialOrd, Ord)]
    Standing ("report standing") {
        /// anonymous, a guest link with no match with that host, or an account
        /// with nothing checked: goes to the coordinators' queue, hides nothing
        None = "none",
        /// a guest whose request has a match with the target that the host never
        /// accepted (an ask costs nothing but a free link), or a host account
        /// whose e-mail address answered
        Weak = "weak",
        /// a guest the host accepted (a match with the target reached
        /// `accepted`), or a host account whose identity a coordinator saw
        Strong = "strong",
        /// a coordinator
        Coordinator = "coordinator",
    }
}

impl Standing {
    /// Points towards `HIDE_AT`.
    pub const fn weight(self) -> u32 {
        match self {
            Standing::None => 0,
            Standing::Weak => 1,
            Standing::Strong => 2,
            Standing::Coordinator => HIDE_AT,
        }
    }
}

/// Points at which a target leaves every search until a coordinator
/// reviews it: two accepted guests, or one accepted guest and a host whose
/// identity was checked, or a coordinator.
pub const HIDE_AT: u32 = 4;
/// Weak reports together never give more than this: they can add to a
/// strong one, never hide anything on their own.
pub const WEAK_CAP: u32 = 2;
/// This many reports or more from one source (one network, or one reporter)
/// within an hour is a flood: shown to coordinators; a flooding reporter's
/// reports weigh nothing.
pub const FLOOD_REPORTS: usize = 5;
pub const FLOOD_WINDOW_MS: i64 = 60 * 60_000;

/// One open report on a target, as the weighing sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weighed<'a> {
    pub standing: Standing,
    /// the keyed hash of the reporter's network; `None` when unknown
    pub network: Option<&'a str>,
    /// its reporter is flooding (a network's flood is already one voice)
    pub flooding: bool,
}

/// The points of the open reports on one target: only the strongest report
/// of each network counts (many links from one place are one voice; an
/// unknown network is one place), reports from a flooding reporter count
/// nothing, and weak reports together at most `WEAK_CAP`.
pub fn score(reports: &[Weighed<'_>]) -> u32 {
    let mut best: std::collections::BTreeMap<Option<&str>, Standing> = Default::default();
    for r in reports.iter().filter(|r| !r.flooding) {
        let e = best.entry(r.network).or_insert(Standing::None);
        *e = (*e).max(r.standing);
    }
    let (mut weak, mut rest) = (0u32, 0u32);
    for s in best.into_values() {
        match s {
            Standing::Weak => weak += s.weight(),
            _ => rest = rest.saturating_add(s.weight()),
        }
    }
    rest.saturating_add(weak.min(WEAK_CAP))
}

/// Whether reports worth `score` points hide their target.
pub const fn hides(score: u32) -> bool {
    score >= HIDE_AT
}

/// The most reports of one source within any `FLOOD_WINDOW_MS` (times in
/// milliseconds, any order).
pub fn busiest_hour(times: &[i64]) -> usize {
    let mut t = times.to_vec();
    t.sort_unstable();
    let mut best = 0;
    let mut start = 0;
    for end in 0..t.len() {
        while t[end] - t[start] >= FLOOD_WINDOW_MS {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

/// Whether a source with reports at `times` is flooding.
pub fn floods(times: &[i64]) -> bool {
    busiest_hour(times) >= FLOOD_REPORTS
}

/// The network a reporter's address belongs to, as text to be hashed: the
/// /24 of an IPv4 address (IPv4-mapped IPv6 too), the /48 of an IPv6 one.
pub fn network_of(ip: std::net::IpAddr) -> String {
    use std::net::IpAddr;
    let v6 = match ip {
        IpAddr::V4(a) => a.to_ipv6_mapped(),
        IpAddr::V6(a) => a,
    };
    match v6.to_ipv4_mapped() {
        Some(a) => {
            let o = a.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        None => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(standing: Standing, network: &str) -> Weighed<'_> {
        Weighed {
            standing,
            network: Some(network),
            flooding: false,
        }
    }

    #[test]
    fn anonymous_reports_never_hide_however_many() {
        let nets: Vec<String> = (0..500).map(|i| format!("net{i}")).collect();
        let many: Vec<Weighed> = nets.iter().map(|n| w(Standing::None, n)).collect();
        assert_eq!(score(&many), 0);
        assert!(!hides(score(&many)));
    }

    #[test]
    fn weak_reports_alone_never_hide() {
        let nets: Vec<String> = (0..50).map(|i| format!("net{i}")).collect();
        let many: Vec<Weighed> = nets.iter().map(|n| w(Standing::Weak, n)).collect();
        assert_eq!(score(&many), WEAK_CAP);
        assert!(!hides(score(&many)));
        // but they add to strong ones
        let mut mixed = many.clone();
        mixed.push(w(Standing::Strong, "other"));
        assert!(hides(score(&mixed)));
    }

    #[test]
    fn two_accepted_guests_or_a_coordinator_hide() {
        assert!(!hides(score(&[w(Standing::Strong, "a")])));
        assert!(hides(score(&[
            w(Standing::Strong, "a"),
            w(Standing::Strong, "b")
        ])));
        assert!(hides(score(&[w(Standing::Coordinator, "a")])));
        assert_eq!(score(&[]), 0);
    }

    #[test]
    fn one_network_is_one_voice() {
        // two accepted guests behind the same /24 count once
        let same = [w(Standing::Strong, "a"), w(Standing::Strong, "a")];
        assert_eq!(score(&same), 2);
        assert!(!hides(score(&same)));
        // the strongest of a network counts
        assert_eq!(
            score(&[w(Standing::Weak, "a"), w(Standing::Strong, "a")]),
            2
        );
        // unknown networks are one place
        let unknown = Weighed {
            standing: Standing::Strong,
            network: None,
            flooding: false,
        };
        assert_eq!(score(&[unknown.clone(), unknown]), 2);
    }

    #[test]
    fn a_flooding_source_weighs_nothing() {
        let mut f = w(Standing::Strong, "b");
        f.flooding = true;
        assert_eq!(score(&[w(Standing::Strong, "a"), f]), 2);
    }

    #[test]
    fn floods_are_counted_within_an_hour() {
        let min = 60_000;
        let four: Vec<i64> = (0..4).map(|i| i * min).collect();
        assert!(!floods(&four));
        let five: Vec<i64> = (0..5).map(|i| i * 10 * min).collect();
        assert_eq!(busiest_hour(&five), 5);
        assert!(floods(&five));
        // five spread over more than an hour: no flood
        let spread: Vec<i64> = (0..5).map(|i| i * 16 * min).collect();
        assert_eq!(busiest_hour(&spread), 4);
        assert!(!floods(&spread));
        assert_eq!(busiest_hour(&[]), 0);
        let mut shuffled = vec![50 * min, 0, 10 * min, 30 * min, 20 * min];
        assert!(floods(&shuffled));
        shuffled.push(200 * min);
        assert_eq!(busiest_hour(&shuffled), 5);
    }

    #[test]
    fn networks_are_the_24_or_the_48() {
        let n = |s: &str| network_of(s.parse().unwrap());
        assert_eq!(n("203.0.113.7"), "203.0.113.0/24");
        assert_eq!(n("203.0.113.250"), n("203.0.113.7"));
        assert_ne!(n("203.0.114.7"), n("203.0.113.7"));
        assert_eq!(n("::ffff:203.0.113.9"), "203.0.113.0/24");
        assert_eq!(n("2001:db8:abcd:12::1"), "2001:db8:abcd::/48");
        assert_eq!(n("2001:db8:abcd:ffff::2"), n("2001:db8:abcd:12::1"));
        assert_ne!(n("2001:db8:abce::1"), n("2001:db8:abcd::1"));
    }

    #[test]
    fn standings_round_trip() {
        for s in [
            Standing::None,
            Standing::Weak,
            Standing::Strong,
            Standing::Coordinator,
        ] {
            assert_eq!(Standing::parse(s.as_str()), Some(s));
        }
        assert_eq!(Standing::parse("vip"), None);
    }

    #[test]
    fn verified_hosts_only_where_the_rules_say() {
        let r = Rules::default();
        let kids = Needs {
            children: true,
            ..Needs::default()
        };
        let none = Needs::default();
        assert!(r.allows(false, false, &none));
        assert!(
            !r.allows(true, false, &none),
            "women-only offer, unverified host"
        );
        assert!(!r.allows(false, false, &kids), "children, unverified host");
        assert!(r.allows(true, true, &kids));
        let off = Rules {
            women_only_needs_verified_host: false,
            children_need_verified_host: false,
            first_acceptance_review: false,
        };
        assert!(off.allows(true, false, &kids));
        assert!(Level::CoordinatorVerified > Level::EmailVerified);
    }
}

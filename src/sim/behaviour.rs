//! How people behave, as data: a [`Policy`] names a way of running the
//! night (today's pages are [`Policy::Baseline`]); each policy gives the
//! guests' and hosts' models that the event loop follows. A new feature
//! (asks made by the platform, live pages, push) is a new variant here and,
//! where it adds a new kind of step, a new arm in `night.rs`.

use super::scenario::HostProfile;
use rand::Rng;
use rand::rngs::StdRng;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Policy {
    /// The pages before the time-to-a-bed work: guests ask by hand from a
    /// request page that reloaded every 30 s (pages no longer reload
    /// themselves; the model keeps the old rhythm to compare with), hosts
    /// learn of each proposal by e-mail.
    Baseline,
    /// Time to a bed: guests leave "let us ask hosts for you" ticked (the
    /// platform asks, and asks again when an ask fails or a door opens);
    /// the live page tells them at once when a host said yes, and they
    /// confirm 10–60 s later. Hosts answer as before (their delays are the
    /// scenario's: push is not assumed to make anyone quicker). The sweeper
    /// runs every 10 s, as the server's background thread does.
    Now,
    /// `Now`, plus coordinators' global matching sending its suggestions by
    /// itself (`AUTO_MATCH`).
    NowMatched,
    /// `Now`, with guests who say "Yes, I would go there" to each ask the
    /// platform made for them as soon as their live page shows it (10–60 s),
    /// so that a host's yes places them at once.
    NowEager,
}

impl Policy {
    pub const ALL: [Policy; 4] = [
        Policy::Baseline,
        Policy::Now,
        Policy::NowMatched,
        Policy::NowEager,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Policy::Baseline => "baseline",
            Policy::Now => "now",
            Policy::NowMatched => "now-matched",
            Policy::NowEager => "now-eager",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == s)
    }

    pub fn guests(self) -> GuestModel {
        let baseline = GuestModel {
            reload_ms: 30_000,
            react_ms: (10_000, 60_000),
            live_asks: crate::service::matches::MAX_LIVE_PROPOSALS,
            limit: 10,
            radius_km: crate::service::requests::DEFAULT_RADIUS_KM,
            auto_ask: false,
            agree_ahead: false,
            sweep_ms: 30_000,
        };
        match self {
            Policy::Baseline => baseline,
            // the guest asks nobody by hand: the platform does; the page is
            // live, so nothing waits for a reload
            Policy::Now | Policy::NowMatched | Policy::NowEager => GuestModel {
                live_asks: 0,
                auto_ask: true,
                agree_ahead: self == Policy::NowEager,
                sweep_ms: 10_000,
                ..baseline
            },
        }
    }

    pub fn hosts(self) -> HostModel {
        HostModel {
            noise: 0.3,
            whole_page: true,
        }
    }

    /// The deployment's settings this policy runs with.
    pub fn configure(self, config: &mut crate::config::Config) {
        config.auto_match = self == Policy::NowMatched;
    }
}

/// What a guest does: looks at the request page, which reloads every
/// `reload_ms`; when it shows news (an answer, a hold run out) or free ask
/// slots and doors to ask, acts `react_ms` later: asks the best candidates
/// (the search, `limit`, `radius_km`) until `live_asks` are live.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GuestModel {
    pub reload_ms: i64,
    pub react_ms: (i64, i64),
    pub live_asks: usize,
    pub limit: usize,
    pub radius_km: f64,
    /// the request form's "let us ask hosts for you"
    pub auto_ask: bool,
    /// says yes ahead to each ask made for them ("Yes, I would go there")
    pub agree_ahead: bool,
    /// how often the sweeper runs (the server's cadence under this policy)
    pub sweep_ms: i64,
}

impl GuestModel {
    pub fn reaction(&self, rng: &mut StdRng) -> i64 {
        rng.gen_range(self.react_ms.0..=self.react_ms.1)
    }
}

/// What a host does with a proposal: the profile's answer, after the host's
/// typical delay times a per-proposal factor in 1 ± `noise`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HostModel {
    pub noise: f64,
    /// a host who comes to answer one ask answers, in the same visit, every
    /// live ask on their door (their page lists them all)
    pub whole_page: bool,
}

/// No host answers a proposal sooner than this (ms), however fast.
pub const QUICKEST_ANSWER_MS: i64 = 30_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline,
}

impl HostModel {
    /// The host's answer to one proposal and how long after it arrives,
    /// or `None` for a host who never answers.
    pub fn answer(&self, profile: HostProfile, rng: &mut StdRng) -> Option<(i64, Answer)> {
        let (typical, answer) = match profile {
            HostProfile::Silent => return None,
            HostProfile::Decliner { typical_ms } => (typical_ms, Answer::Decline),
            HostProfile::Answers { typical_ms } => (typical_ms, Answer::Accept),
        };
        let factor = rng.gen_range(1.0 - self.noise..=1.0 + self.noise);
        Some((Self::delay(typical, factor), answer))
    }

    /// The quickest answer [`HostModel::answer`] can draw for this host
    /// (its typical delay × (1 − noise), at least 30 s), or `None` for a
    /// host who never answers.
    pub fn fastest(&self, profile: HostProfile) -> Option<i64> {
        match profile {
            HostProfile::Silent => None,
            HostProfile::Decliner { typical_ms } | HostProfile::Answers { typical_ms } => {
                Some(Self::delay(typical_ms, 1.0 - self.noise))
            }
        }
    }

    fn delay(typical_ms: i64, factor: f64) -> i64 {
        ((typical_ms as f64) * factor).max(QUICKEST_ANSWER_MS as f64) as i64
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn no_answer_comes_sooner_than_the_fastest() {
        let model = Policy::Now.hosts();
        let mut rng = StdRng::seed_from_u64(9);
        for typical_ms in [10_000, 60_000, 600_000, 1_200_000] {
            let p = HostProfile::Answers { typical_ms };
            let fastest = model.fastest(p).unwrap();
            let expect = ((typical_ms as f64) * 0.7).max(30_000.0) as i64;
            assert_eq!(fastest, expect);
            let mut least = i64::MAX;
            for _ in 0..2_000 {
                let (ms, a) = model.answer(p, &mut rng).unwrap();
                assert_eq!(a, Answer::Accept);
                assert!(ms >= fastest, "{ms} < {fastest}");
                least = least.min(ms);
            }
            // the bound is tight: draws come within 1 % of it
            assert!((least - fastest) as f64 <= 0.01 * typical_ms as f64 + 1.0);
        }
        assert_eq!(model.fastest(HostProfile::Silent), None);
        let d = HostProfile::Decliner {
            typical_ms: 100_000,
        };
        assert_eq!(model.fastest(d), Some(70_000));
    }
}

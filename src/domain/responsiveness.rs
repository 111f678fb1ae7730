//! How a host answers, and what follows from it: where their offer ranks
//! within a distance band, how long a proposal holds their places, and when
//! the platform pauses the offer because nobody is answering.
//!
//! None of it depends on anyone's location, so ranking with it reveals
//! nothing about where a host lives (see `domain::privacy`).

use super::Millis;

const MINUTE: Millis = 60_000;

/// What the platform knows of how an offer's host answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HostRecord {
    /// the host's last page or API call, or push acknowledgement
    pub seen_at: Option<Millis>,
    pub accepted: i32,
    pub declined: i32,
    /// holds that ran out while waiting for the host's answer
    pub expired: i32,
    pub declines_in_row: i32,
    /// moving average of the time the host took to answer
    pub answer_ms_avg: Option<Millis>,
}

/// Ranking classes within a distance band, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// seen recently, or answers quickly
    Fast,
    /// nothing known yet: a new host is neither favoured nor pushed back
    Neutral,
    /// let holds run out, or declines without ever accepting
    Slow,
}

/// A host counts as present when seen within this time.
pub const SEEN_RECENTLY: Millis = 15 * MINUTE;
/// An average answer at least this quick counts as fast.
pub const QUICK_ANSWER: Millis = 6 * MINUTE;

impl HostRecord {
    pub fn tier(&self, now: Millis) -> Tier {
        if self.expired > self.accepted || (self.accepted == 0 && self.declined > 0) {
            return Tier::Slow;
        }
        let present = self.seen_at.is_some_and(|s| now - s <= SEEN_RECENTLY);
        let quick = self.accepted > 0 && self.answer_ms_avg.is_some_and(|a| a <= QUICK_ANSWER);
        if present || quick {
            Tier::Fast
        } else {
            Tier::Neutral
        }
    }

    /// The record after the host answered a proposal made at `asked_at`.
    pub fn answered(mut self, accepted: bool, asked_at: Millis, now: Millis) -> Self {
        if accepted {
            self.accepted += 1;
            self.declines_in_row = 0;
        } else {
            self.declined += 1;
            self.declines_in_row += 1;
        }
        let took = (now - asked_at).max(0);
        // weight 1/3 on the newest answer: follows a host who slows down
        // during the night without forgetting a single quick answer at once
        self.answer_ms_avg = Some(match self.answer_ms_avg {
            None => took,
            Some(avg) => (2 * avg + took) / 3,
        });
        self.seen_at = Some(self.seen_at.map_or(now, |s| s.max(now)));
        self
    }
}

/// Why the platform paused an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// a hold ran out without an answer from the host
    Unanswered,
    /// the host declined several asks in a row without accepting one
    Declines,
}

impl PauseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            PauseReason::Unanswered => "unanswered",
            PauseReason::Declines => "declines",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unanswered" => Some(PauseReason::Unanswered),
            "declines" => Some(PauseReason::Declines),
            _ => None,
        }
    }
}

/// How long proposals hold places, for one request (its incident's
/// settings, else the deployment's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldPolicy {
    /// a proposal to a host seen recently (or made by the host)
    pub base: Millis,
    /// a proposal to a host not seen for a while: shorter, so a silent host
    /// does not keep a stranded person waiting long
    pub unseen: Millis,
    /// once the host is active after the proposal, it holds at least this
    /// long from that moment…
    pub extend: Millis,
    /// …but never longer than this from its creation
    pub cap: Millis,
    /// declines in a row, without an acceptance, that pause an offer
    pub pause_after_declines: i32,
}

impl HoldPolicy {
    /// The expiry of a proposal made at `now`.
    pub fn expires_at(&self, now: Millis, host_seen_at: Option<Millis>, by_host: bool) -> Millis {
        let present = by_host || host_seen_at.is_some_and(|s| now - s <= SEEN_RECENTLY);
        now + if present { self.base } else { self.unseen }
    }

    /// The new expiry of a live proposal whose host was active at `seen_at`
    /// (after it was made), if that extends it.
    pub fn extended(
        &self,
        created_at: Millis,
        expires_at: Millis,
        seen_at: Millis,
    ) -> Option<Millis> {
        if seen_at < created_at || seen_at >= expires_at {
            return None;
        }
        let to = (seen_at + self.extend).min(created_at + self.cap);
        (to > expires_at).then_some(to)
    }

    /// Whether a host whose record (after their latest answer) is `rec`
    /// gets their offer paused: after `pause_after_declines` declines in a
    /// row, and at the first decline of a host who never accepted anyone
    /// (on the crisis-night simulator this cut the asks that went to hosts
    /// who decline everything from 12 % to 7 %, at no cost in time or
    /// persons placed; docs/BENCHMARKS.md). 0 never pauses.
    pub fn pauses_after(&self, rec: &HostRecord) -> bool {
        self.pause_after_declines > 0
            && rec.declines_in_row > 0
            && (rec.declines_in_row >= self.pause_after_declines || rec.accepted == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_800_000_000_000;

    fn policy() -> HoldPolicy {
        HoldPolicy {
            base: 20 * MINUTE,
            unseen: 8 * MINUTE,
            extend: 10 * MINUTE,
            cap: 40 * MINUTE,
            pause_after_declines: 2,
        }
    }

    #[test]
    fn new_hosts_are_neutral_present_ones_fast() {
        let new = HostRecord::default();
        assert_eq!(new.tier(NOW), Tier::Neutral);
        let seen = HostRecord {
            seen_at: Some(NOW - SEEN_RECENTLY),
            ..new
        };
        assert_eq!(seen.tier(NOW), Tier::Fast);
        assert_eq!(seen.tier(NOW + 1), Tier::Neutral);
    }

    #[test]
    fn silence_and_refusals_rank_last() {
        let r = HostRecord {
            seen_at: Some(NOW),
            expired: 1,
            ..HostRecord::default()
        };
        assert_eq!(r.tier(NOW), Tier::Slow, "even if seen just now");
        let d = HostRecord::default().answered(false, NOW - MINUTE, NOW);
        assert_eq!(d.tier(NOW + SEEN_RECENTLY * 2), Tier::Slow);
        let ok = d.answered(true, NOW, NOW + 2 * MINUTE);
        assert_eq!(ok.declines_in_row, 0);
        assert_ne!(ok.tier(NOW + SEEN_RECENTLY * 2), Tier::Slow);
    }

    #[test]
    fn quick_answers_are_remembered() {
        let r = HostRecord::default().answered(true, NOW, NOW + 3 * MINUTE);
        assert_eq!(r.answer_ms_avg, Some(3 * MINUTE));
        assert_eq!(r.tier(NOW + 3 * MINUTE + SEEN_RECENTLY * 4), Tier::Fast);
        let slow = r.answered(true, NOW, NOW + 18 * MINUTE);
        assert_eq!(slow.answer_ms_avg, Some(8 * MINUTE));
        assert_eq!(slow.tier(NOW + 99 * MINUTE), Tier::Neutral);
    }

    #[test]
    fn holds_are_shorter_for_absent_hosts() {
        let p = policy();
        assert_eq!(p.expires_at(NOW, None, false), NOW + 8 * MINUTE);
        assert_eq!(p.expires_at(NOW, None, true), NOW + 20 * MINUTE);
        assert_eq!(
            p.expires_at(NOW, Some(NOW - SEEN_RECENTLY), false),
            NOW + 20 * MINUTE
        );
        assert_eq!(
            p.expires_at(NOW, Some(NOW - SEEN_RECENTLY - 1), false),
            NOW + 8 * MINUTE
        );
    }

    #[test]
    fn holds_extend_when_the_host_is_there_up_to_the_cap() {
        let p = policy();
        let (created, exp) = (NOW, NOW + 8 * MINUTE);
        assert_eq!(p.extended(created, exp, NOW - 1), None, "seen before");
        assert_eq!(p.extended(created, exp, exp), None, "already over");
        assert_eq!(
            p.extended(created, exp, NOW + 5 * MINUTE),
            Some(NOW + 15 * MINUTE)
        );
        assert_eq!(
            p.extended(created, exp, NOW + MINUTE - 1),
            Some(NOW + 11 * MINUTE - 1)
        );
        let late = NOW + 35 * MINUTE;
        assert_eq!(
            p.extended(created, late + 1, late),
            Some(NOW + 40 * MINUTE),
            "capped"
        );
        assert_eq!(
            p.extended(created, NOW + 40 * MINUTE, NOW + 39 * MINUTE),
            None
        );
    }

    #[test]
    fn pause_after_declines_in_a_row_or_a_first_decline() {
        let p = policy();
        let new = HostRecord::default();
        assert!(!p.pauses_after(&new), "no answer yet");
        let first = new.answered(false, NOW - MINUTE, NOW);
        assert!(
            p.pauses_after(&first),
            "never accepted anyone: paused at once"
        );
        let has_accepted = new.answered(true, NOW - MINUTE, NOW);
        assert!(!p.pauses_after(&has_accepted));
        let once = has_accepted.answered(false, NOW, NOW + MINUTE);
        assert!(!p.pauses_after(&once), "one decline after an acceptance");
        let twice = once.answered(false, NOW, NOW + 2 * MINUTE);
        assert!(p.pauses_after(&twice));
        let never = HoldPolicy {
            pause_after_declines: 0,
            ..p
        };
        assert!(!never.pauses_after(&first) && !never.pauses_after(&twice));
        for r in [PauseReason::Unanswered, PauseReason::Declines] {
            assert_eq!(PauseReason::parse(r.as_str()), Some(r));
        }
    }
}

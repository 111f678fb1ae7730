//! The match state machine.
//!
//! ```text
//! proposed ──both consented──▶ accepted ──▶ arrived
//!    │ decline / expiry / cancel     │ cancel
//!    ▼                               ▼
//! declined | expired | cancelled   cancelled
//! ```
//! A proposal holds the party's places until `expires_at`; once that instant
//! has passed it is expired whatever the stored status says.

use super::Millis;
use super::states::text_enum;
use thiserror::Error;

text_enum! {
    /// Where a match stands.
    Status ("match status") {
        Proposed = "proposed",
        Accepted = "accepted",
        Declined = "declined",
        Expired = "expired",
        Cancelled = "cancelled",
        Arrived = "arrived",
    }
}

impl Status {
    /// Accepted and arrived matches occupy places; contacts are revealed.
    pub fn is_accepted(self) -> bool {
        matches!(self, Status::Accepted | Status::Arrived)
    }
}

text_enum! {
    /// Who acts on a match (and who proposed it, who saw a reveal).
    Side ("side") {
        Guest = "guest",
        Host = "host",
        Coordinator = "coordinator",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MatchError {
    #[error("this proposal has expired")]
    Expired,
    #[error("this match is {} and cannot change that way", .0.as_str())]
    WrongState(Status),
    #[error("only the guest or the host can do this")]
    PartiesOnly,
}

impl MatchError {
    pub fn code(&self) -> &'static str {
        match self {
            MatchError::Expired => "match_expired",
            MatchError::WrongState(_) => "match_state",
            MatchError::PartiesOnly => "parties_only",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchState {
    pub status: Status,
    pub guest_consent: bool,
    pub host_consent: bool,
    pub expires_at: Millis,
}

/// What an action did, so the caller knows which places to free or take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Consent recorded, still waiting for the other side (or already given).
    Consented,
    /// Both sides consented just now: the hold becomes accepted places.
    Accepted,
    /// A live hold was released.
    HoldReleased,
    /// Accepted places were released.
    PlacesReleased,
    /// Arrival recorded.
    Arrived,
}

impl MatchState {
    pub fn effective_status(&self, now: Millis) -> Status {
        if self.status == Status::Proposed && self.expires_at <= now {
            Status::Expired
        } else {
            self.status
        }
    }

    fn live_proposal(&self, now: Millis) -> Result<(), MatchError> {
        match self.effective_status(now) {
            Status::Proposed => Ok(()),
            Status::Expired => Err(MatchError::Expired),
            s => Err(MatchError::WrongState(s)),
        }
    }

    pub fn accept(&mut self, side: Side, now: Millis) -> Result<Effect, MatchError> {
        if self.status.is_accepted() && side != Side::Coordinator {
            return Ok(Effect::Consented); // idempotent: a double tap is fine
        }
        self.live_proposal(now)?;
        match side {
            Side::Guest => self.guest_consent = true,
            Side::Host => self.host_consent = true,
            Side::Coordinator => return Err(MatchError::PartiesOnly),
        }
        if self.guest_consent && self.host_consent {
            self.status = Status::Accepted;
            Ok(Effect::Accepted)
        } else {
            Ok(Effect::Consented)
        }
    }

    pub fn decline(&mut self, side: Side, now: Millis) -> Result<Effect, MatchError> {
        if side == Side::Coordinator {
            return Err(MatchError::PartiesOnly);
        }
        self.live_proposal(now)?;
        self.status = Status::Declined;
        Ok(Effect::HoldReleased)
    }

    pub fn cancel(&mut self, now: Millis) -> Result<Effect, MatchError> {
        match self.effective_status(now) {
            Status::Proposed => {
                self.status = Status::Cancelled;
                Ok(Effect::HoldReleased)
            }
            Status::Accepted => {
                self.status = Status::Cancelled;
                Ok(Effect::PlacesReleased)
            }
            Status::Expired => Err(MatchError::Expired),
            s => Err(MatchError::WrongState(s)),
        }
    }

    pub fn arrive(&mut self, now: Millis) -> Result<Effect, MatchError> {
        match self.effective_status(now) {
            Status::Accepted => {
                self.status = Status::Arrived;
                Ok(Effect::Arrived)
            }
            Status::Arrived => Ok(Effect::Arrived),
            Status::Expired => Err(MatchError::Expired),
            s => Err(MatchError::WrongState(s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn proposed(guest: bool, host: bool) -> MatchState {
        MatchState {
            status: Status::Proposed,
            guest_consent: guest,
            host_consent: host,
            expires_at: 100,
        }
    }

    #[test]
    fn both_consents_accept() {
        let mut m = proposed(true, false);
        assert_eq!(m.accept(Side::Guest, 10), Ok(Effect::Consented));
        assert_eq!(m.status, Status::Proposed);
        assert_eq!(m.accept(Side::Host, 10), Ok(Effect::Accepted));
        assert_eq!(m.status, Status::Accepted);
        assert_eq!(m.accept(Side::Host, 10), Ok(Effect::Consented));
    }

    #[test]
    fn coordinator_proposal_needs_both() {
        let mut m = proposed(false, false);
        assert_eq!(
            m.accept(Side::Coordinator, 10),
            Err(MatchError::PartiesOnly)
        );
        assert_eq!(m.accept(Side::Host, 10), Ok(Effect::Consented));
        assert_eq!(m.accept(Side::Guest, 10), Ok(Effect::Accepted));
    }

    #[test]
    fn expiry_is_immediate() {
        let mut m = proposed(true, false);
        assert_eq!(m.effective_status(99), Status::Proposed);
        assert_eq!(m.effective_status(100), Status::Expired);
        assert_eq!(m.accept(Side::Host, 100), Err(MatchError::Expired));
        assert_eq!(m.decline(Side::Host, 100), Err(MatchError::Expired));
        assert_eq!(m.cancel(100), Err(MatchError::Expired));
    }

    #[test]
    fn release_effects() {
        let mut m = proposed(true, false);
        assert_eq!(m.decline(Side::Host, 1), Ok(Effect::HoldReleased));
        assert_eq!(
            m.accept(Side::Host, 1),
            Err(MatchError::WrongState(Status::Declined))
        );
        let mut a = proposed(true, true);
        a.status = Status::Accepted;
        assert_eq!(
            a.decline(Side::Guest, 1),
            Err(MatchError::WrongState(Status::Accepted))
        );
        assert_eq!(a.arrive(1), Ok(Effect::Arrived));
        assert_eq!(a.cancel(1), Err(MatchError::WrongState(Status::Arrived)));
        let mut b = proposed(true, true);
        b.status = Status::Accepted;
        assert_eq!(b.cancel(1), Ok(Effect::PlacesReleased));
    }

    #[test]
    fn status_round_trip() {
        for s in [
            Status::Proposed,
            Status::Accepted,
            Status::Declined,
            Status::Expired,
            Status::Cancelled,
            Status::Arrived,
        ] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("x"), None);
    }

    proptest! {
        /// Whatever sequence of actions: accepted only with both consents,
        /// and a terminal state never comes back to life.
        #[test]
        fn no_acceptance_without_two_consents(actions in prop::collection::vec((0u8..5, 0u8..3, 0i64..200), 0..12)) {
            let mut m = proposed(false, false);
            for (a, s, t) in actions {
                let side = [Side::Guest, Side::Host, Side::Coordinator][s as usize];
                let before = m;
                let _ = match a { 0 => m.accept(side, t), 1 => m.decline(side, t), 2 => m.cancel(t), 3 => m.arrive(t), _ => Ok(Effect::Consented) };
                if m.status.is_accepted() {
                    prop_assert!(m.guest_consent && m.host_consent);
                }
                if matches!(before.status, Status::Declined | Status::Cancelled | Status::Expired) {
                    prop_assert_eq!(before.status, m.status);
                }
            }
        }
    }
}

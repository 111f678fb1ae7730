//! Safeguarding rules inside the matcher and the consent step. Stranded
//! people, women and children above all, are targets for predators posing
//! as hosts: some offers and some parties only meet hosts whose identity a
//! coordinator has seen.

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

#[cfg(test)]
mod tests {
    use super::*;

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

//! What must never reach a party before consent, and the check that it did not.

/// Every string that must never reach a party before consent.
pub const SECRETS: &[&str] = &[
    "rue de la Roquette",
    "Digicode",
    "+33612345678",
    "host@example.org",
    "Dupont",
    "Hélène",
];
pub const GUEST_SECRETS: &[&str] = &["+33700000001", "guest@example.org", "with my brother"];

pub fn assert_no_secret(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "'{s}' leaked in: {text}");
    }
}

-- Notifications: a transactional outbox (each mail is written in the same
-- transaction as the change that causes it, then delivered by a worker),
-- and what the safe-arrival loop needs.

CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- emptied once sent: personal data is kept no longer than needed
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- which worker holds it, and until when (a crashed worker's claim lapses)
    claim TEXT,
    claimed_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- the language mails are written in
ALTER TABLE accounts ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr';
ALTER TABLE requests ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr';
-- "mark safe": one address told once of a safe arrival, with the guest's consent
ALTER TABLE requests ADD COLUMN trusted_email TEXT;
ALTER TABLE requests ADD COLUMN trusted_notified_at BIGINT;
-- no arrival confirmed in time: shown first to coordinators, who get a mail
ALTER TABLE matches ADD COLUMN escalated_at BIGINT;
-- "I feel unsafe", raised by the guest; never shown to the host
ALTER TABLE matches ADD COLUMN unsafe_at BIGINT;
CREATE INDEX matches_status_accepted ON matches (status, accepted_at);

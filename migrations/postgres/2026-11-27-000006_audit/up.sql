-- The audit log: append-only and hash-chained. Each entry carries the hash
-- of the previous one; `porte-ouverte audit verify` recomputes the chain.
-- Entries hold IDs, sides and states only: never a secret or a contact.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- the chain's head, one row: appending locks it, so entries line up one
-- after the other whatever the concurrency
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, 'genesis');

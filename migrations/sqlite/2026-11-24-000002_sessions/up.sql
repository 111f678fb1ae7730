-- Browser sessions of hosts and coordinators: the cookie holds a random
-- secret, the database only its SHA-256, so logging out (or a suspension)
-- revokes it at once on every instance.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

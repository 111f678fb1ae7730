-- Links mailed to account holders: e-mail verification and password reset.
-- Only the SHA-256 of each link's secret is stored; a link works once.
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_links_account ON account_links (account_id);

ALTER TABLE accounts ADD COLUMN email_verified_at BIGINT;

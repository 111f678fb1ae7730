-- Safeguarding: verification levels, suspension, coordinator review of a
-- host's first acceptance, reports and blocks.

-- identity seen by a coordinator (who, when); suspension
ALTER TABLE accounts ADD COLUMN identity_verified_at BIGINT;
ALTER TABLE accounts ADD COLUMN identity_verified_by TEXT;
ALTER TABLE accounts ADD COLUMN suspended_at BIGINT;

-- copied onto offers (with updated_at bumped) so that every instance's
-- candidate index follows them: the host's verification, the host's
-- suspension, and hiding after reports until a coordinator reviews
ALTER TABLE offers ADD COLUMN host_verified BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE offers ADD COLUMN host_suspended BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE offers ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE;

-- a host's first acceptance may wait for a coordinator before the reveal
ALTER TABLE matches ADD COLUMN review_required_at BIGINT;
ALTER TABLE matches ADD COLUMN approved_at BIGINT;
ALTER TABLE matches ADD COLUMN approved_by TEXT;

CREATE TABLE reports (
    id TEXT PRIMARY KEY NOT NULL,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('offer', 'host', 'guest')),
    target_id TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('asks_money', 'unsafe', 'inappropriate', 'fake', 'other')),
    details TEXT,
    -- who reported: an account, a request, or a keyed hash of an address;
    -- one reporter counts once per target
    reporter TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    reviewed_at BIGINT,
    reviewed_by TEXT,
    outcome TEXT CHECK (outcome IN ('dismissed', 'upheld'))
);
CREATE UNIQUE INDEX reports_once ON reports (target_kind, target_id, reporter);
CREATE INDEX reports_open ON reports (reviewed_at, created_at);

CREATE TABLE blocks (
    request_id TEXT NOT NULL REFERENCES requests (id),
    host_id TEXT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, host_id)
);

-- Timestamps are BIGINT milliseconds since the Unix epoch (UTC) on both
-- backends: exact, portable comparisons. The same DDL serves SQLite and
-- PostgreSQL; keep migrations/sqlite and migrations/postgres in step.

CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    phone TEXT,
    role TEXT NOT NULL CHECK (role IN ('host', 'coordinator')),
    created_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);

CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    host_id TEXT NOT NULL REFERENCES accounts (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'paused', 'closed')),
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    -- places taken by accepted (and arrived) matches; holds are counted from
    -- live proposals, since they expire with time
    accepted_places INTEGER NOT NULL DEFAULT 0
        CHECK (accepted_places >= 0 AND accepted_places <= capacity),
    lat DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
    address TEXT NOT NULL,
    cell TEXT NOT NULL,
    cell_lat DOUBLE PRECISION NOT NULL,
    cell_lon DOUBLE PRECISION NOT NULL,
    available_from BIGINT NOT NULL,
    available_until BIGINT NOT NULL CHECK (available_until > available_from),
    contact_phone TEXT,
    contact_email TEXT,
    notes TEXT,
    accessible BOOLEAN NOT NULL DEFAULT FALSE,
    pets_ok BOOLEAN NOT NULL DEFAULT FALSE,
    children_ok BOOLEAN NOT NULL DEFAULT FALSE,
    women_only BOOLEAN NOT NULL DEFAULT FALSE,
    languages TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    -- bumped by every change to the offer or its matches: other instances
    -- follow it to keep their in-memory candidate index current
    updated_at BIGINT NOT NULL
);
CREATE INDEX offers_host ON offers (host_id);
CREATE INDEX offers_updated ON offers (updated_at);

CREATE TABLE requests (
    id TEXT PRIMARY KEY NOT NULL,
    access_token_hash TEXT NOT NULL UNIQUE,
    token_expires_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'matched', 'arrived', 'cancelled')),
    lat DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
    cell TEXT NOT NULL,
    cell_lat DOUBLE PRECISION NOT NULL,
    cell_lon DOUBLE PRECISION NOT NULL,
    party_size INTEGER NOT NULL CHECK (party_size BETWEEN 1 AND 20),
    name TEXT NOT NULL,
    contact_phone TEXT,
    contact_email TEXT,
    need_accessible BOOLEAN NOT NULL DEFAULT FALSE,
    need_pets BOOLEAN NOT NULL DEFAULT FALSE,
    need_children BOOLEAN NOT NULL DEFAULT FALSE,
    need_women_only BOOLEAN NOT NULL DEFAULT FALSE,
    languages TEXT NOT NULL DEFAULT '',
    notes TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (contact_phone IS NOT NULL OR contact_email IS NOT NULL)
);
CREATE INDEX requests_waiting_cell ON requests (status, cell_lat, cell_lon);
CREATE INDEX requests_status_created ON requests (status, created_at);

CREATE TABLE matches (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES requests (id),
    offer_id TEXT NOT NULL REFERENCES offers (id),
    party_size INTEGER NOT NULL CHECK (party_size BETWEEN 1 AND 20),
    status TEXT NOT NULL
        CHECK (status IN ('proposed', 'accepted', 'declined', 'expired', 'cancelled', 'arrived')),
    proposed_by TEXT NOT NULL CHECK (proposed_by IN ('guest', 'host', 'coordinator')),
    guest_consent_at BIGINT,
    host_consent_at BIGINT,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    accepted_at BIGINT,
    arrived_at BIGINT,
    CHECK (status NOT IN ('accepted', 'arrived')
           OR (guest_consent_at IS NOT NULL AND host_consent_at IS NOT NULL))
);
-- one live match per (request, offer) pair
CREATE UNIQUE INDEX matches_live_pair ON matches (request_id, offer_id)
    WHERE status IN ('proposed', 'accepted', 'arrived');
CREATE INDEX matches_offer_status ON matches (offer_id, status);
CREATE INDEX matches_request_status ON matches (request_id, status);
CREATE INDEX matches_status_expires ON matches (status, expires_at);

-- every time contact details or an address were shown, to whom
CREATE TABLE reveals (
    id TEXT PRIMARY KEY NOT NULL,
    match_id TEXT NOT NULL REFERENCES matches (id),
    viewer_side TEXT NOT NULL CHECK (viewer_side IN ('guest', 'host', 'coordinator')),
    viewer_account_id TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX reveals_match ON reveals (match_id);

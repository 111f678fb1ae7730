-- Incidents: a coordinator opens one over an area (a circle, or a polygon
-- as JSON [[lat, lon], ...]); offers and requests inside belong to it.
-- Closing it closes them and schedules the deletion of their personal data.
CREATE TABLE incidents (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    center_lat DOUBLE PRECISION NOT NULL,
    center_lon DOUBLE PRECISION NOT NULL,
    radius_m DOUBLE PRECISION,
    polygon TEXT,
    starts_at BIGINT NOT NULL,
    planned_end_at BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    emergency_numbers TEXT NOT NULL,
    women_only_needs_verified_host BOOLEAN NOT NULL,
    children_need_verified_host BOOLEAN NOT NULL,
    first_acceptance_review BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT,
    purge_after BIGINT,
    purged_at BIGINT,
    -- what remains after the purge: anonymous counts, as JSON
    summary TEXT
);

-- which request or offer a mail is about, so that the purge finds it
ALTER TABLE outbox ADD COLUMN about TEXT;
CREATE INDEX outbox_about ON outbox (about);

ALTER TABLE offers ADD COLUMN incident_id TEXT;
ALTER TABLE requests ADD COLUMN incident_id TEXT;
CREATE INDEX offers_incident ON offers (incident_id);
CREATE INDEX requests_incident ON requests (incident_id);

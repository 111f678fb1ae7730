-- Reports weighted by who files them (issue 11, finding 2): the reporter's
-- standing towards the target when they reported, and a keyed hash of the
-- reporter's network (/24 for IPv4, /48 for IPv6), never the address.
ALTER TABLE reports ADD COLUMN standing TEXT NOT NULL DEFAULT 'none'
    CHECK (standing IN ('none', 'weak', 'strong', 'coordinator'));
ALTER TABLE reports ADD COLUMN network TEXT;
CREATE INDEX reports_by_time ON reports (created_at);

-- Coordinators' deliberate reads of a person's details (finding 3): who,
-- why and when, shown to the person in "who has seen my details". `owner`
-- is the host's account ID (an offer's details) or the request ID.
CREATE TABLE details_accesses (
    id TEXT PRIMARY KEY NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('offer', 'request')),
    subject_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    viewer_account_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX details_accesses_owner ON details_accesses (owner, created_at);
CREATE INDEX details_accesses_subject ON details_accesses (subject_id);

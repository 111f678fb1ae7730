-- Time to a bed: how each offer's host answers, offers paused when their
-- host stops answering, asks the platform makes on a guest's behalf, and
-- holds that fit the night (per incident).

-- when the host was last seen (any page or API call, a push acknowledgement),
-- written in batches by the background thread, never by a read
ALTER TABLE offers ADD COLUMN host_seen_at BIGINT;
-- how the host answered asks on this offer
ALTER TABLE offers ADD COLUMN answers_accepted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN answers_declined INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN holds_expired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN declines_in_row INTEGER NOT NULL DEFAULT 0;
-- moving average of minutes-to-answer, in milliseconds
ALTER TABLE offers ADD COLUMN answer_ms_avg BIGINT;
-- set when the platform paused the offer (status 'paused'): 'unanswered'
-- (a hold ran out) or 'declines' (several declines in a row)
ALTER TABLE offers ADD COLUMN paused_at BIGINT;
ALTER TABLE offers ADD COLUMN paused_reason TEXT;

-- the guest lets the matcher ask the next suitable hosts when an ask fails,
-- and coordinators' matching propose for them (reveal still needs their yes)
ALTER TABLE requests ADD COLUMN auto_ask BOOLEAN NOT NULL DEFAULT FALSE;

-- a proposal the platform made on the guest's behalf (the guest has not
-- consented yet), and when the host was first active after it was made
ALTER TABLE matches ADD COLUMN on_behalf BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE matches ADD COLUMN opened_at BIGINT;

-- holds per incident (minutes); NULL means the deployment's setting
ALTER TABLE incidents ADD COLUMN hold_minutes INTEGER;
ALTER TABLE incidents ADD COLUMN hold_unseen_minutes INTEGER;
ALTER TABLE incidents ADD COLUMN hold_extend_minutes INTEGER;
ALTER TABLE incidents ADD COLUMN hold_cap_minutes INTEGER;
-- coordinators' global matching runs by itself in this incident
ALTER TABLE incidents ADD COLUMN auto_match BOOLEAN NOT NULL DEFAULT FALSE;

CREATE INDEX offers_paused ON offers (status, paused_at);

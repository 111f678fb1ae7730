DROP INDEX matches_status_accepted;
ALTER TABLE matches DROP COLUMN unsafe_at;
ALTER TABLE matches DROP COLUMN escalated_at;
ALTER TABLE requests DROP COLUMN trusted_notified_at;
ALTER TABLE requests DROP COLUMN trusted_email;
ALTER TABLE requests DROP COLUMN lang;
ALTER TABLE accounts DROP COLUMN lang;
DROP TABLE outbox;

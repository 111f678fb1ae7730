DROP INDEX requests_incident;
DROP INDEX offers_incident;
ALTER TABLE requests DROP COLUMN incident_id;
ALTER TABLE offers DROP COLUMN incident_id;
DROP TABLE incidents;
DROP INDEX outbox_about;
ALTER TABLE outbox DROP COLUMN about;

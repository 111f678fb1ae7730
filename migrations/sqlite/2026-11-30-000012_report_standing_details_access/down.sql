DROP TABLE details_accesses;
DROP INDEX reports_by_time;
ALTER TABLE reports DROP COLUMN network;
ALTER TABLE reports DROP COLUMN standing;

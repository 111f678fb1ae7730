DROP INDEX requests_findable;
ALTER TABLE requests DROP COLUMN findable_key;
ALTER TABLE requests DROP COLUMN findable_name;

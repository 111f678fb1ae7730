-- "Is my relative safe?": a guest may consent to be findable by full name.
-- Only "reported safe, sheltered, at <time>" is ever answered.
ALTER TABLE requests ADD COLUMN findable_name TEXT;
-- the name, folded (lower case, no accents, single spaces), for the search
ALTER TABLE requests ADD COLUMN findable_key TEXT;
CREATE INDEX requests_findable ON requests (findable_key);

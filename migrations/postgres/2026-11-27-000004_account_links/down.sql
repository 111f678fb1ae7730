ALTER TABLE accounts DROP COLUMN email_verified_at;
DROP TABLE account_links;

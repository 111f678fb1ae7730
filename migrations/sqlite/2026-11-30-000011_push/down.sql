ALTER TABLE outbox DROP COLUMN channel;
DROP TABLE push_subscriptions;

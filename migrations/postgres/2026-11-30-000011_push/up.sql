-- Web Push alerts: the browsers (a host's, or a guest's phone on the request
-- page) that asked to be alerted, and a channel column so that push messages
-- go through the same outbox as mail (same claims, leases and back-off).

CREATE TABLE push_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    -- the push service's URL for this browser; unique: a browser re-subscribing moves it
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    account_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
    request_id TEXT REFERENCES requests (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK ((account_id IS NULL) <> (request_id IS NULL))
);
CREATE INDEX push_subscriptions_account ON push_subscriptions (account_id);
CREATE INDEX push_subscriptions_request ON push_subscriptions (request_id);

ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail';

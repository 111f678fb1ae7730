-- Audited actions are queued without any lock, in the transaction of the
-- action; a background step chains them into audit_log in order (under the
-- head's lock), so writers never wait on one another for the audit.
CREATE TABLE audit_queue (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);

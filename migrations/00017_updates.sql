-- +goose Up
-- "For you" (DESIGN §5.2): the updates on a person's home are derived from the data; only what the data
-- cannot say is kept here, the marks of what the person has seen. mark is an update's id (marked one by
-- one or all at once) or "page:" and a page's path (every update leading there, up to seen_at, is seen).
CREATE TABLE update_marks (
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mark     TEXT NOT NULL,
    seen_at  DATETIME NOT NULL,
    PRIMARY KEY (user_id, mark)
);

-- The outbox learns one kind: the notice that a password was reset. SQLite changes a CHECK only by
-- building the table again.
CREATE TABLE outbox_next (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('reminder', 'updates', 'confirm_email', 'sign_in_alert', 'password_reset', 'password_notice')),
    period       TEXT NOT NULL,
    due_at       DATETIME NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    lease_until  DATETIME NOT NULL,
    sent_at      DATETIME,
    dropped_at   DATETIME,
    created_at   DATETIME NOT NULL,
    UNIQUE (user_id, kind, period)
);
INSERT INTO outbox_next SELECT id, user_id, kind, period, due_at, attempts, last_error, lease_until, sent_at, dropped_at, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;

-- +goose Down
DELETE FROM outbox WHERE kind = 'password_notice';
CREATE TABLE outbox_prev (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('reminder', 'updates', 'confirm_email', 'sign_in_alert', 'password_reset')),
    period       TEXT NOT NULL,
    due_at       DATETIME NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    lease_until  DATETIME NOT NULL,
    sent_at      DATETIME,
    dropped_at   DATETIME,
    created_at   DATETIME NOT NULL,
    UNIQUE (user_id, kind, period)
);
INSERT INTO outbox_prev SELECT id, user_id, kind, period, due_at, attempts, last_error, lease_until, sent_at, dropped_at, created_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_prev RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;
DROP TABLE update_marks;

-- +goose Up
-- The pulse (DESIGN §5.2): each person's notification settings, their confirmation and calendar-feed
-- secrets, and the outbox every message goes through. Every row belongs to one user and goes with their
-- account (ON DELETE CASCADE); none holds personal text.

-- One row per person who has changed a setting; a person without a row has everything off.
-- confirmed_email is the address a confirmation link was followed for: e-mail counts as confirmed only
-- while it equals the account's address.
CREATE TABLE notification_settings (
    user_id               TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email_reminders       INTEGER NOT NULL DEFAULT 0 CHECK (email_reminders IN (0, 1)),
    email_updates         INTEGER NOT NULL DEFAULT 0 CHECK (email_updates IN (0, 1)),
    email_sign_in_alerts  INTEGER NOT NULL DEFAULT 0 CHECK (email_sign_in_alerts IN (0, 1)),
    reminder_hour         INTEGER NOT NULL DEFAULT 19 CHECK (reminder_hour BETWEEN 0 AND 23),
    calendar_title        TEXT NOT NULL DEFAULT 'Weekly time',
    review_title          TEXT NOT NULL DEFAULT 'A date to look again',
    confirmed_email       TEXT,
    confirmed_at          DATETIME,
    updated_at            DATETIME NOT NULL
);

-- Secrets sent or handed out for one purpose: an e-mail confirmation link (24 hours, single use) or a
-- calendar feed (until revoked). Only the SHA-256 of the secret is kept. email is the address a
-- confirmation link was sent to (empty for a feed).
CREATE TABLE notify_tokens (
    hash        TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('email_confirm', 'calendar')),
    email       TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME,
    used_at     DATETIME
);
CREATE INDEX notify_tokens_user ON notify_tokens(user_id, purpose);

-- The outbox: one row per message to send. period makes a message unique for its person and kind
-- (the ISO week of a reminder, the day of an updates message), so scheduling twice adds nothing.
-- A sender takes a row by moving lease_until forward with a conditional UPDATE; a row whose lease has
-- passed without sent_at is taken again. dropped_at marks a row no longer to be sent (the answers
-- were shared, the setting was turned off, or every attempt failed).
CREATE TABLE outbox (
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
CREATE INDEX outbox_due ON outbox(due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;

-- +goose Down
DROP TABLE outbox;
DROP TABLE notify_tokens;
DROP TABLE notification_settings;

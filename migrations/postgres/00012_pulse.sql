-- PostgreSQL twin of migrations/00012_pulse.sql: the same tables, keys, checks and indexes, with
-- instants as timestamptz and yes/no flags as boolean.

-- +goose Up
-- The pulse (DESIGN §5.2): each person's notification settings, their confirmation and calendar-feed
-- secrets, and the outbox every message goes through. Every row belongs to one user and goes with their
-- account (ON DELETE CASCADE); none holds personal text.

-- One row per person who has changed a setting; a person without a row has everything off.
-- confirmed_email is the address a confirmation link was followed for: e-mail counts as confirmed only
-- while it equals the account's address.
CREATE TABLE notification_settings (
    user_id               text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email_reminders       boolean NOT NULL DEFAULT false,
    email_updates         boolean NOT NULL DEFAULT false,
    email_sign_in_alerts  boolean NOT NULL DEFAULT false,
    reminder_hour         integer NOT NULL DEFAULT 19 CHECK (reminder_hour BETWEEN 0 AND 23),
    calendar_title        text NOT NULL DEFAULT 'Weekly time',
    review_title          text NOT NULL DEFAULT 'A date to look again',
    confirmed_email       text,
    confirmed_at          timestamptz,
    updated_at            timestamptz NOT NULL
);

-- Secrets sent or handed out for one purpose: an e-mail confirmation link (24 hours, single use) or a
-- calendar feed (until revoked). Only the SHA-256 of the secret is kept. email is the address a
-- confirmation link was sent to (empty for a feed).
CREATE TABLE notify_tokens (
    hash        text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('email_confirm', 'calendar')),
    email       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz,
    used_at     timestamptz
);
CREATE INDEX notify_tokens_user ON notify_tokens(user_id, purpose);

-- The outbox: one row per message to send. period makes a message unique for its person and kind
-- (the ISO week of a reminder, the day of an updates message), so scheduling twice adds nothing.
-- A sender takes a row by moving lease_until forward with a conditional UPDATE; a row whose lease has
-- passed without sent_at is taken again. dropped_at marks a row no longer to be sent (the answers
-- were shared, the setting was turned off, or every attempt failed).
CREATE TABLE outbox (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('reminder', 'updates', 'confirm_email', 'sign_in_alert', 'password_reset')),
    period       text NOT NULL,
    due_at       timestamptz NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text NOT NULL DEFAULT '',
    lease_until  timestamptz NOT NULL,
    sent_at      timestamptz,
    dropped_at   timestamptz,
    created_at   timestamptz NOT NULL,
    UNIQUE (user_id, kind, period)
);
CREATE INDEX outbox_due ON outbox(due_at) WHERE sent_at IS NULL AND dropped_at IS NULL;

-- +goose Down
DROP TABLE outbox;
DROP TABLE notify_tokens;
DROP TABLE notification_settings;

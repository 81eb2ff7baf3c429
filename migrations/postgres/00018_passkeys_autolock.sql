-- PostgreSQL twin of migrations/00018_passkeys_autolock.sql (passkeys, their ceremonies, auto-lock):
-- the same tables, keys, checks and indexes, with instants as timestamptz and the counter as bigint.

-- +goose Up
CREATE TABLE passkeys (
    id             text PRIMARY KEY,
    user_id        text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    credential_id  text NOT NULL UNIQUE,
    name           text NOT NULL,
    credential     text NOT NULL,
    sign_count     bigint NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL,
    last_used_at   timestamptz
);
CREATE INDEX passkeys_user ON passkeys(user_id);

CREATE TABLE passkey_ceremonies (
    hash            text PRIMARY KEY,
    user_id         text REFERENCES users(id) ON DELETE CASCADE,
    purpose         text NOT NULL CHECK (purpose IN ('register', 'sign_in', 'second_factor', 'confirm')),
    kind            text NOT NULL CHECK (kind IN ('browser', 'api')),
    challenge_hash  text,
    data            text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);
CREATE INDEX passkey_ceremonies_expires ON passkey_ceremonies(expires_at);

ALTER TABLE users ADD COLUMN auto_lock_minutes integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN auto_lock_minutes;
DROP TABLE passkey_ceremonies;
DROP TABLE passkeys;

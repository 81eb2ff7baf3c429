-- PostgreSQL twin of migrations/00001_accounts.sql: the same tables, keys, checks and indexes, with
-- instants as timestamptz.

-- +goose Up
CREATE TABLE users (
    id                  text PRIMARY KEY,
    email               text NOT NULL UNIQUE,
    display_name        text NOT NULL,
    password_hash       text NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

CREATE TABLE sessions (
    id            text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('browser', 'api')),
    user_agent    text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    reauth_at     timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE user_tokens (
    hash        text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('password_reset')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX user_tokens_user ON user_tokens(user_id);

-- +goose Down
DROP TABLE user_tokens;
DROP TABLE sessions;
DROP TABLE users;

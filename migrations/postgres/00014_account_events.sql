-- PostgreSQL twin of migrations/00014_account_events.sql (the sign-in history): the same table, check
-- and index, with created_at as timestamptz.

-- +goose Up
CREATE TABLE account_events (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('sign_in', 'sign_in_failed', 'second_factor_failed', 'password_changed',
                    'password_reset', 'second_factor_on', 'second_factor_off', 'recovery_code_used',
                    'session_revoked', 'sessions_revoked')),
    device      text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL
);
CREATE INDEX account_events_user ON account_events(user_id, created_at);

-- +goose Down
DROP TABLE account_events;

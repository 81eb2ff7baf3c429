-- +goose Up
-- The sign-in history of an account (SECURITY K4): what happened and from which device (the parsed user
-- agent, never an address or a place), kept 90 days. Only its owner ever reads it.
CREATE TABLE account_events (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('sign_in', 'sign_in_failed', 'second_factor_failed', 'password_changed',
                    'password_reset', 'second_factor_on', 'second_factor_off', 'recovery_code_used',
                    'session_revoked', 'sessions_revoked')),
    device      TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX account_events_user ON account_events(user_id, created_at);

-- +goose Down
DROP TABLE account_events;

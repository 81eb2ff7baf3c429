-- PostgreSQL twin of migrations/00015_second_factors.sql (two-step sign-in): the same tables, keys,
-- checks and index, with instants as timestamptz and the time step as bigint.

-- +goose Up
CREATE TABLE totp_factors (
    user_id       text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret        text NOT NULL,
    created_at    timestamptz NOT NULL,
    confirmed_at  timestamptz,
    last_step     bigint NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash        text NOT NULL,
    created_at  timestamptz NOT NULL,
    used_at     timestamptz,
    PRIMARY KEY (user_id, hash)
);

CREATE TABLE second_factor_challenges (
    hash        text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('sign_in')),
    kind        text NOT NULL CHECK (kind IN ('browser', 'api')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX second_factor_challenges_user ON second_factor_challenges(user_id);

-- +goose Down
DROP TABLE second_factor_challenges;
DROP TABLE recovery_codes;
DROP TABLE totp_factors;

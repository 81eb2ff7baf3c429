-- +goose Up
-- Two-step sign-in (SECURITY K1, K2). A TOTP factor is pending until a first code confirms it; last_step
-- is the time step of the last code accepted, so a code is never accepted twice. Recovery codes and
-- sign-in challenges are kept only as hashes.
CREATE TABLE totp_factors (
    user_id       TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret        TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    confirmed_at  DATETIME,
    last_step     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash        TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    used_at     DATETIME,
    PRIMARY KEY (user_id, hash)
);

CREATE TABLE second_factor_challenges (
    hash        TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('sign_in')),
    kind        TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL,
    used_at     DATETIME
);
CREATE INDEX second_factor_challenges_user ON second_factor_challenges(user_id);

-- +goose Down
DROP TABLE second_factor_challenges;
DROP TABLE recovery_codes;
DROP TABLE totp_factors;

-- +goose Up
-- Passkeys (SECURITY K3): one row per WebAuthn credential, its record as the library keeps it
-- (public key, flags, signature counter) in credential, and the counter beside it so two uses at
-- once cannot both move it. A ceremony is the state between a begin and a finish, kept only under
-- the hash of its secret, single use, for five minutes; challenge_hash ties a second-factor ceremony
-- to the password step it completes. auto_lock_minutes is each person's auto-lock (0: off).
CREATE TABLE passkeys (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    credential_id  TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    credential     TEXT NOT NULL,
    sign_count     INTEGER NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL,
    last_used_at   DATETIME
);
CREATE INDEX passkeys_user ON passkeys(user_id);

CREATE TABLE passkey_ceremonies (
    hash            TEXT PRIMARY KEY,
    user_id         TEXT REFERENCES users(id) ON DELETE CASCADE,
    purpose         TEXT NOT NULL CHECK (purpose IN ('register', 'sign_in', 'second_factor', 'confirm')),
    kind            TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
    challenge_hash  TEXT,
    data            TEXT NOT NULL,
    created_at      DATETIME NOT NULL,
    expires_at      DATETIME NOT NULL,
    used_at         DATETIME
);
CREATE INDEX passkey_ceremonies_expires ON passkey_ceremonies(expires_at);

ALTER TABLE users ADD COLUMN auto_lock_minutes INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN auto_lock_minutes;
DROP TABLE passkey_ceremonies;
DROP TABLE passkeys;

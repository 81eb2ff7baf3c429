-- +goose Up
-- The sign-in, registration, reset and two-step throttles (SECURITY A4, M1), kept in the database so every
-- instance counts the same attempts. A key is the SHA-256 of what is throttled (a client address with its
-- purpose, or an account's e-mail address), never the address itself. throttle_keys holds one row per key
-- that a throttle took in its last window: the row each count locks first, so two instances counting one key
-- take turns. throttle_hits holds one row per counted attempt or failure; both are pruned once older than
-- the longest window.
CREATE TABLE throttle_keys (
    key         TEXT PRIMARY KEY,
    seen_at     DATETIME NOT NULL
);
CREATE INDEX throttle_keys_seen ON throttle_keys(seen_at);

CREATE TABLE throttle_hits (
    id          TEXT PRIMARY KEY,
    key         TEXT NOT NULL REFERENCES throttle_keys(key) ON DELETE CASCADE,
    at          DATETIME NOT NULL
);
CREATE INDEX throttle_hits_key_at ON throttle_hits(key, at);
CREATE INDEX throttle_hits_at ON throttle_hits(at);

-- +goose Down
DROP TABLE throttle_hits;
DROP TABLE throttle_keys;

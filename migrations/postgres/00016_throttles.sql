-- PostgreSQL twin of migrations/00016_throttles.sql (the throttles every instance shares): the same tables
-- and indexes, with instants as timestamptz.

-- +goose Up
CREATE TABLE throttle_keys (
    key         text PRIMARY KEY,
    seen_at     timestamptz NOT NULL
);
CREATE INDEX throttle_keys_seen ON throttle_keys(seen_at);

CREATE TABLE throttle_hits (
    id          text PRIMARY KEY,
    key         text NOT NULL REFERENCES throttle_keys(key) ON DELETE CASCADE,
    at          timestamptz NOT NULL
);
CREATE INDEX throttle_hits_key_at ON throttle_hits(key, at);
CREATE INDEX throttle_hits_at ON throttle_hits(at);

-- +goose Down
DROP TABLE throttle_hits;
DROP TABLE throttle_keys;

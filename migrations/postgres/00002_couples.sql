-- PostgreSQL twin of migrations/00002_couples.sql: the same tables, keys, checks and indexes, with
-- instants as timestamptz.

-- +goose Up
CREATE TABLE couples (
    id               text PRIMARY KEY,
    timezone         text NOT NULL,
    checkin_weekday  integer NOT NULL CHECK (checkin_weekday BETWEEN 0 AND 6),
    created_at       timestamptz NOT NULL,
    ended_at         timestamptz
);

CREATE TABLE couple_members (
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        text NOT NULL DEFAULT '' CHECK (role IN ('', 'hurt', 'broke_trust', 'prefer_not')),
    joined_at   timestamptz NOT NULL,
    left_at     timestamptz,
    PRIMARY KEY (couple_id, user_id)
);
CREATE INDEX couple_members_user ON couple_members(user_id);
CREATE UNIQUE INDEX couple_members_one_current ON couple_members(user_id) WHERE left_at IS NULL;

CREATE TABLE invites (
    id            text PRIMARY KEY,
    couple_id     text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    token_hash    text NOT NULL UNIQUE,
    created_by    text REFERENCES users(id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    used_by       text REFERENCES users(id) ON DELETE SET NULL,
    cancelled_at  timestamptz
);
CREATE INDEX invites_couple ON invites(couple_id);

-- +goose Down
DROP TABLE invites;
DROP TABLE couple_members;
DROP TABLE couples;

-- +goose Up
CREATE TABLE couples (
    id               TEXT PRIMARY KEY,
    timezone         TEXT NOT NULL,
    checkin_weekday  INTEGER NOT NULL CHECK (checkin_weekday BETWEEN 0 AND 6),
    created_at       DATETIME NOT NULL,
    ended_at         DATETIME
);

CREATE TABLE couple_members (
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT NOT NULL DEFAULT '' CHECK (role IN ('', 'hurt', 'broke_trust', 'prefer_not')),
    joined_at   DATETIME NOT NULL,
    left_at     DATETIME,
    PRIMARY KEY (couple_id, user_id)
);
CREATE INDEX couple_members_user ON couple_members(user_id);
CREATE UNIQUE INDEX couple_members_one_current ON couple_members(user_id) WHERE left_at IS NULL;

CREATE TABLE invites (
    id            TEXT PRIMARY KEY,
    couple_id     TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    created_by    TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at    DATETIME NOT NULL,
    expires_at    DATETIME NOT NULL,
    used_at       DATETIME,
    used_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    cancelled_at  DATETIME
);
CREATE INDEX invites_couple ON invites(couple_id);

-- +goose Down
DROP TABLE invites;
DROP TABLE couple_members;
DROP TABLE couples;

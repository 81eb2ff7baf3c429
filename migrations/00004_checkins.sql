-- +goose Up
-- One person's answers for one ISO week (DESIGN §2.4). Ratings stay NULL until chosen; a skipped week
-- ("not this week") has no text and no ratings. submitted_at is set while the answers are shared.
CREATE TABLE checkin_answers (
    id            TEXT PRIMARY KEY,
    couple_id     TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week          TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    skip          INTEGER NOT NULL DEFAULT 0 CHECK (skip IN (0, 1)),
    appreciation  TEXT NOT NULL DEFAULT '',
    went_well     TEXT NOT NULL DEFAULT '',
    was_hard      TEXT NOT NULL DEFAULT '',
    need          TEXT NOT NULL DEFAULT '',
    trust         INTEGER CHECK (trust BETWEEN 0 AND 10),
    connection    INTEGER CHECK (connection BETWEEN 0 AND 10),
    safety        INTEGER CHECK (safety BETWEEN 0 AND 10),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    submitted_at  DATETIME,
    UNIQUE (couple_id, week, user_id)
);
CREATE INDEX checkin_answers_user ON checkin_answers(user_id);

-- For each active agreement: did I keep it? agreement_id is plain text (no FK): agreements live in their
-- own feature, and an answer keeps the title it was given so it still reads right later.
CREATE TABLE checkin_agreement_answers (
    answer_id     TEXT NOT NULL REFERENCES checkin_answers(id) ON DELETE CASCADE,
    agreement_id  TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    kept          TEXT NOT NULL CHECK (kept IN ('kept', 'partly', 'not_kept', 'not_sure')),
    position      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (answer_id, agreement_id)
);

-- A week opens for both at once, when the second person shares; the row records that moment.
CREATE TABLE checkin_weeks (
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week        TEXT NOT NULL,
    opened_at   DATETIME NOT NULL,
    PRIMARY KEY (couple_id, week)
);

-- Active listening: listener_id restates what they heard of author_id's answers; the author responds
-- (accurate, note); the listener may add a validating line. The row is the listener's writing, so it
-- goes with the listener's account. When the author's account goes, the checkin delete hook erases their
-- response and author_id becomes NULL: the listener's own words stay in the listener's archive.
CREATE TABLE checkin_reflections (
    id             TEXT PRIMARY KEY,
    couple_id      TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week           TEXT NOT NULL,
    listener_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    author_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
    text           TEXT NOT NULL,
    accurate       INTEGER CHECK (accurate IN (0, 1)),
    note           TEXT NOT NULL DEFAULT '',
    responded_at   DATETIME,
    validation     TEXT NOT NULL DEFAULT '',
    validated_at   DATETIME,
    created_at     DATETIME NOT NULL
);
CREATE INDEX checkin_reflections_week ON checkin_reflections(couple_id, week);
CREATE INDEX checkin_reflections_listener ON checkin_reflections(listener_id);
CREATE INDEX checkin_reflections_author ON checkin_reflections(author_id);

-- A pause in a heated conversation, asked for by user_id until until_at (at most 24 hours ahead).
CREATE TABLE checkin_timeouts (
    id          TEXT PRIMARY KEY,
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    note        TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    until_at    DATETIME NOT NULL,
    ended_at    DATETIME,
    ended_by    TEXT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX checkin_timeouts_couple ON checkin_timeouts(couple_id, until_at);
CREATE INDEX checkin_timeouts_user ON checkin_timeouts(user_id);

-- +goose Down
DROP TABLE checkin_timeouts;
DROP TABLE checkin_reflections;
DROP TABLE checkin_weeks;
DROP TABLE checkin_agreement_answers;
DROP TABLE checkin_answers;

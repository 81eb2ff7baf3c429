-- PostgreSQL twin of migrations/00004_checkins.sql: the same tables, keys, checks and indexes, with
-- instants as timestamptz and yes/no flags as boolean (the type itself holds the 0/1 check that
-- SQLite needs).
-- Calendar dates (YYYY-MM-DD) and weeks (YYYY-Www) stay text on both engines, as the services
-- read and write them.

-- +goose Up
-- One person's answers for one ISO week (DESIGN §2.4). Ratings stay NULL until chosen; a skipped week
-- ("not this week") has no text and no ratings. submitted_at is set while the answers are shared.
CREATE TABLE checkin_answers (
    id            text PRIMARY KEY,
    couple_id     text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week          text NOT NULL,
    user_id       text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    skip          boolean NOT NULL DEFAULT false,
    appreciation  text NOT NULL DEFAULT '',
    went_well     text NOT NULL DEFAULT '',
    was_hard      text NOT NULL DEFAULT '',
    need          text NOT NULL DEFAULT '',
    trust         integer CHECK (trust BETWEEN 0 AND 10),
    connection    integer CHECK (connection BETWEEN 0 AND 10),
    safety        integer CHECK (safety BETWEEN 0 AND 10),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    submitted_at  timestamptz,
    UNIQUE (couple_id, week, user_id)
);
CREATE INDEX checkin_answers_user ON checkin_answers(user_id);

-- For each active agreement: did I keep it? agreement_id is plain text (no FK): agreements live in their
-- own feature, and an answer keeps the title it was given so it still reads right later.
CREATE TABLE checkin_agreement_answers (
    answer_id     text NOT NULL REFERENCES checkin_answers(id) ON DELETE CASCADE,
    agreement_id  text NOT NULL,
    title         text NOT NULL DEFAULT '',
    kept          text NOT NULL CHECK (kept IN ('kept', 'partly', 'not_kept', 'not_sure')),
    position      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (answer_id, agreement_id)
);

-- A week opens for both at once, when the second person shares; the row records that moment.
CREATE TABLE checkin_weeks (
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week        text NOT NULL,
    opened_at   timestamptz NOT NULL,
    PRIMARY KEY (couple_id, week)
);

-- Active listening: listener_id restates what they heard of author_id's answers; the author responds
-- (accurate, note); the listener may add a validating line. The row is the listener's writing, so it
-- goes with the listener's account. When the author's account goes, the checkin delete hook erases their
-- response and author_id becomes NULL: the listener's own words stay in the listener's archive.
CREATE TABLE checkin_reflections (
    id             text PRIMARY KEY,
    couple_id      text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week           text NOT NULL,
    listener_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    author_id      text REFERENCES users(id) ON DELETE SET NULL,
    text           text NOT NULL,
    accurate       boolean,
    note           text NOT NULL DEFAULT '',
    responded_at   timestamptz,
    validation     text NOT NULL DEFAULT '',
    validated_at   timestamptz,
    created_at     timestamptz NOT NULL
);
CREATE INDEX checkin_reflections_week ON checkin_reflections(couple_id, week);
CREATE INDEX checkin_reflections_listener ON checkin_reflections(listener_id);
CREATE INDEX checkin_reflections_author ON checkin_reflections(author_id);

-- A pause in a heated conversation, asked for by user_id until until_at (at most 24 hours ahead).
CREATE TABLE checkin_timeouts (
    id          text PRIMARY KEY,
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    note        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    until_at    timestamptz NOT NULL,
    ended_at    timestamptz,
    ended_by    text REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX checkin_timeouts_couple ON checkin_timeouts(couple_id, until_at);
CREATE INDEX checkin_timeouts_user ON checkin_timeouts(user_id);

-- +goose Down
DROP TABLE checkin_timeouts;
DROP TABLE checkin_reflections;
DROP TABLE checkin_weeks;
DROP TABLE checkin_agreement_answers;
DROP TABLE checkin_answers;

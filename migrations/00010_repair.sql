-- Repair tools (DESIGN §5.4): the private trigger log and its signals, and the questions answered once
-- and kept.
--
-- Everything belongs to a couple (ON DELETE CASCADE from couples), and whatever a person wrote references
-- users(id) ON DELETE CASCADE, so deleting an account removes it for real (DESIGN §2.9). A signal goes
-- with its trigger. A response is its responder's writing: when the signal it answered is taken back
-- (the trigger removed), signal_id becomes NULL and the words stay in the responder's own export. In the
-- same way an answer or a follow-up is its writer's: when the question goes with its asker's account,
-- question_id becomes NULL and the writer keeps their words until they delete theirs.

-- +goose Up
-- A private note of a moment that brought the hurt back; only its author ever reads it.
CREATE TABLE triggers (
    id          TEXT PRIMARY KEY,
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at          DATETIME NOT NULL,
    what        TEXT NOT NULL,
    strength    INTEGER NOT NULL CHECK (strength BETWEEN 0 AND 10),
    helped      TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX triggers_author ON triggers(author_id, at);
CREATE INDEX triggers_couple ON triggers(couple_id);

-- The author let the partner know about one trigger: without its text, or with the text as the author
-- previewed it (a copy, so a later edit of the note never changes what was shared).
CREATE TABLE trigger_signals (
    id          TEXT PRIMARY KEY,
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    trigger_id  TEXT NOT NULL UNIQUE REFERENCES triggers(id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text        TEXT,
    created_at  DATETIME NOT NULL
);
CREATE INDEX trigger_signals_couple ON trigger_signals(couple_id, created_at);
CREATE INDEX trigger_signals_author ON trigger_signals(author_id);

-- The partner's answer to a signal, in their own words.
CREATE TABLE trigger_responses (
    id            TEXT PRIMARY KEY,
    couple_id     TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    signal_id     TEXT REFERENCES trigger_signals(id) ON DELETE SET NULL,
    responder_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('acknowledge', 'reassure', 'ask')),
    text          TEXT NOT NULL,
    created_at    DATETIME NOT NULL
);
CREATE INDEX trigger_responses_signal ON trigger_responses(signal_id, created_at);
CREATE INDEX trigger_responses_responder ON trigger_responses(responder_id);

-- A question one partner asks the other. wait_on, when set, is the agreed day (the next check-in, or a
-- date) before which only the asker sees it.
CREATE TABLE questions (
    id          TEXT PRIMARY KEY,
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    asker_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    wait_kind   TEXT NOT NULL DEFAULT '' CHECK (wait_kind IN ('', 'checkin', 'date')),
    wait_on     TEXT,
    created_at  DATETIME NOT NULL,
    CHECK ((wait_kind = '') = (wait_on IS NULL))
);
CREATE INDEX questions_couple ON questions(couple_id, created_at);
CREATE INDEX questions_asker ON questions(asker_id);

-- Answers are never edited: a correction is the next version, and every version is kept.
CREATE TABLE question_answers (
    id           TEXT PRIMARY KEY,
    couple_id    TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    question_id  TEXT REFERENCES questions(id) ON DELETE SET NULL,
    author_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL CHECK (version >= 1),
    text         TEXT NOT NULL,
    created_at   DATETIME NOT NULL
);
-- One row per version: the backstop that turns two answers at once into a conflict, never a lost one.
CREATE UNIQUE INDEX question_answers_version ON question_answers(question_id, version);
CREATE INDEX question_answers_author ON question_answers(author_id);
CREATE INDEX question_answers_couple ON question_answers(couple_id);

CREATE TABLE question_follow_ups (
    id           TEXT PRIMARY KEY,
    couple_id    TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    question_id  TEXT REFERENCES questions(id) ON DELETE SET NULL,
    author_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX question_follow_ups_question ON question_follow_ups(question_id, created_at);
CREATE INDEX question_follow_ups_author ON question_follow_ups(author_id);
CREATE INDEX question_follow_ups_couple ON question_follow_ups(couple_id);

-- A pause of the questions, asked for by user_id until until_at; only they may end it early.
CREATE TABLE question_pauses (
    id          TEXT PRIMARY KEY,
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    note        TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    until_at    DATETIME NOT NULL,
    ended_at    DATETIME
);
CREATE INDEX question_pauses_couple ON question_pauses(couple_id, until_at);
CREATE INDEX question_pauses_user ON question_pauses(user_id);

-- +goose Down
DROP TABLE question_pauses;
DROP TABLE question_follow_ups;
DROP TABLE question_answers;
DROP TABLE questions;
DROP TABLE trigger_responses;
DROP TABLE trigger_signals;
DROP TABLE triggers;

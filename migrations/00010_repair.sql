-- Repair tools (DESIGN §5.4): the private trigger log and its signals.
--
-- Everything belongs to a couple (ON DELETE CASCADE from couples), and whatever a person wrote references
-- users(id) ON DELETE CASCADE, so deleting an account removes it for real (DESIGN §2.9). A signal goes
-- with its trigger. A response is its responder's writing: when the signal it answered is taken back
-- (the trigger removed), signal_id becomes NULL and the words stay in the responder's own export.

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

-- +goose Down
DROP TABLE trigger_responses;
DROP TABLE trigger_signals;
DROP TABLE triggers;

-- Agreements (DESIGN §2.3): an agreement belongs to a couple; its text lives in immutable, numbered
-- versions; consent is an append-only log of events, each naming the version it concerns.
--
-- Account deletion (DESIGN §2.9): every version a user wrote and every log event they made is removed
-- (ON DELETE CASCADE from users); removing a version also removes the events about it (composite FK);
-- an agreement left with no versions is removed by the agreements delete hook. What the former partner
-- wrote, and their consent to it, stays in their archive.

-- +goose Up
CREATE TABLE agreements (
    id          TEXT PRIMARY KEY,
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    created_at  DATETIME NOT NULL
);
CREATE INDEX agreements_couple ON agreements(couple_id);

CREATE TABLE agreement_versions (
    id            TEXT PRIMARY KEY,
    agreement_id  TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    author_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    category      TEXT NOT NULL CHECK (category IN ('honesty', 'fidelity', 'respect', 'transparency', 'boundary', 'communication', 'other')),
    review_on     TEXT NOT NULL,
    ends_on       TEXT,
    created_at    DATETIME NOT NULL,
    CHECK ((category = 'transparency') = (ends_on IS NOT NULL))
);
-- One version per number: the backstop that turns a lost edit race into a conflict.
CREATE UNIQUE INDEX agreement_versions_number ON agreement_versions(agreement_id, number);
CREATE INDEX agreement_versions_author ON agreement_versions(author_id);

CREATE TABLE agreement_events (
    id              TEXT PRIMARY KEY,
    agreement_id    TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    actor_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('proposed', 'accepted', 'withdrawn', 'reviewed')),
    note            TEXT NOT NULL DEFAULT '',
    next_review_on  TEXT,
    created_at      DATETIME NOT NULL,
    FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions(agreement_id, number) ON DELETE CASCADE
);
CREATE UNIQUE INDEX agreement_events_seq ON agreement_events(agreement_id, seq);
CREATE INDEX agreement_events_actor ON agreement_events(actor_id);
CREATE INDEX agreement_events_version ON agreement_events(agreement_id, version);

-- +goose Down
DROP TABLE agreement_events;
DROP TABLE agreement_versions;
DROP TABLE agreements;

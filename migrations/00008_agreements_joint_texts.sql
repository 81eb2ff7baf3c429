-- A version both partners accepted is a joint text (DESIGN §2.9, SECURITY H2): when one of them deletes
-- their account, the other keeps it. Its author, and the deleted person's entries in its consent log, can
-- then name nobody, so agreement_versions.author_id and agreement_events.actor_id become nullable. NULL
-- means "your former partner"; the foreign keys still cascade, so rows that still name a user go with
-- that user's row (the agreements hook turns joint texts into NULL rows before the user row is deleted).
--
-- SQLite cannot change a column's constraints, so both tables are rebuilt. Foreign keys stay on: the new
-- tables are filled first, the old ones dropped child first (so no cascade reaches a row), and the
-- renames carry the new events table's reference over to the new versions table.

-- +goose Up
CREATE TABLE agreement_versions_new (
    id            TEXT PRIMARY KEY,
    agreement_id  TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL CHECK (number >= 1),
    author_id     TEXT REFERENCES users(id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    category      TEXT NOT NULL CHECK (category IN ('honesty', 'fidelity', 'respect', 'transparency', 'boundary', 'communication', 'other')),
    review_on     TEXT NOT NULL,
    ends_on       TEXT,
    created_at    DATETIME NOT NULL,
    CHECK ((category = 'transparency') = (ends_on IS NOT NULL))
);
INSERT INTO agreement_versions_new (id, agreement_id, number, author_id, title, body, category, review_on, ends_on, created_at)
    SELECT id, agreement_id, number, author_id, title, body, category, review_on, ends_on, created_at FROM agreement_versions;
CREATE UNIQUE INDEX agreement_versions_number_new ON agreement_versions_new(agreement_id, number);

CREATE TABLE agreement_events_new (
    id              TEXT PRIMARY KEY,
    agreement_id    TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    actor_id        TEXT REFERENCES users(id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('proposed', 'accepted', 'withdrawn', 'reviewed')),
    note            TEXT NOT NULL DEFAULT '',
    next_review_on  TEXT,
    created_at      DATETIME NOT NULL,
    FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions_new(agreement_id, number) ON DELETE CASCADE
);
INSERT INTO agreement_events_new (id, agreement_id, seq, version, actor_id, action, note, next_review_on, created_at)
    SELECT id, agreement_id, seq, version, actor_id, action, note, next_review_on, created_at FROM agreement_events;

DROP TABLE agreement_events;
DROP TABLE agreement_versions;
ALTER TABLE agreement_versions_new RENAME TO agreement_versions;
ALTER TABLE agreement_events_new RENAME TO agreement_events;
DROP INDEX agreement_versions_number_new;
-- One version per number: the backstop that turns a lost edit race into a conflict.
CREATE UNIQUE INDEX agreement_versions_number ON agreement_versions(agreement_id, number);
CREATE INDEX agreement_versions_author ON agreement_versions(author_id);
CREATE UNIQUE INDEX agreement_events_seq ON agreement_events(agreement_id, seq);
CREATE INDEX agreement_events_actor ON agreement_events(actor_id);
CREATE INDEX agreement_events_version ON agreement_events(agreement_id, version);

-- +goose Down
-- Joint texts whose author has gone cannot be attributed to anyone under the old schema: they go, with
-- the anonymous log entries and any agreement left without a version.
DELETE FROM agreement_events WHERE actor_id IS NULL;
DELETE FROM agreement_versions WHERE author_id IS NULL;
DELETE FROM agreements WHERE NOT EXISTS (SELECT 1 FROM agreement_versions v WHERE v.agreement_id = agreements.id);

CREATE TABLE agreement_versions_old (
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
INSERT INTO agreement_versions_old (id, agreement_id, number, author_id, title, body, category, review_on, ends_on, created_at)
    SELECT id, agreement_id, number, author_id, title, body, category, review_on, ends_on, created_at FROM agreement_versions;
CREATE UNIQUE INDEX agreement_versions_number_old ON agreement_versions_old(agreement_id, number);

CREATE TABLE agreement_events_old (
    id              TEXT PRIMARY KEY,
    agreement_id    TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    actor_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('proposed', 'accepted', 'withdrawn', 'reviewed')),
    note            TEXT NOT NULL DEFAULT '',
    next_review_on  TEXT,
    created_at      DATETIME NOT NULL,
    FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions_old(agreement_id, number) ON DELETE CASCADE
);
INSERT INTO agreement_events_old (id, agreement_id, seq, version, actor_id, action, note, next_review_on, created_at)
    SELECT id, agreement_id, seq, version, actor_id, action, note, next_review_on, created_at FROM agreement_events;

DROP TABLE agreement_events;
DROP TABLE agreement_versions;
ALTER TABLE agreement_versions_old RENAME TO agreement_versions;
ALTER TABLE agreement_events_old RENAME TO agreement_events;
DROP INDEX agreement_versions_number_old;
CREATE UNIQUE INDEX agreement_versions_number ON agreement_versions(agreement_id, number);
CREATE INDEX agreement_versions_author ON agreement_versions(author_id);
CREATE UNIQUE INDEX agreement_events_seq ON agreement_events(agreement_id, seq);
CREATE INDEX agreement_events_actor ON agreement_events(actor_id);
CREATE INDEX agreement_events_version ON agreement_events(agreement_id, version);

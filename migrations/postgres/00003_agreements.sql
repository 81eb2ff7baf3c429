-- PostgreSQL twin of migrations/00003_agreements.sql: the same tables, keys, checks and indexes, with
-- instants as timestamptz.
-- Calendar dates (YYYY-MM-DD) and weeks (YYYY-Www) stay text on both engines, as the services
-- read and write them.

-- Agreements (DESIGN §2.3): an agreement belongs to a couple; its text lives in immutable, numbered
-- versions; consent is an append-only log of events, each naming the version it concerns.
--
-- Account deletion (DESIGN §2.9): every version a user wrote and every log event they made is removed
-- (ON DELETE CASCADE from users); removing a version also removes the events about it (composite FK);
-- an agreement left with no versions is removed by the agreements delete hook. What the former partner
-- wrote, and their consent to it, stays in their archive.

-- +goose Up
CREATE TABLE agreements (
    id          text PRIMARY KEY,
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL
);
CREATE INDEX agreements_couple ON agreements(couple_id);

CREATE TABLE agreement_versions (
    id            text PRIMARY KEY,
    agreement_id  text NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    number        integer NOT NULL CHECK (number >= 1),
    author_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title         text NOT NULL,
    body          text NOT NULL,
    category      text NOT NULL CHECK (category IN ('honesty', 'fidelity', 'respect', 'transparency', 'boundary', 'communication', 'other')),
    review_on     text NOT NULL,
    ends_on       text,
    created_at    timestamptz NOT NULL,
    CHECK ((category = 'transparency') = (ends_on IS NOT NULL))
);
-- One version per number: the backstop that turns a lost edit race into a conflict.
CREATE UNIQUE INDEX agreement_versions_number ON agreement_versions(agreement_id, number);
CREATE INDEX agreement_versions_author ON agreement_versions(author_id);

CREATE TABLE agreement_events (
    id              text PRIMARY KEY,
    agreement_id    text NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    seq             integer NOT NULL,
    version         integer NOT NULL,
    actor_id        text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    action          text NOT NULL CHECK (action IN ('proposed', 'accepted', 'withdrawn', 'reviewed')),
    note            text NOT NULL DEFAULT '',
    next_review_on  text,
    created_at      timestamptz NOT NULL,
    FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions(agreement_id, number) ON DELETE CASCADE
);
CREATE UNIQUE INDEX agreement_events_seq ON agreement_events(agreement_id, seq);
CREATE INDEX agreement_events_actor ON agreement_events(actor_id);
CREATE INDEX agreement_events_version ON agreement_events(agreement_id, version);

-- +goose Down
DROP TABLE agreement_events;
DROP TABLE agreement_versions;
DROP TABLE agreements;

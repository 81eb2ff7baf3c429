-- PostgreSQL twin of migrations/00005_plan.sql: the same tables, keys, checks and indexes, with
-- instants as timestamptz and yes/no flags as boolean (the type itself holds the 0/1 check that
-- SQLite needs).
-- Calendar dates (YYYY-MM-DD) and weeks (YYYY-Www) stay text on both engines, as the services
-- read and write them.

-- The action plan, acknowledgment, connection moments and the therapy decision (DESIGN §2.5–§2.7).
--
-- Everything belongs to a couple (ON DELETE CASCADE from couples). Whatever a person wrote or marked
-- references users(id) ON DELETE CASCADE, so deleting an account removes it for real (DESIGN §2.9).
-- The article's five plan items live in code; a row in plan_items is made for one the first time
-- someone marks it, so marks and history can reference every item the same way.

-- +goose Up
CREATE TABLE plan_items (
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    id          text NOT NULL,
    starter     text NOT NULL DEFAULT '',
    created_by  text REFERENCES users(id) ON DELETE CASCADE,
    title       text NOT NULL DEFAULT '',
    notes       text NOT NULL DEFAULT '',
    position    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    done_at     timestamptz,
    PRIMARY KEY (couple_id, id),
    CHECK ((starter = '') = (created_by IS NOT NULL))
);
CREATE INDEX plan_items_created_by ON plan_items(created_by);

-- Each partner's own marks on an item: "I did my part" and "I noticed it".
CREATE TABLE plan_marks (
    couple_id    text NOT NULL,
    item_id      text NOT NULL,
    user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    did_my_part  boolean NOT NULL DEFAULT false,
    noticed      boolean NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (couple_id, item_id, user_id),
    FOREIGN KEY (couple_id, item_id) REFERENCES plan_items(couple_id, id) ON DELETE CASCADE
);
CREATE INDEX plan_marks_user ON plan_marks(user_id);

-- The history of an item: when it was marked done or not, and each person's marks over time.
CREATE TABLE plan_events (
    id          text PRIMARY KEY,
    couple_id   text NOT NULL,
    item_id     text NOT NULL,
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    what        text NOT NULL CHECK (what IN ('done', 'undone', 'did_my_part', 'undid_my_part', 'noticed', 'unnoticed')),
    created_at  timestamptz NOT NULL,
    FOREIGN KEY (couple_id, item_id) REFERENCES plan_items(couple_id, id) ON DELETE CASCADE
);
CREATE INDEX plan_events_item ON plan_events(couple_id, item_id);
CREATE INDEX plan_events_user ON plan_events(user_id);

-- Decisions about couples therapy, newest last; the latest one is the couple's current decision.
CREATE TABLE plan_therapy_decisions (
    id          text PRIMARY KEY,
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    decision    text NOT NULL CHECK (decision IN ('seeing', 'considering', 'not_now')),
    revisit_on  text,
    created_at  timestamptz NOT NULL
);
CREATE INDEX plan_therapy_decisions_couple ON plan_therapy_decisions(couple_id, created_at);
CREATE INDEX plan_therapy_decisions_user ON plan_therapy_decisions(user_id);

-- A private wish to look into couples therapy together; only its author sees it, and the prompt
-- shows for both once both have asked.
CREATE TABLE plan_therapy_asks (
    couple_id  text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    asked_at   timestamptz NOT NULL,
    PRIMARY KEY (couple_id, user_id)
);
CREATE INDEX plan_therapy_asks_user ON plan_therapy_asks(user_id);

-- An acknowledgment (article step 1): one per author per couple, its text in numbered versions.
CREATE TABLE acknowledgments (
    id          text PRIMARY KEY,
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    author_id   text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    UNIQUE (couple_id, author_id)
);
CREATE INDEX acknowledgments_author ON acknowledgments(author_id);

-- Versions are private drafts until shared_at is set; the partner sees only the latest shared one.
CREATE TABLE acknowledgment_versions (
    acknowledgment_id  text NOT NULL REFERENCES acknowledgments(id) ON DELETE CASCADE,
    number             integer NOT NULL CHECK (number >= 1),
    what_happened      text NOT NULL,
    responsibility     text NOT NULL,
    impact             text NOT NULL,
    commitments        text NOT NULL,
    created_at         timestamptz NOT NULL,
    shared_at          timestamptz,
    PRIMARY KEY (acknowledgment_id, number)
);

-- The other partner's answer to a shared version: read or need_more, with an optional note.
CREATE TABLE acknowledgment_responses (
    id                 text PRIMARY KEY,
    acknowledgment_id  text NOT NULL REFERENCES acknowledgments(id) ON DELETE CASCADE,
    version            integer NOT NULL,
    responder_id       text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status             text NOT NULL CHECK (status IN ('read', 'need_more')),
    note               text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL,
    FOREIGN KEY (acknowledgment_id, version) REFERENCES acknowledgment_versions(acknowledgment_id, number) ON DELETE CASCADE
);
CREATE INDEX acknowledgment_responses_ack ON acknowledgment_responses(acknowledgment_id, created_at);
CREATE INDEX acknowledgment_responses_responder ON acknowledgment_responses(responder_id);

-- Small acts of connection (article step 6), private to their author unless shared.
CREATE TABLE moments (
    id          text PRIMARY KEY,
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    author_id   text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('routine', 'conversation', 'daily_checkin', 'kindness', 'other')),
    on_date     text NOT NULL,
    note        text NOT NULL DEFAULT '',
    shared      boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL
);
CREATE INDEX moments_couple ON moments(couple_id, on_date);
CREATE INDEX moments_author ON moments(author_id);

-- +goose Down
DROP TABLE moments;
DROP TABLE acknowledgment_responses;
DROP TABLE acknowledgment_versions;
DROP TABLE acknowledgments;
DROP TABLE plan_therapy_asks;
DROP TABLE plan_therapy_decisions;
DROP TABLE plan_events;
DROP TABLE plan_marks;
DROP TABLE plan_items;

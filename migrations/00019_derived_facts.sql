-- +goose Up
-- Facts derived from the check-ins and the agreements, kept at write time in the transaction that
-- changes them (internal/checkin/facts.go, internal/agreement/facts.go), so the plan, the dashboard and
-- the progress page read a few small rows instead of recomputing the couple's history on every view.
-- Nothing here depends on the day: which week is current, or whether an agreement has ended, is worked
-- out when read, from these rows and the clock.
--
-- One row per opened week: when it opened, both people's per-agreement answers counted by kind, and
-- how many of its reflections their author confirmed as heard rightly.
CREATE TABLE checkin_week_facts (
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week        TEXT NOT NULL,
    opened_at   DATETIME NOT NULL,
    kept        INTEGER NOT NULL DEFAULT 0,
    partly      INTEGER NOT NULL DEFAULT 0,
    not_kept    INTEGER NOT NULL DEFAULT 0,
    not_sure    INTEGER NOT NULL DEFAULT 0,
    confirmed   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (couple_id, week)
);

-- Each person's shared trust and connection ratings in an opened week (both people read them). The
-- rows go with the week, and with the person's account.
CREATE TABLE checkin_rating_facts (
    couple_id   TEXT NOT NULL,
    week        TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    trust       INTEGER,
    connection  INTEGER,
    PRIMARY KEY (couple_id, week, user_id),
    FOREIGN KEY (couple_id, week) REFERENCES checkin_week_facts(couple_id, week) ON DELETE CASCADE
);
CREATE INDEX checkin_rating_facts_user ON checkin_rating_facts(user_id);

-- Each person's own safety rating in an opened week, the series their progress shows. Private: it is
-- only ever read for its author (SECURITY), so it is kept apart from the ratings both people read.
CREATE TABLE checkin_safety_facts (
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week        TEXT NOT NULL,
    safety      INTEGER NOT NULL,
    PRIMARY KEY (couple_id, user_id, week)
);
CREATE INDEX checkin_safety_facts_user ON checkin_safety_facts(user_id);

-- One row per agreement: whether its latest version is accepted by two people and whether consent to it
-- was withdrawn, its end date, and when any of its versions was first accepted by two people (proposing
-- counts as the author's acceptance). Whether it is active today is worked out when read, from these
-- and the couple's calendar, so an end date passing needs no write. Withdrawals are read from the
-- consent log as they are.
CREATE TABLE agreement_facts (
    agreement_id            TEXT PRIMARY KEY REFERENCES agreements(id) ON DELETE CASCADE,
    couple_id               TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    both_accepted           INTEGER NOT NULL CHECK (both_accepted IN (0, 1)),
    withdrawn               INTEGER NOT NULL CHECK (withdrawn IN (0, 1)),
    ends_on                 TEXT,
    first_both_accepted_at  DATETIME
);
CREATE INDEX agreement_facts_couple ON agreement_facts(couple_id);

-- The facts of the data already there.
INSERT INTO checkin_week_facts (couple_id, week, opened_at, kept, partly, not_kept, not_sure, confirmed)
SELECT w.couple_id, w.week, w.opened_at,
    (SELECT count(*) FROM checkin_answers AS a JOIN checkin_agreement_answers AS k ON k.answer_id = a.id
        WHERE a.couple_id = w.couple_id AND a.week = w.week AND k.kept = 'kept'),
    (SELECT count(*) FROM checkin_answers AS a JOIN checkin_agreement_answers AS k ON k.answer_id = a.id
        WHERE a.couple_id = w.couple_id AND a.week = w.week AND k.kept = 'partly'),
    (SELECT count(*) FROM checkin_answers AS a JOIN checkin_agreement_answers AS k ON k.answer_id = a.id
        WHERE a.couple_id = w.couple_id AND a.week = w.week AND k.kept = 'not_kept'),
    (SELECT count(*) FROM checkin_answers AS a JOIN checkin_agreement_answers AS k ON k.answer_id = a.id
        WHERE a.couple_id = w.couple_id AND a.week = w.week AND k.kept = 'not_sure'),
    (SELECT count(*) FROM checkin_reflections AS r WHERE r.couple_id = w.couple_id AND r.week = w.week AND r.accurate = 1)
FROM checkin_weeks AS w;
INSERT INTO checkin_rating_facts (couple_id, week, user_id, trust, connection)
SELECT a.couple_id, a.week, a.user_id, a.trust, a.connection
FROM checkin_answers AS a JOIN checkin_weeks AS w ON w.couple_id = a.couple_id AND w.week = a.week;
INSERT INTO checkin_safety_facts (couple_id, user_id, week, safety)
SELECT a.couple_id, a.user_id, a.week, a.safety
FROM checkin_answers AS a JOIN checkin_weeks AS w ON w.couple_id = a.couple_id AND w.week = a.week
WHERE a.safety IS NOT NULL;

INSERT INTO agreement_facts (agreement_id, couple_id, both_accepted, withdrawn, ends_on, first_both_accepted_at)
SELECT a.id, a.couple_id,
    (SELECT count(DISTINCT coalesce(e.actor_id, '')) FROM agreement_events AS e
        WHERE e.agreement_id = a.id AND e.version = v.number AND e.action IN ('proposed', 'accepted')) >= 2,
    EXISTS (SELECT 1 FROM agreement_events AS e WHERE e.agreement_id = a.id AND e.version = v.number AND e.action = 'withdrawn'),
    v.ends_on,
    (SELECT min(e.created_at) FROM agreement_events AS e
        WHERE e.agreement_id = a.id AND e.action IN ('proposed', 'accepted')
        AND EXISTS (SELECT 1 FROM agreement_events AS o WHERE o.agreement_id = e.agreement_id AND o.version = e.version
            AND o.seq < e.seq AND o.action IN ('proposed', 'accepted') AND coalesce(o.actor_id, '') <> coalesce(e.actor_id, '')))
FROM agreements AS a JOIN agreement_versions AS v ON v.agreement_id = a.id
WHERE v.number = (SELECT max(number) FROM agreement_versions AS l WHERE l.agreement_id = a.id);

-- +goose Down
DROP TABLE agreement_facts;
DROP TABLE checkin_safety_facts;
DROP TABLE checkin_rating_facts;
DROP TABLE checkin_week_facts;

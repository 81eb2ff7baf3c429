-- +goose Up
-- Facts derived from the check-ins, kept at write time in the transaction that changes them
-- (internal/checkin/facts.go), so the plan, the dashboard and the progress page read a few small rows
-- instead of recomputing the couple's history on every view. Nothing here depends on the day: which
-- week is current is computed when read, from these rows and the clock.
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

-- +goose Down
DROP TABLE checkin_safety_facts;
DROP TABLE checkin_rating_facts;
DROP TABLE checkin_week_facts;

-- +goose Up
-- What the agreements' summaries (the dashboard card, the plan, "For you", the reminders) derive from
-- the consent log is kept with the rest of each agreement's facts, at write time, in the transaction
-- that changes the log (internal/agreement/facts.go), so a summary reads one row per agreement and no
-- event: the latest version's number, the (at most two) people whose acceptance of it is in the log
-- (proposing counts; '' stands for a deleted account's consent kept on a joint text, no id is kept
-- for it), the next review date after any reviews of that version, and when the agreement last
-- changed. Whether it has ended or is due for review is still worked out when read, from these and the
-- couple's calendar. SQLite adds NOT NULL columns only by building the table again.
CREATE TABLE agreement_facts_next (
    agreement_id            TEXT PRIMARY KEY REFERENCES agreements(id) ON DELETE CASCADE,
    couple_id               TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    both_accepted           INTEGER NOT NULL CHECK (both_accepted IN (0, 1)),
    withdrawn               INTEGER NOT NULL CHECK (withdrawn IN (0, 1)),
    ends_on                 TEXT,
    first_both_accepted_at  DATETIME,
    version                 INTEGER NOT NULL,
    accepted_by             TEXT,
    also_accepted_by        TEXT,
    review_on               TEXT NOT NULL,
    updated_at              DATETIME NOT NULL
);

-- The facts of the data already there, as internal/agreement/facts.go (factsOfSQL) computes them.
INSERT INTO agreement_facts_next (agreement_id, couple_id, both_accepted, withdrawn, ends_on, first_both_accepted_at,
    version, accepted_by, also_accepted_by, review_on, updated_at)
SELECT a.id, a.couple_id,
    (SELECT count(DISTINCT coalesce(e.actor_id, '')) FROM agreement_events AS e
        WHERE e.agreement_id = a.id AND e.version = v.number AND e.action IN ('proposed', 'accepted')) >= 2,
    EXISTS (SELECT 1 FROM agreement_events AS e WHERE e.agreement_id = a.id AND e.version = v.number AND e.action = 'withdrawn'),
    v.ends_on,
    (SELECT min(e.created_at) FROM agreement_events AS e
        WHERE e.agreement_id = a.id AND e.action IN ('proposed', 'accepted')
        AND EXISTS (SELECT 1 FROM agreement_events AS o WHERE o.agreement_id = e.agreement_id AND o.version = e.version
            AND o.seq < e.seq AND o.action IN ('proposed', 'accepted') AND coalesce(o.actor_id, '') <> coalesce(e.actor_id, ''))),
    v.number,
    (SELECT min(coalesce(e.actor_id, '')) FROM agreement_events AS e
        WHERE e.agreement_id = a.id AND e.version = v.number AND e.action IN ('proposed', 'accepted')),
    (SELECT CASE WHEN count(DISTINCT coalesce(e.actor_id, '')) >= 2 THEN max(coalesce(e.actor_id, '')) END FROM agreement_events AS e
        WHERE e.agreement_id = a.id AND e.version = v.number AND e.action IN ('proposed', 'accepted')),
    coalesce((SELECT e.next_review_on FROM agreement_events AS e
        WHERE e.agreement_id = a.id AND e.version = v.number AND e.action = 'reviewed' AND e.next_review_on IS NOT NULL
        ORDER BY e.seq DESC LIMIT 1), v.review_on),
    (SELECT max(c.at) FROM (SELECT v.created_at AS at
        UNION ALL SELECT e.created_at FROM agreement_events AS e WHERE e.agreement_id = a.id) AS c)
FROM agreements AS a JOIN agreement_versions AS v ON v.agreement_id = a.id
WHERE v.number = (SELECT max(number) FROM agreement_versions AS l WHERE l.agreement_id = a.id);
DROP TABLE agreement_facts;
ALTER TABLE agreement_facts_next RENAME TO agreement_facts;
CREATE INDEX agreement_facts_couple ON agreement_facts(couple_id);

-- The withdrawals, which the summaries list as they are (each is one consent-log entry), found without
-- reading the rest of the log.
CREATE INDEX agreement_events_withdrawn ON agreement_events(agreement_id) WHERE action = 'withdrawn';

-- +goose Down
DROP INDEX agreement_events_withdrawn;
CREATE TABLE agreement_facts_prev (
    agreement_id            TEXT PRIMARY KEY REFERENCES agreements(id) ON DELETE CASCADE,
    couple_id               TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    both_accepted           INTEGER NOT NULL CHECK (both_accepted IN (0, 1)),
    withdrawn               INTEGER NOT NULL CHECK (withdrawn IN (0, 1)),
    ends_on                 TEXT,
    first_both_accepted_at  DATETIME
);
INSERT INTO agreement_facts_prev (agreement_id, couple_id, both_accepted, withdrawn, ends_on, first_both_accepted_at)
SELECT agreement_id, couple_id, both_accepted, withdrawn, ends_on, first_both_accepted_at FROM agreement_facts;
DROP TABLE agreement_facts;
ALTER TABLE agreement_facts_prev RENAME TO agreement_facts;
CREATE INDEX agreement_facts_couple ON agreement_facts(couple_id);

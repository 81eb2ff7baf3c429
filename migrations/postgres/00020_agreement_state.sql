-- PostgreSQL twin of migrations/00020_agreement_state.sql (what the agreements' summaries derive from
-- the consent log, kept in agreement_facts): the same columns, filled from the data already there, and
-- the same partial index on the withdrawals.

-- +goose Up
ALTER TABLE agreement_facts ADD COLUMN version integer;
ALTER TABLE agreement_facts ADD COLUMN accepted_by text;
ALTER TABLE agreement_facts ADD COLUMN also_accepted_by text;
ALTER TABLE agreement_facts ADD COLUMN review_on text;
ALTER TABLE agreement_facts ADD COLUMN updated_at timestamptz;

-- The facts of the data already there, as factsOfSQL computes them.
DELETE FROM agreement_facts;
INSERT INTO agreement_facts (agreement_id, couple_id, both_accepted, withdrawn, ends_on, first_both_accepted_at,
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

-- The withdrawals, which the summaries list as they are (each is one consent-log entry), found without
-- reading the rest of the log.
CREATE INDEX agreement_events_withdrawn ON agreement_events(agreement_id) WHERE action = 'withdrawn';

-- +goose Down
DROP INDEX agreement_events_withdrawn;
ALTER TABLE agreement_facts DROP COLUMN updated_at;
ALTER TABLE agreement_facts DROP COLUMN review_on;
ALTER TABLE agreement_facts DROP COLUMN also_accepted_by;
ALTER TABLE agreement_facts DROP COLUMN accepted_by;
ALTER TABLE agreement_facts DROP COLUMN version;

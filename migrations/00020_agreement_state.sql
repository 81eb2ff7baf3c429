-- +goose Up
-- What the agreements' summaries (the dashboard card, the plan, "For you", the reminders) derive from
-- the consent log is kept with the rest of each agreement's facts, at write time, in the transaction
-- that changes the log (internal/agreement/facts.go, factsOfSQL), so a summary reads one row per
-- agreement and no event: the latest version's number, the (at most two) people whose acceptance of it
-- is in the log (proposing counts; '' stands for a deleted account's consent kept on a joint text, and
-- no id is kept for it), the next review date after any reviews of that version, and when the
-- agreement last changed. Whether it has ended or is due for review is still worked out when read,
-- from these and the couple's calendar. The statement that writes a row writes every column, so the
-- new ones are empty only in a row no agreement's write has reached (none, after the backfill below).
ALTER TABLE agreement_facts ADD COLUMN version INTEGER;
ALTER TABLE agreement_facts ADD COLUMN accepted_by TEXT;
ALTER TABLE agreement_facts ADD COLUMN also_accepted_by TEXT;
ALTER TABLE agreement_facts ADD COLUMN review_on TEXT;
ALTER TABLE agreement_facts ADD COLUMN updated_at DATETIME;

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

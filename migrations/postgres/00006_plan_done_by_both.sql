-- PostgreSQL twin of migrations/00006_plan_done_by_both.sql (an item is done once both partners have
-- said so): the same column, filled from the history the same way, with false for SQLite's 0.

-- +goose Up
ALTER TABLE plan_marks ADD COLUMN done_at timestamptz;

INSERT INTO plan_marks (couple_id, item_id, user_id, did_my_part, noticed, updated_at, done_at)
SELECT e.couple_id, e.item_id, e.user_id, false, false, e.created_at, e.created_at
FROM plan_events e
WHERE e.what = 'done'
  AND NOT EXISTS (SELECT 1 FROM plan_events l
                  WHERE l.couple_id = e.couple_id AND l.item_id = e.item_id AND l.user_id = e.user_id
                    AND l.what IN ('done', 'undone')
                    AND (l.created_at > e.created_at OR (l.created_at = e.created_at AND l.id > e.id)))
ON CONFLICT (couple_id, item_id, user_id) DO UPDATE SET done_at = excluded.done_at;

UPDATE plan_items SET done_at = CASE
    WHEN (SELECT COUNT(*) FROM plan_marks m
          WHERE m.couple_id = plan_items.couple_id AND m.item_id = plan_items.id AND m.done_at IS NOT NULL) >= 2
    THEN (SELECT MAX(m.done_at) FROM plan_marks m
          WHERE m.couple_id = plan_items.couple_id AND m.item_id = plan_items.id AND m.done_at IS NOT NULL)
    END;

-- +goose Down
-- Back to one person's "done": every item someone has marked done counts as done.
UPDATE plan_items SET done_at = (SELECT MAX(m.done_at) FROM plan_marks m
                                 WHERE m.couple_id = plan_items.couple_id AND m.item_id = plan_items.id);

ALTER TABLE plan_marks DROP COLUMN done_at;

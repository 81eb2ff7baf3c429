-- An action-plan item is done once both partners have said so (DESIGN §2.6): each person's "done" is
-- their own mark, kept with their other marks; plan_items.done_at is now when the second of them marked
-- it, and is cleared when either takes theirs back.
--
-- Until now one person's "done" closed an item and anyone's "not done" reopened it. The history holds
-- who said which, so each person keeps the "done" they said last on each item: an item done before keeps
-- counting as marked by whoever marked it, and is done again once the other confirms. The same reading
-- of the history draws the progress page's "plan items done" per week, so the two always agree.

-- +goose Up
ALTER TABLE plan_marks ADD COLUMN done_at DATETIME;

INSERT INTO plan_marks (couple_id, item_id, user_id, did_my_part, noticed, updated_at, done_at)
SELECT e.couple_id, e.item_id, e.user_id, 0, 0, e.created_at, e.created_at
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

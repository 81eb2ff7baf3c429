-- PostgreSQL twin of migrations/00009_checkin_passed_weeks.sql (a skipped week opens nothing; it
-- passes): the same table with passed_at as timestamptz, and the same move of old weeks.

-- +goose Up
CREATE TABLE checkin_passed_weeks (
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week        text NOT NULL,
    passed_at   timestamptz NOT NULL,
    PRIMARY KEY (couple_id, week)
);

-- Weeks that opened before this rule with a "not this week" in them pass now.
INSERT INTO checkin_passed_weeks (couple_id, week, passed_at)
SELECT w.couple_id, w.week, w.opened_at FROM checkin_weeks AS w
WHERE EXISTS (SELECT 1 FROM checkin_answers AS a WHERE a.couple_id = w.couple_id AND a.week = w.week AND a.skip);
DELETE FROM checkin_weeks
WHERE EXISTS (SELECT 1 FROM checkin_passed_weeks AS p WHERE p.couple_id = checkin_weeks.couple_id AND p.week = checkin_weeks.week);

-- +goose Down
INSERT INTO checkin_weeks (couple_id, week, opened_at)
SELECT couple_id, week, passed_at FROM checkin_passed_weeks
ON CONFLICT (couple_id, week) DO NOTHING;
DROP TABLE checkin_passed_weeks;

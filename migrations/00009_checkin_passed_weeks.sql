-- +goose Up
-- A skipped week opens nothing (DESIGN §2.4): when both have shared and one of them (or both) chose
-- "not this week", the week passes without an exchange. Each keeps their own answers, which are fixed
-- from then on, and neither reads the other's. checkin_weeks keeps only the weeks that opened, so every
-- reader of opened weeks (the week view, export, plan and progress) counts exchanges only.
CREATE TABLE checkin_passed_weeks (
    couple_id   TEXT NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week        TEXT NOT NULL,
    passed_at   DATETIME NOT NULL,
    PRIMARY KEY (couple_id, week)
);

-- Weeks that opened before this rule with a "not this week" in them pass now.
INSERT INTO checkin_passed_weeks (couple_id, week, passed_at)
SELECT w.couple_id, w.week, w.opened_at FROM checkin_weeks AS w
WHERE EXISTS (SELECT 1 FROM checkin_answers AS a WHERE a.couple_id = w.couple_id AND a.week = w.week AND a.skip = 1);
DELETE FROM checkin_weeks
WHERE EXISTS (SELECT 1 FROM checkin_passed_weeks AS p WHERE p.couple_id = checkin_weeks.couple_id AND p.week = checkin_weeks.week);

-- +goose Down
INSERT INTO checkin_weeks (couple_id, week, opened_at)
SELECT couple_id, week, passed_at FROM checkin_passed_weeks WHERE true
ON CONFLICT (couple_id, week) DO NOTHING;
DROP TABLE checkin_passed_weeks;

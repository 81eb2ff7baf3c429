-- PostgreSQL twin of migrations/00011_monthly.sql: the same tables, keys, checks and indexes, with instants
-- as timestamptz.

-- The monthly look (DESIGN §5.4): once a month, in the first check-in week of the month, each partner
-- may rate five areas from 0 to 10. Answers are sealed as the weekly ones are: a partner's answers are
-- never read until both have shared, and then they open for both at once (monthly_weeks records that
-- moment). Emotional safety is only ever read by its author. Everything goes with its author's account
-- (ON DELETE CASCADE from users) and with the couple.

-- +goose Up
CREATE TABLE monthly_answers (
    id                text PRIMARY KEY,
    couple_id         text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week              text NOT NULL,
    user_id           text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    honesty           integer CHECK (honesty BETWEEN 0 AND 10),
    reliability       integer CHECK (reliability BETWEEN 0 AND 10),
    emotional_safety  integer CHECK (emotional_safety BETWEEN 0 AND 10),
    closeness         integer CHECK (closeness BETWEEN 0 AND 10),
    hope              integer CHECK (hope BETWEEN 0 AND 10),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    submitted_at      timestamptz,
    UNIQUE (couple_id, week, user_id)
);
CREATE INDEX monthly_answers_user ON monthly_answers(user_id, week);

CREATE TABLE monthly_weeks (
    couple_id   text NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    week        text NOT NULL,
    opened_at   timestamptz NOT NULL,
    PRIMARY KEY (couple_id, week)
);

-- +goose Down
DROP TABLE monthly_weeks;
DROP TABLE monthly_answers;

package checkin

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// What other features (the action plan, progress) may learn of check-ins. Every function is scoped to
// one couple, and the safety rating only ever comes back for the person asking.

// LowSafety reports whether the user's most recent safety rating in the couple is LowSafetyAt or less.
// While it is, Mend suggests no joint exercises to that person (DESIGN §2.4). The answer is private to
// the user. On a database error it answers true: suggestions stay off rather than risk suggesting a
// joint exercise to someone who feels unsafe.
func (s *Service) LowSafety(ctx context.Context, coupleID, userID string) bool {
	low, err := s.CheckLowSafety(ctx, coupleID, userID)
	return low || err != nil
}

// CheckLowSafety is LowSafety with the error reported. It reads the user's latest rated answer: one
// indexed row, drafts included, so it needs no kept fact (keeping one would cost every save a write).
func (s *Service) CheckLowSafety(ctx context.Context, coupleID, userID string) (bool, error) {
	var a Answer
	err := s.db.WithContext(ctx).Select("safety").Where("couple_id = ? AND user_id = ? AND safety IS NOT NULL", coupleID, userID).
		Order("week DESC").Limit(1).Find(&a).Error
	if err != nil {
		return false, fmt.Errorf("checkin: low safety: %w", err)
	}
	return a.Safety != nil && *a.Safety <= LowSafetyAt, nil
}

// PersonRatings are one person's ratings in an opened week; nil means not rated (or "not this week").
type PersonRatings struct {
	Trust      *int
	Connection *int
	// Safety is set only for the viewer's own answers.
	Safety *int
}

// OpenedWeekSummary is one opened week, as the action plan and the progress view need it.
type OpenedWeekSummary struct {
	Week     string
	OpenedAt time.Time
	// People maps user ids to their ratings that week.
	People map[string]PersonRatings
	// Counts of the per-agreement answers of both people that week.
	Kept, Partly, NotKept, NotSure int
	// Confirmed counts the week's reflections their author confirmed as heard rightly.
	Confirmed int
}

// openedWeeksSQL reads the opened weeks from the facts kept at write time: one row per week and person,
// with the viewer's own safety rating joined from their private rows only (the join names the viewer,
// so no one else's safety rating is read).
const openedWeeksSQL = `SELECT w.week, w.opened_at, w.kept, w.partly, w.not_kept, w.not_sure, w.confirmed,
	r.user_id, r.trust, r.connection, s.safety
	FROM checkin_week_facts w
	LEFT JOIN checkin_rating_facts r ON r.couple_id = w.couple_id AND r.week = w.week
	LEFT JOIN checkin_safety_facts s ON s.couple_id = w.couple_id AND s.week = w.week AND s.user_id = r.user_id AND s.user_id = ?
	WHERE w.couple_id = ? ORDER BY w.week`

// OpenedWeeks summarises the couple's opened weeks, oldest first, for viewerID: everyone's trust and
// connection ratings, and only the viewer's own safety rating. The kept counts are given for the weeks
// from keptFrom (a week key; "" for all) on, and stay zero before. It runs one query over the facts
// the writes keep (checkin_week_facts and its neighbours), whatever the length of the couple's history.
func (s *Service) OpenedWeeks(ctx context.Context, coupleID, viewerID, keptFrom string) ([]OpenedWeekSummary, error) {
	// Rows are scanned by hand: on this hot path GORM's reflective Scan cost more than the query.
	rows, err := s.db.WithContext(ctx).Raw(openedWeeksSQL, viewerID, coupleID).Rows()
	if err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	defer rows.Close()
	var out []OpenedWeekSummary
	for rows.Next() {
		var (
			w      OpenedWeekSummary
			userID sql.NullString
			r      PersonRatings
		)
		if err := rows.Scan(&w.Week, &w.OpenedAt, &w.Kept, &w.Partly, &w.NotKept, &w.NotSure, &w.Confirmed,
			&userID, &r.Trust, &r.Connection, &r.Safety); err != nil {
			return nil, fmt.Errorf("checkin: opened weeks: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].Week != w.Week {
			if w.Week < keptFrom {
				w.Kept, w.Partly, w.NotKept, w.NotSure = 0, 0, 0, 0
			}
			w.People = make(map[string]PersonRatings, 2)
			out = append(out, w)
		}
		if userID.Valid {
			out[len(out)-1].People[userID.String] = r
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	return out, nil
}

// ConfirmedReflections counts the couple's reflections their author confirmed as accurate.
func (s *Service) ConfirmedReflections(ctx context.Context, coupleID string) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Raw(`SELECT COALESCE(SUM(confirmed), 0) FROM checkin_week_facts WHERE couple_id = ?`, coupleID).Row().Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("checkin: confirmed reflections: %w", err)
	}
	return n, nil
}

// Keeping the facts. The tables checkin_week_facts, checkin_rating_facts and checkin_safety_facts
// (migration 00019) hold what the readers above need, written in the same transaction as every write
// that changes it, so they are as current as the answers by construction: no cache, nothing to expire.
// What depends on the day (which week is current, which kept counts a view shows) is worked out when
// read, from these rows and the clock, so a new day needs no write.
//
//   - a week opening: its week row, both people's rating rows and each one's private safety row
//     (keepOpenedWeek); an opened week's answers are fixed from then on, so saving a draft or sharing
//     before the week opens changes no fact and costs no write;
//   - a reflection confirmed: its week's count (keepConfirmed);
//   - an account deleted: Erase recounts the weeks the person answered in without them
//     (eraseFactsSQL); their own rating and safety rows go with the account by ON DELETE CASCADE;
//   - leaving a couple and changing its time zone change no fact: weeks keep their keys.

// keepWeekSQL writes the week row of an opened week from checkin_weeks and both people's answers.
const keepWeekSQL = `INSERT INTO checkin_week_facts (couple_id, week, opened_at, kept, partly, not_kept, not_sure, confirmed)
SELECT w.couple_id, w.week, w.opened_at,
	COUNT(CASE WHEN k.kept = 'kept' THEN 1 END), COUNT(CASE WHEN k.kept = 'partly' THEN 1 END),
	COUNT(CASE WHEN k.kept = 'not_kept' THEN 1 END), COUNT(CASE WHEN k.kept = 'not_sure' THEN 1 END), 0
FROM checkin_weeks w
LEFT JOIN checkin_answers a ON a.couple_id = w.couple_id AND a.week = w.week
LEFT JOIN checkin_agreement_answers k ON k.answer_id = a.id
WHERE w.couple_id = ? AND w.week = ?
GROUP BY w.couple_id, w.week, w.opened_at`

// keepRatingsSQL writes both people's rating rows of an opened week.
const keepRatingsSQL = `INSERT INTO checkin_rating_facts (couple_id, week, user_id, trust, connection)
SELECT couple_id, week, user_id, trust, connection FROM checkin_answers WHERE couple_id = ? AND week = ?`

// keepSafetySQL writes each person's own safety row of an opened week.
const keepSafetySQL = `INSERT INTO checkin_safety_facts (couple_id, user_id, week, safety)
SELECT couple_id, user_id, week, safety FROM checkin_answers WHERE couple_id = ? AND week = ? AND safety IS NOT NULL`

// keepOpenedWeek writes the facts of a week that has just opened (no reflection can exist yet).
func keepOpenedWeek(tx *gorm.DB, coupleID, week string) error {
	if err := tx.Exec(keepWeekSQL, coupleID, week).Error; err != nil {
		return err
	}
	if err := tx.Exec(keepRatingsSQL, coupleID, week).Error; err != nil {
		return err
	}
	return tx.Exec(keepSafetySQL, coupleID, week).Error
}

// keepConfirmed recounts the confirmed reflections of an opened week.
func keepConfirmed(tx *gorm.DB, coupleID, week string) error {
	return tx.Exec(`UPDATE checkin_week_facts SET confirmed = (SELECT count(*) FROM checkin_reflections
		WHERE couple_id = ? AND week = ? AND accurate = ?) WHERE couple_id = ? AND week = ?`, coupleID, week, true, coupleID, week).Error
}

// eraseFactsSQL recounts, without the person being deleted, the weeks of every couple they answered
// in: their per-agreement answers and the reflections they wrote leave the counts, as will the rows
// themselves when the cascade removes them. Erase has already withdrawn their confirmations of what
// they were heard to say.
const eraseFactsSQL = `UPDATE checkin_week_facts SET
	kept = (SELECT count(*) FROM checkin_answers a JOIN checkin_agreement_answers k ON k.answer_id = a.id
		WHERE a.couple_id = checkin_week_facts.couple_id AND a.week = checkin_week_facts.week AND a.user_id <> ? AND k.kept = 'kept'),
	partly = (SELECT count(*) FROM checkin_answers a JOIN checkin_agreement_answers k ON k.answer_id = a.id
		WHERE a.couple_id = checkin_week_facts.couple_id AND a.week = checkin_week_facts.week AND a.user_id <> ? AND k.kept = 'partly'),
	not_kept = (SELECT count(*) FROM checkin_answers a JOIN checkin_agreement_answers k ON k.answer_id = a.id
		WHERE a.couple_id = checkin_week_facts.couple_id AND a.week = checkin_week_facts.week AND a.user_id <> ? AND k.kept = 'not_kept'),
	not_sure = (SELECT count(*) FROM checkin_answers a JOIN checkin_agreement_answers k ON k.answer_id = a.id
		WHERE a.couple_id = checkin_week_facts.couple_id AND a.week = checkin_week_facts.week AND a.user_id <> ? AND k.kept = 'not_sure'),
	confirmed = (SELECT count(*) FROM checkin_reflections r
		WHERE r.couple_id = checkin_week_facts.couple_id AND r.week = checkin_week_facts.week AND r.accurate = ? AND r.listener_id <> ?)
WHERE couple_id IN (SELECT couple_id FROM checkin_answers WHERE user_id = ?)`

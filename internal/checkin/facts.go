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

// WeekFacts are one opened week as one person of the couple sees it, for the action plan and the
// progress view.
type WeekFacts struct {
	Week Week
	// OpenedAt is when the week opened; it is read only for the oldest weeks asked for
	// (OpenedWeeksQuery.OpenedAt), and zero for the others.
	OpenedAt time.Time
	// Me are the viewer's own ratings, their safety rating included; Partner are the partner's trust and
	// connection ratings (Partner.Safety is always nil). A couple has two members at most, ever (leaving
	// or deleting an account ends it), so these are all the ratings the week has.
	Me, Partner PersonRatings
	// Counts of the per-agreement answers of both people that week.
	Kept, Partly, NotKept, NotSure int
	// Confirmed counts the week's reflections their author confirmed as heard rightly.
	Confirmed int
}

// OpenedWeeksQuery says whose opened weeks OpenedWeeks reads, for whom, and how much of them.
type OpenedWeeksQuery struct {
	CoupleID string
	// ViewerID is the person asking; PartnerID their partner ("" when they have none).
	ViewerID, PartnerID string
	// KeptFrom is the first week whose kept counts are given; earlier weeks' stay zero. The zero Week
	// gives them all.
	KeptFrom Week
	// OpenedAt is how many of the oldest weeks come with when they opened; the others' OpenedAt stays
	// zero (the progress page's small wins name the first and the fourth).
	OpenedAt int
}

// openedWeeksSQL reads the opened weeks from the facts kept at write time: one row per week, with the
// viewer's and the partner's rating rows and the viewer's own safety row joined by their keys (the
// safety join names the viewer, so no one else's safety rating is read). When a week opened is read for
// the oldest weeks only, as many as asked for (the subquery f); the others' opened_at is NULL.
const openedWeeksSQL = `SELECT w.week, f.opened_at, w.kept, w.partly, w.not_kept, w.not_sure, w.confirmed,
	me.trust, me.connection, s.safety, pa.trust, pa.connection
	FROM checkin_week_facts w
	LEFT JOIN (SELECT week, opened_at FROM checkin_week_facts WHERE couple_id = ? ORDER BY week LIMIT ?) f ON f.week = w.week
	LEFT JOIN checkin_rating_facts me ON me.couple_id = w.couple_id AND me.week = w.week AND me.user_id = ?
	LEFT JOIN checkin_rating_facts pa ON pa.couple_id = w.couple_id AND pa.week = w.week AND pa.user_id = ?
	LEFT JOIN checkin_safety_facts s ON s.couple_id = w.couple_id AND s.user_id = ? AND s.week = w.week
	WHERE w.couple_id = ? ORDER BY w.week`

// ratingChunk is how many ratings OpenedWeeks keeps in one allocation.
const ratingChunk = 256

// OpenedWeeks summarises the couple's opened weeks, oldest first, as q's viewer sees them: their own
// ratings and their partner's trust and connection; only the viewer's own safety rating is read. It runs
// one query over the facts the writes keep (checkin_week_facts and its neighbours), one row per week
// found by key, whatever the length of the couple's history.
func (s *Service) OpenedWeeks(ctx context.Context, q OpenedWeeksQuery) ([]WeekFacts, error) {
	// Rows are scanned by hand into values reused for every row: on this hot path GORM's reflective
	// Scan cost more than the query, and so did a fresh set of scan targets per row.
	// Without a partner, PartnerID "" is nobody's id.
	rows, err := s.db.WithContext(ctx).Raw(openedWeeksSQL, q.CoupleID, max(q.OpenedAt, 0), q.ViewerID, q.PartnerID, q.ViewerID, q.CoupleID).Rows()
	if err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	defer rows.Close()
	var r struct {
		week                                         string
		openedAt                                     sql.NullTime
		kept, partly, notKept, notSure, confirmed    int64
		myTrust, myConnection, mySafety, trust, conn sql.NullInt64
	}
	dest := []any{&r.week, &r.openedAt, &r.kept, &r.partly, &r.notKept, &r.notSure, &r.confirmed,
		&r.myTrust, &r.myConnection, &r.mySafety, &r.trust, &r.conn}
	var (
		out     []WeekFacts
		ratings []int
	)
	rating := func(v sql.NullInt64) *int {
		if !v.Valid {
			return nil
		}
		if len(ratings) == cap(ratings) {
			ratings = make([]int, 0, ratingChunk)
		}
		ratings = append(ratings, int(v.Int64))
		return &ratings[len(ratings)-1]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("checkin: opened weeks: %w", err)
		}
		wk, ok := ParseWeek(r.week)
		if !ok {
			continue // not a week key: none is written (every key a write takes is parsed first)
		}
		w := WeekFacts{Week: wk, OpenedAt: r.openedAt.Time, Confirmed: int(r.confirmed),
			Me:      PersonRatings{Trust: rating(r.myTrust), Connection: rating(r.myConnection), Safety: rating(r.mySafety)},
			Partner: PersonRatings{Trust: rating(r.trust), Connection: rating(r.conn)}}
		if !wk.Before(q.KeptFrom) {
			w.Kept, w.Partly, w.NotKept, w.NotSure = int(r.kept), int(r.partly), int(r.notKept), int(r.notSure)
		}
		if out == nil {
			out = make([]WeekFacts, 0, 32)
		}
		out = append(out, w)
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

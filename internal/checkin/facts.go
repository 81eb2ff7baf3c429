package checkin

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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
	// OpenedAt is when the week opened; it is read only when asked for (OpenedWeeksQuery.OpenedAt).
	OpenedAt time.Time
	// Me are the viewer's own ratings, their safety rating included; Partner are the partner's trust and
	// connection ratings (Partner.Safety is always nil).
	Me, Partner PersonRatings
	// TrustSum and Trusted are the sum and the number of the week's trust ratings, of everyone who
	// answered that week.
	TrustSum, Trusted int
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
	// OpenedAt asks for when each week opened.
	OpenedAt bool
}

// openedWeeksSQL reads the opened weeks from the facts kept at write time: one row per week, with the
// viewer's and the partner's ratings picked out of the week's rating rows, the sum and number of all its
// trust ratings, and the viewer's own safety rating joined from their private rows only (the join names
// the viewer, so no one else's safety rating is read). %s is the opened_at column, or nothing.
const openedWeeksSQL = `SELECT w.week%s, w.kept, w.partly, w.not_kept, w.not_sure, w.confirmed,
	MAX(CASE WHEN r.user_id = ? THEN r.trust END), MAX(CASE WHEN r.user_id = ? THEN r.connection END), MAX(s.safety),
	MAX(CASE WHEN r.user_id = ? THEN r.trust END), MAX(CASE WHEN r.user_id = ? THEN r.connection END),
	COALESCE(SUM(r.trust), 0), COUNT(r.trust)
	FROM checkin_week_facts w
	LEFT JOIN checkin_rating_facts r ON r.couple_id = w.couple_id AND r.week = w.week
	LEFT JOIN checkin_safety_facts s ON s.couple_id = w.couple_id AND s.week = w.week AND s.user_id = r.user_id AND s.user_id = ?
	WHERE w.couple_id = ? GROUP BY w.couple_id, w.week ORDER BY w.week`

var (
	openedWeeksOnlySQL = fmt.Sprintf(openedWeeksSQL, "")
	openedWeeksAtSQL   = fmt.Sprintf(openedWeeksSQL, ", w.opened_at")
)

// ratingChunk is how many ratings OpenedWeeks keeps in one allocation.
const ratingChunk = 128

// OpenedWeeks summarises the couple's opened weeks, oldest first, as q's viewer sees them: their own
// ratings, their partner's trust and connection, and the week's trust ratings summed over everyone; only
// the viewer's own safety rating is read. It runs one query over the facts the writes keep
// (checkin_week_facts and its neighbours), one row per week, whatever the length of the couple's history.
func (s *Service) OpenedWeeks(ctx context.Context, q OpenedWeeksQuery) ([]WeekFacts, error) {
	query := openedWeeksOnlySQL
	if q.OpenedAt {
		query = openedWeeksAtSQL
	}
	// Rows are scanned by hand into values reused for every row: on this hot path GORM's reflective
	// Scan cost more than the query, and so did a fresh set of scan targets per row.
	rows, err := s.db.WithContext(ctx).Raw(query, q.ViewerID, q.ViewerID, q.PartnerID, q.PartnerID, q.ViewerID, q.CoupleID).Rows()
	if err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	defer rows.Close()
	var (
		week                                              string
		openedAt                                          time.Time
		kept, partly, notKept, notSure, confirmed, sum, n int64
		myTrust, myConnection, mySafety, trust, conn      sql.NullInt64
	)
	dest := []any{&week, &kept, &partly, &notKept, &notSure, &confirmed, &myTrust, &myConnection, &mySafety, &trust, &conn, &sum, &n}
	if q.OpenedAt {
		dest = slices.Insert(dest, 1, any(&openedAt))
	}
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
		wk, ok := ParseWeek(week)
		if !ok {
			continue // not a week key: none is written (every key a write takes is parsed first)
		}
		w := WeekFacts{Week: wk, OpenedAt: openedAt, TrustSum: int(sum), Trusted: int(n), Confirmed: int(confirmed),
			Me:      PersonRatings{Trust: rating(myTrust), Connection: rating(myConnection), Safety: rating(mySafety)},
			Partner: PersonRatings{Trust: rating(trust), Connection: rating(conn)}}
		if !wk.Before(q.KeptFrom) {
			w.Kept, w.Partly, w.NotKept, w.NotSure = int(kept), int(partly), int(notKept), int(notSure)
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

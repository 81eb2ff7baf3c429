package checkin

import (
	"context"
	"database/sql"
	"fmt"
	"time"
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

// CheckLowSafety is LowSafety with the error reported.
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
}

// OpenedWeeks summarises the couple's opened weeks, oldest first, for viewerID: everyone's trust and
// connection ratings, and only the viewer's own safety rating. The kept counts are read for the weeks
// from keptFrom (a week key; "" for all) on, and stay zero before. It runs two queries whatever the
// length of the couple's history: the weeks with their answers' ratings, and the kept counts per week.
func (s *Service) OpenedWeeks(ctx context.Context, coupleID, viewerID, keptFrom string) ([]OpenedWeekSummary, error) {
	db := s.db.WithContext(ctx)
	// The partner's safety rating never leaves the database: the CASE keeps only the viewer's own.
	// Rows are scanned by hand: on this hot path GORM's reflective Scan cost more than the queries.
	rows, err := db.Raw(`SELECT w.week, w.opened_at, a.user_id, a.trust, a.connection,
		CASE WHEN a.user_id = ? THEN a.safety END AS safety
		FROM checkin_weeks w LEFT JOIN checkin_answers a ON a.couple_id = w.couple_id AND a.week = w.week
		WHERE w.couple_id = ? ORDER BY w.week`, viewerID, coupleID).Rows()
	if err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	defer rows.Close()
	var out []OpenedWeekSummary
	at := map[string]int{}
	for rows.Next() {
		var (
			week     string
			openedAt time.Time
			userID   sql.NullString
			r        PersonRatings
		)
		if err := rows.Scan(&week, &openedAt, &userID, &r.Trust, &r.Connection, &r.Safety); err != nil {
			return nil, fmt.Errorf("checkin: opened weeks: %w", err)
		}
		i, ok := at[week]
		if !ok {
			i = len(out)
			at[week] = i
			out = append(out, OpenedWeekSummary{Week: week, OpenedAt: openedAt, People: make(map[string]PersonRatings, 2)})
		}
		if userID.Valid {
			out[i].People[userID.String] = r
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	rows.Close()
	kept, err := db.Raw(`SELECT a.week, k.kept, COUNT(*)
		FROM checkin_weeks w JOIN checkin_answers a ON a.couple_id = w.couple_id AND a.week = w.week
		JOIN checkin_agreement_answers k ON k.answer_id = a.id
		WHERE w.couple_id = ? AND w.week >= ? GROUP BY a.week, k.kept`, coupleID, keptFrom).Rows()
	if err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	defer kept.Close()
	for kept.Next() {
		var week, answer string
		var n int
		if err := kept.Scan(&week, &answer, &n); err != nil {
			return nil, fmt.Errorf("checkin: opened weeks: %w", err)
		}
		i, ok := at[week]
		if !ok {
			continue
		}
		w := &out[i]
		switch answer {
		case "kept":
			w.Kept += n
		case "partly":
			w.Partly += n
		case "not_kept":
			w.NotKept += n
		default:
			w.NotSure += n
		}
	}
	if err := kept.Err(); err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	return out, nil
}

// ConfirmedReflections counts the couple's reflections their author confirmed as accurate.
func (s *Service) ConfirmedReflections(ctx context.Context, coupleID string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Reflection{}).Where("couple_id = ? AND accurate = ?", coupleID, true).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("checkin: confirmed reflections: %w", err)
	}
	return int(n), nil
}

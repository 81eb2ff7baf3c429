package checkin

import (
	"context"
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
	err := s.db.WithContext(ctx).Where("couple_id = ? AND user_id = ? AND safety IS NOT NULL", coupleID, userID).
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
// connection ratings, and only the viewer's own safety rating.
func (s *Service) OpenedWeeks(ctx context.Context, coupleID, viewerID string) ([]OpenedWeekSummary, error) {
	db := s.db.WithContext(ctx)
	var opened []openedWeek
	if err := db.Where("couple_id = ?", coupleID).Order("week").Find(&opened).Error; err != nil {
		return nil, fmt.Errorf("checkin: opened weeks: %w", err)
	}
	out := make([]OpenedWeekSummary, 0, len(opened))
	for _, o := range opened {
		var answers []Answer
		if err := db.Where("couple_id = ? AND week = ?", coupleID, o.Week).Find(&answers).Error; err != nil {
			return nil, fmt.Errorf("checkin: opened weeks: %w", err)
		}
		if err := withAgreements(db, answers); err != nil {
			return nil, fmt.Errorf("checkin: opened weeks: %w", err)
		}
		w := OpenedWeekSummary{Week: o.Week, OpenedAt: o.OpenedAt, People: map[string]PersonRatings{}}
		for _, a := range answers {
			r := PersonRatings{Trust: a.Trust, Connection: a.Connection}
			if a.UserID == viewerID {
				r.Safety = a.Safety
			}
			w.People[a.UserID] = r
			for _, k := range a.Agreements {
				switch k.Kept {
				case "kept":
					w.Kept++
				case "partly":
					w.Partly++
				case "not_kept":
					w.NotKept++
				default:
					w.NotSure++
				}
			}
		}
		out = append(out, w)
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

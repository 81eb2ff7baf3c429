package monthly

import (
	"context"

	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
)

// trendOf reads one person's shared looks, oldest first, against the first of them. An area nil in
// the rows (a private area of the partner's, say) has no change.
func trendOf(rows []Answer) Trend {
	var t Trend
	for i, a := range rows {
		w, _ := checkin.ParseWeek(a.Week)
		p := Point{Week: w, Answer: a, Changes: map[string]*int{}}
		if i == 0 {
			t.Baseline = &p
			continue
		}
		for _, area := range Areas {
			if v, b := a.Rating(area.Key), rows[0].Rating(area.Key); v != nil && b != nil {
				d := *v - *b
				p.Changes[area.Key] = &d
			}
		}
		t.Later = append(t.Later, p)
	}
	return t
}

// Trends returns the member's own trend (as Trend does) and their partner's as the member may see it,
// in one read. The partner's holds their looks of the weeks that opened for both only, the first of
// them as its baseline, and never their emotional safety (the one private area): a look the partner
// shared alone stays sealed, so it is neither a point nor a baseline here. Without a partner, the
// partner's trend is empty.
func (s *Service) Trends(ctx context.Context, m *couple.Membership) (mine, partner Trend, err error) {
	var rows []Answer
	err = s.db.WithContext(ctx).Select("monthly_answers.*").
		Joins("LEFT JOIN monthly_weeks ON monthly_weeks.couple_id = monthly_answers.couple_id AND monthly_weeks.week = monthly_answers.week").
		Where("monthly_answers.couple_id = ? AND monthly_answers.submitted_at IS NOT NULL", m.Couple.ID).
		Where("monthly_answers.user_id = ? OR (monthly_answers.user_id = ? AND monthly_weeks.week IS NOT NULL)", m.Me.UserID, m.PartnerID()).
		Order("monthly_answers.week").Find(&rows).Error
	if err != nil {
		return Trend{}, Trend{}, wrap("trends", err)
	}
	var my, theirs []Answer
	for _, a := range rows {
		switch {
		case a.UserID == m.Me.UserID:
			my = append(my, a)
		case m.PartnerID() != "" && a.UserID == m.PartnerID():
			a.EmotionalSafety = nil
			theirs = append(theirs, a)
		}
	}
	return trendOf(my), trendOf(theirs), nil
}

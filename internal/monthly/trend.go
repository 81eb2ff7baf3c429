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

// PartnerTrend returns the partner's trend as the member may see it: the partner's looks of the weeks
// that opened for both only, the first of them as the baseline, never with their emotional safety (nor
// any private area). A look the partner shared alone stays sealed, so it is neither a point nor a
// baseline here. Without a partner the trend is empty.
func (s *Service) PartnerTrend(ctx context.Context, m *couple.Membership) (Trend, error) {
	if m.PartnerID() == "" {
		return Trend{}, nil
	}
	db := s.db.WithContext(ctx)
	var rows []Answer
	err := db.Where("couple_id = ? AND user_id = ? AND submitted_at IS NOT NULL AND week IN (?)", m.Couple.ID, m.PartnerID(),
		db.Model(&openedWeek{}).Select("week").Where("couple_id = ?", m.Couple.ID)).Order("week").Find(&rows).Error
	if err != nil {
		return Trend{}, wrap("partner trend", err)
	}
	for i := range rows {
		rows[i].EmotionalSafety = nil // the one private area (Areas)
	}
	return trendOf(rows), nil
}

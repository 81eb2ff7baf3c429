package notify

import (
	"context"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
)

// FromServices returns the Sources over the couple, check-in and agreement services. It only reads
// them: whether answers are shared, and the review dates of active agreements, are their rules.
func FromServices(couples *couple.Service, checkins *checkin.Service, agreements *agreement.Service) Sources {
	return Sources{
		Membership: couples.Current,
		Shared: func(ctx context.Context, m *couple.Membership) (string, bool, error) {
			w, err := checkins.ThisWeek(ctx, m)
			return w.Week.String(), w.Mine == "shared", err
		},
		ReviewDates: func(ctx context.Context, m *couple.Membership) ([]string, error) {
			views, err := agreements.Summaries(ctx, m)
			if err != nil {
				return nil, err
			}
			var dates []string
			for _, v := range views {
				if v.Status == agreement.StatusActive && v.ReviewOn != "" {
					dates = append(dates, v.ReviewOn)
				}
			}
			return dates, nil
		},
	}
}

package trigger

import (
	"context"
	"fmt"
	"time"

	"github.com/mendhq/mend/internal/couple"
)

// WeeklyCounts returns how many triggers the member noted per ISO week (such as 2026-W48, in the
// couple's time zone), counting their own triggers in their couple whose moment is on or after since.
// Only the counts leave the package, and only ever to their author: the progress page shows them to
// the author alone, and signals are never counted against anyone.
func (s *Service) WeeklyCounts(ctx context.Context, m *couple.Membership, since time.Time) (map[string]int, error) {
	var ats []time.Time
	err := own(s.db.WithContext(ctx), m).Model(&Trigger{}).Where("at >= ?", since.UTC()).Order("at").Pluck("at", &ats).Error
	if err != nil {
		return nil, wrap("weekly counts", err)
	}
	out := map[string]int{}
	for _, at := range ats {
		y, w := at.In(m.Zone()).ISOWeek()
		out[fmt.Sprintf("%04d-W%02d", y, w)]++
	}
	return out, nil
}

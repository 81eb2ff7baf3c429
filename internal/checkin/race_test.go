package checkin_test

import (
	"sync"
	"testing"

	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
)

// TestAWeekOpensOnceWhenBothShareAtOnce: when both partners share their answers at the same moment, the
// week opens, once, on either engine (MEND_TEST_ENGINE): neither share is lost to the other's, so the
// week never stays unopened with both answers shared, and no share fails.
func TestAWeekOpensOnceWhenBothShareAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const week, rounds = "2026-W48", 12
	for round := range rounds {
		p := f.couple("Europe/London")
		ma, mb := f.m(p.a), f.m(p.b)
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, share := range []struct {
			m  *couple.Membership
			in checkin.AnswerInput
		}{{ma, full("A", 6, 6, 6, true)}, {mb, full("B", 7, 7, 7, true)}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = f.svc.SaveAnswer(f.ctx, share.m, week, share.in)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: share %d: %v", round, i, err)
			}
		}
		var opened int64
		if err := f.db.Table("checkin_weeks").Where("couple_id = ? AND week = ?", p.coupleID, week).Count(&opened).Error; err != nil {
			t.Fatal(err)
		}
		if opened != 1 {
			t.Fatalf("round %d: both shared at once and the week opened %d times, want once", round, opened)
		}
		for _, u := range []string{p.a, p.b} {
			if v := f.week(u, week); v.State != checkin.StateOpened || v.Partner == nil {
				t.Fatalf("round %d: after both shared, %s sees the week %s (partner %v), want opened", round, u, v.State, v.Partner)
			}
		}
	}
}

package agreement_test

import (
	"sync"
	"testing"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
)

// TestAcceptingWhileThePartnerEditsLosesNothing: B accepts version 1 while A proposes version 2 from
// it, at the same moment, many times, on either engine (MEND_TEST_ENGINE). The two are ordered: an
// acceptance that succeeds is in the log, of the version that was current when it was written (never
// recorded after a newer version was proposed), and one that loses to the edit is a conflict that
// writes nothing. At least one of the two succeeds, and neither fails otherwise.
func TestAcceptingWhileThePartnerEditsLosesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	const rounds = 15
	for round := range rounds {
		v := f.create(t, f.a, input("Honesty"))
		start := make(chan struct{})
		var wg sync.WaitGroup
		var acceptErr, editErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			_, acceptErr = f.svc.Accept(ctx, f.b, v.ID, 1, "")
		}()
		go func() {
			defer wg.Done()
			<-start
			_, editErr = f.svc.Edit(ctx, f.a, v.ID, 1, input("Honesty, again"))
		}()
		close(start)
		wg.Wait()
		for name, err := range map[string]error{"accept": acceptErr, "edit": editErr} {
			if err != nil && !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("round %d: %s: %v", round, name, err)
			}
		}
		if acceptErr != nil && editErr != nil {
			t.Fatalf("round %d: both the acceptance and the edit failed: %v; %v", round, acceptErr, editErr)
		}
		got := must(t)(f.svc.Get(ctx, f.a, v.ID))
		accepted, current := false, 0
		for _, e := range got.Log {
			switch e.Action {
			case agreement.ActionProposed:
				current = e.Version
			case agreement.ActionAccepted:
				if e.ActorID == f.b.Me.UserID {
					accepted = true
					if e.Version != current {
						t.Errorf("round %d: B's acceptance of version %d was recorded after version %d was proposed: %+v",
							round, e.Version, current, got.Log)
					}
				}
			}
		}
		if accepted != (acceptErr == nil) {
			t.Errorf("round %d: accept returned %v, and B's acceptance is in the log: %v", round, acceptErr, accepted)
		}
		if wantVersions := map[bool]int{true: 1, false: 2}[editErr != nil]; len(got.Versions) != wantVersions {
			t.Errorf("round %d: edit returned %v and there are %d versions", round, editErr, len(got.Versions))
		}
	}
}

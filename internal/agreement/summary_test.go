package agreement_test

import (
	"testing"
	"time"

	"github.com/mendhq/mend/internal/agreement"
)

// TestSummariesMatchList checks the lean read against the full one for agreements in every state:
// proposed, active after edits, withdrawn, reviewed and due, and ended.
func TestSummariesMatchList(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	m := must(t)
	f.create(t, f.a, input("Proposed"))
	v := f.create(t, f.a, input("Edited and accepted"))
	v = m(f.svc.Edit(ctx, f.b, v.ID, v.Current.Number, input("Edited and accepted, again")))
	m(f.svc.Accept(ctx, f.a, v.ID, v.Current.Number, ""))
	w := f.create(t, f.b, input("Withdrawn"))
	m(f.svc.Withdraw(ctx, f.a, w.ID, "not yet"))
	r := f.create(t, f.a, input("Reviewed"))
	m(f.svc.Accept(ctx, f.b, r.ID, 1, ""))
	m(f.svc.Review(ctx, f.b, r.ID, "2026-12-20", "all good"))
	e := f.create(t, f.a, transparency("2026-12-10"))
	m(f.svc.Accept(ctx, f.b, e.ID, 1, ""))
	f.clock.Advance(30 * 24 * time.Hour)

	statuses := map[string]bool{}
	for _, scope := range []agreement.Scope{f.a, f.b} {
		full, err := f.svc.List(ctx, scope)
		if err != nil {
			t.Fatal(err)
		}
		lean, err := f.svc.Summaries(ctx, scope)
		if err != nil {
			t.Fatal(err)
		}
		if len(full) != 5 || len(lean) != len(full) {
			t.Fatalf("as %s: %d summaries, %d agreements, want 5", scope.UserID, len(lean), len(full))
		}
		for i := range full {
			g, w := lean[i], full[i]
			statuses[w.Status] = true
			if g.ID != w.ID || g.Status != w.Status || g.DueForReview != w.DueForReview || g.ReviewOn != w.ReviewOn ||
				!g.UpdatedAt.Equal(w.UpdatedAt) || g.Current.Number != w.Current.Number || g.Current.Title != w.Current.Title ||
				g.WaitingFor(scope.UserID) != w.WaitingFor(scope.UserID) || len(g.AcceptedBy) != len(w.AcceptedBy) {
				t.Errorf("as %s, %q: summary %s v%d due=%v, list %s v%d due=%v", scope.UserID, w.Current.Title,
					g.Status, g.Current.Number, g.DueForReview, w.Status, w.Current.Number, w.DueForReview)
			}
		}
	}
	if len(statuses) < 4 {
		t.Errorf("the agreements cover only the statuses %v", statuses)
	}
}

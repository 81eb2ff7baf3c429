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
	m(f.svc.Withdraw(ctx, f.b, w.ID, "not yet"))
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

// TestActiveMatchesSummaries checks Active, which applies the status rule in SQL, against the active
// agreements of Summaries, in the same order, as days pass and agreements are proposed, accepted,
// edited, withdrawn, reviewed and ended.
func TestActiveMatchesSummaries(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	m := must(t)
	check := func(when string) {
		t.Helper()
		for _, scope := range []agreement.Scope{f.a, f.b} {
			all, err := f.svc.Summaries(ctx, scope)
			if err != nil {
				t.Fatal(err)
			}
			var want []agreement.View
			for _, v := range all {
				if v.Status == agreement.StatusActive {
					want = append(want, v)
				}
			}
			got, err := f.svc.Active(ctx, scope)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s: %d active, Summaries say %d", when, len(got), len(want))
			}
			for i := range want {
				g, w := got[i], want[i]
				if g.ID != w.ID || g.Current.Title != w.Current.Title || g.Current.Number != w.Current.Number ||
					g.Current.ID != w.Current.ID || (g.Current.EndsOn == nil) != (w.Current.EndsOn == nil) || g.Status != agreement.StatusActive {
					t.Errorf("%s: active[%d] = %s v%d %q, Summaries have %s v%d %q", when, i, g.ID, g.Current.Number,
						g.Current.Title, w.ID, w.Current.Number, w.Current.Title)
				}
			}
		}
	}
	check("no agreements")
	f.create(t, f.a, input("Only proposed"))
	first := f.create(t, f.a, input("First accepted"))
	m(f.svc.Accept(ctx, f.b, first.ID, 1, ""))
	f.clock.Advance(time.Hour)
	second := f.create(t, f.b, input("Second accepted"))
	m(f.svc.Accept(ctx, f.a, second.ID, 1, ""))
	check("two accepted")
	f.clock.Advance(time.Hour)
	// Touching the first agreement again (a review) makes it the most recently changed.
	m(f.svc.Review(ctx, f.b, first.ID, "2026-12-20", "going well"))
	check("after a review")
	edited := m(f.svc.Edit(ctx, f.a, second.ID, 1, input("Second, edited")))
	check("an edit waits for the other")
	m(f.svc.Accept(ctx, f.b, edited.ID, edited.Current.Number, ""))
	check("the edit accepted")
	w := f.create(t, f.a, input("Withdrawn"))
	m(f.svc.Accept(ctx, f.b, w.ID, 1, ""))
	m(f.svc.Withdraw(ctx, f.b, w.ID, "not now"))
	e := f.create(t, f.a, transparency("2026-12-10"))
	m(f.svc.Accept(ctx, f.b, e.ID, 1, ""))
	check("with a withdrawn and a transparency agreement")
	f.clock.Advance(20 * 24 * time.Hour)
	check("after the transparency agreement ended")
}

package trigger_test

import (
	"testing"

	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/trigger"
)

// TestTextIsSealedAtRest checks that every text of the trigger log is stored sealed (internal/vault),
// and reads back as written: the trigger's what and helped, a signal's copy of the text and a response.
func TestTextIsSealedAtRest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const canary = "canary-7f3a"
	e, err := f.svc.Create(ctx, f.a, trigger.Input{What: canary + " what", Strength: intp(3), Helped: canary + " helped"})
	if err != nil {
		t.Fatal(err)
	}
	if e.What != canary+" what" || e.Helped != canary+" helped" {
		t.Fatalf("created %+v", e.Trigger)
	}
	what := canary + " edited"
	if e, err = f.svc.Update(ctx, f.a, e.ID, trigger.Patch{What: &what}); err != nil || e.What != what || e.Helped != canary+" helped" {
		t.Fatalf("update: %+v, %v", e, err)
	}
	if _, err := f.svc.Signal(ctx, f.a, e.ID, true); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Received(ctx, f.b)
	if err != nil || len(got) != 1 || got[0].Text == nil || *got[0].Text != what {
		t.Fatalf("received %+v, %v", got, err)
	}
	if _, err := f.svc.Respond(ctx, f.b, got[0].ID, trigger.Reassure, canary+" response"); err != nil {
		t.Fatal(err)
	}
	list, err := f.svc.List(ctx, f.a)
	if err != nil || len(list) != 1 || list[0].What != what || len(list[0].Responses) != 1 || list[0].Responses[0].Text != canary+" response" ||
		*list[0].Signal.Text != what {
		t.Fatalf("list %+v, %v", list, err)
	}
	for _, c := range [][2]string{{"triggers", "what"}, {"triggers", "helped"}, {"trigger_signals", "text"}, {"trigger_responses", "text"}} {
		testutil.RequireSealed(t, f.db, c[0], c[1], canary)
	}
}

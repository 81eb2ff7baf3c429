package checkin_test

import (
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestTimeoutNoteIsSealedAtRest checks that a time-out's note is stored sealed (internal/vault) and
// reads back as written, for the partner and in the export.
func TestTimeoutNoteIsSealedAtRest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	const canary = "canary-t0c4"
	got, err := f.svc.StartTimeout(f.ctx, f.m(p.a), f.clock.Now().Add(time.Hour), canary+" back at six")
	if err != nil || got.Note != canary+" back at six" {
		t.Fatalf("start: %+v, %v", got, err)
	}
	cur, err := f.svc.CurrentTimeout(f.ctx, f.m(p.b))
	if err != nil || cur == nil || cur.Note != canary+" back at six" {
		t.Fatalf("the partner reads %+v, %v", cur, err)
	}
	ex, err := f.svc.Export(f.ctx, p.a, f.m(p.a))
	if err != nil || len(ex.Timeouts) != 1 || ex.Timeouts[0].Note != canary+" back at six" {
		t.Fatalf("export %+v, %v", ex, err)
	}
	testutil.RequireSealed(t, f.db, "checkin_timeouts", "note", canary)
}

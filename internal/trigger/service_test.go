package trigger_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/trigger"
)

var ctx = context.Background()

// fixture is one couple (a and b), another couple's member (x) and a trigger service on a fake clock
// at Wednesday 25 November 2026, noon UTC.
type fixture struct {
	clock   *testutil.Clock
	db      *gorm.DB
	svc     *trigger.Service
	pair    testutil.Pair
	a, b, x *couple.Membership
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	p := testutil.NewPair(t, db, clock.Now, false)
	other := testutil.NewPair(t, db, clock.Now, false)
	return &fixture{clock: clock, db: db, svc: trigger.NewService(db, clock.Now), pair: p,
		a: p.Member(t, p.A), b: p.Member(t, p.B), x: other.Member(t, other.A)}
}

func intp(v int) *int { return &v }

func (f *fixture) log(t *testing.T, m *couple.Membership, what string) *trigger.Entry {
	t.Helper()
	e, err := f.svc.Create(ctx, m, trigger.Input{What: what, Strength: intp(7), Helped: "A walk"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return e
}

func wantKind(t *testing.T, what string, err error, k apperr.Kind) {
	t.Helper()
	if !apperr.Is(err, k) {
		t.Fatalf("%s: error = %v, want kind %s", what, err, k)
	}
}

// TestTriggersArePrivateToTheirAuthor: only the author lists, reads, changes or removes a trigger; the
// partner and another couple get not-found, exactly as for a missing entry.
func TestTriggersArePrivateToTheirAuthor(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	e := f.log(t, f.a, "A song in the shop")
	if !e.At.Equal(f.clock.Now()) || e.Strength != 7 || e.Signal != nil {
		t.Fatalf("created %+v", e)
	}
	mine, err := f.svc.List(ctx, f.a)
	if err != nil || len(mine) != 1 || mine[0].What != "A song in the shop" {
		t.Fatalf("author's list: %+v, %v", mine, err)
	}
	for who, m := range map[string]*couple.Membership{"partner": f.b, "other couple": f.x} {
		if list, err := f.svc.List(ctx, m); err != nil || len(list) != 0 {
			t.Errorf("%s lists %+v (%v)", who, list, err)
		}
		_, err := f.svc.Get(ctx, m, e.ID)
		wantKind(t, who+" get", err, apperr.NotFound)
		_, err = f.svc.Update(ctx, m, e.ID, trigger.Patch{What: new(string)})
		wantKind(t, who+" update", err, apperr.NotFound)
		wantKind(t, who+" delete", f.svc.Delete(ctx, m, e.ID), apperr.NotFound)
		_, err = f.svc.Signal(ctx, m, e.ID, true)
		wantKind(t, who+" signal", err, apperr.NotFound)
	}
	if got, err := f.svc.Get(ctx, f.a, e.ID); err != nil || got.What != "A song in the shop" {
		t.Fatalf("after the others tried: %+v, %v", got, err)
	}
}

func TestTriggerValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	now := f.clock.Now()
	long := make([]byte, trigger.MaxWhat+1)
	for i := range long {
		long[i] = 'a'
	}
	cases := []struct {
		name  string
		in    trigger.Input
		field string
	}{
		{"no text", trigger.Input{Strength: intp(3)}, "what"},
		{"no strength", trigger.Input{What: "x"}, "strength"},
		{"strength over 10", trigger.Input{What: "x", Strength: intp(11)}, "strength"},
		{"negative strength", trigger.Input{What: "x", Strength: intp(-1)}, "strength"},
		{"in the future", trigger.Input{What: "x", Strength: intp(3), At: now.Add(time.Hour)}, "at"},
		{"three years ago", trigger.Input{What: "x", Strength: intp(3), At: now.AddDate(-3, 0, 0)}, "at"},
		{"too long", trigger.Input{What: string(long), Strength: intp(3)}, "what"},
		{"not text", trigger.Input{What: "a\xffb", Strength: intp(3)}, "what"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Create(ctx, f.a, tc.in)
			e := apperr.As(err)
			if e == nil || e.Kind != apperr.Invalid || e.Fields[tc.field] == "" {
				t.Fatalf("error %v, want a message for %s", err, tc.field)
			}
		})
	}
	e := f.log(t, f.a, "x")
	if _, err := f.svc.Update(ctx, f.a, e.ID, trigger.Patch{Strength: intp(12)}); apperr.As(err) == nil || apperr.As(err).Fields["strength"] == "" {
		t.Fatalf("patch strength 12: %v", err)
	}
	earlier := now.Add(-2 * time.Hour)
	got, err := f.svc.Update(ctx, f.a, e.ID, trigger.Patch{At: &earlier, Strength: intp(2)})
	if err != nil || !got.At.Equal(earlier) || got.Strength != 2 || got.What != "x" {
		t.Fatalf("patch: %+v, %v", got, err)
	}
}

// TestSignalCarriesTextOnlyWhenChosen: a signal shows the partner the fixed message, and the trigger's
// text only when the author chose it, as it was then; the partner sees only signals, never triggers.
func TestSignalCarriesTextOnlyWhenChosen(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	plain := f.log(t, f.a, "Plain one")
	withText := f.log(t, f.a, "With its text")
	f.log(t, f.a, "Never signalled")
	if _, err := f.svc.Signal(ctx, f.a, plain.ID, false); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	if _, err := f.svc.Signal(ctx, f.a, withText.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Signal(ctx, f.a, withText.ID, true)
	wantKind(t, "second signal", err, apperr.Conflict)
	edited := "Edited later"
	if _, err := f.svc.Update(ctx, f.a, withText.ID, trigger.Patch{What: &edited}); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Received(ctx, f.b)
	if err != nil || len(got) != 2 {
		t.Fatalf("received %+v, %v", got, err)
	}
	if got[0].Text == nil || *got[0].Text != "With its text" {
		t.Errorf("newest signal text %v, want the text as it was shared", got[0].Text)
	}
	if got[1].Text != nil {
		t.Errorf("plain signal carries text %q", *got[1].Text)
	}
	for who, m := range map[string]*couple.Membership{"author": f.a, "other couple": f.x} {
		if list, _ := f.svc.Received(ctx, m); len(list) != 0 {
			t.Errorf("%s receives %+v", who, list)
		}
	}
	if err := f.svc.Delete(ctx, f.a, plain.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.Received(ctx, f.b); len(got) != 1 {
		t.Errorf("a removed trigger's signal is still received: %+v", got)
	}
}

func TestSignalNeedsAPartner(t *testing.T) {
	t.Parallel()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	p := testutil.NewPair(t, db, clock.Now, true)
	svc := trigger.NewService(db, clock.Now)
	a := p.Member(t, p.A)
	e, err := svc.Create(ctx, a, trigger.Input{What: "x", Strength: intp(1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Signal(ctx, a, e.ID, false)
	wantKind(t, "signal without a partner", err, apperr.Conflict)
}

// TestOnlyTheRecipientResponds: the partner who received a signal responds; the author cannot (403),
// another couple cannot find it (404), and a trigger id is not a signal (404).
func TestOnlyTheRecipientResponds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	e := f.log(t, f.a, "x")
	e, err := f.svc.Signal(ctx, f.a, e.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	sid := e.Signal.ID
	_, err = f.svc.Respond(ctx, f.a, sid, trigger.Acknowledge, "me")
	wantKind(t, "author responds", err, apperr.Forbidden)
	_, err = f.svc.Respond(ctx, f.x, sid, trigger.Acknowledge, "other")
	wantKind(t, "other couple responds", err, apperr.NotFound)
	_, err = f.svc.Respond(ctx, f.b, e.ID, trigger.Acknowledge, "trigger id")
	wantKind(t, "response to a trigger id", err, apperr.NotFound)
	_, err = f.svc.Respond(ctx, f.b, sid, "hug", "")
	if e := apperr.As(err); e == nil || e.Fields["kind"] == "" || e.Fields["text"] == "" {
		t.Fatalf("bad kind and no text: %v", err)
	}
	r, err := f.svc.Respond(ctx, f.b, sid, trigger.Reassure, "  I'm at home and staying in.  ")
	if err != nil || r.Text != "I'm at home and staying in." {
		t.Fatalf("respond: %+v, %v", r, err)
	}
	got, err := f.svc.Get(ctx, f.a, e.ID)
	if err != nil || len(got.Responses) != 1 || got.Responses[0].Kind != trigger.Reassure {
		t.Fatalf("the author sees %+v, %v", got, err)
	}
	recv, _ := f.svc.Received(ctx, f.b)
	if len(recv) != 1 || len(recv[0].Responses) != 1 {
		t.Fatalf("the recipient sees %+v", recv)
	}
}

// TestExportAndTakingBack: the export holds a person's own triggers, what they received and what they
// wrote; a response stays with its writer when the signal it answered is taken back.
func TestExportAndTakingBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	e := f.log(t, f.a, "private words")
	if _, err := f.svc.Signal(ctx, f.a, e.ID, false); err != nil {
		t.Fatal(err)
	}
	recv, _ := f.svc.Received(ctx, f.b)
	if _, err := f.svc.Respond(ctx, f.b, recv[0].ID, trigger.Ask, "What would help?"); err != nil {
		t.Fatal(err)
	}
	exA, err := f.svc.ExportFor(ctx, f.pair.A, f.a)
	if err != nil || len(exA.Mine) != 1 || len(exA.Mine[0].Responses) != 1 || len(exA.Received) != 0 || len(exA.Written) != 0 {
		t.Fatalf("A's export %+v, %v", exA, err)
	}
	exB, err := f.svc.ExportFor(ctx, f.pair.B, f.b)
	if err != nil || len(exB.Mine) != 0 || len(exB.Received) != 1 || len(exB.Written) != 1 {
		t.Fatalf("B's export %+v, %v", exB, err)
	}
	if exB.Received[0].Text != nil {
		t.Fatalf("B's export holds the text A did not share")
	}
	if err := f.svc.Delete(ctx, f.a, e.ID); err != nil {
		t.Fatal(err)
	}
	exB, _ = f.svc.ExportFor(ctx, f.pair.B, f.b)
	if len(exB.Received) != 0 || len(exB.Written) != 1 || exB.Written[0].SignalID != nil {
		t.Fatalf("after A took it back, B's export %+v", exB)
	}
}

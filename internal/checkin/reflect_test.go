package checkin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
)

// opened makes a couple whose 2026-W48 has opened.
func opened(f *fixture) pair {
	p := f.couple("Europe/London")
	f.save(p.a, "2026-W48", full("A", 3, 4, 7, true))
	f.save(p.b, "2026-W48", full("B", 8, 9, 6, true))
	return p
}

func TestActiveListeningRoles(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	f.save(p.a, "2026-W48", full("A", 3, 4, 7, true))
	_, err := f.svc.Reflect(f.ctx, f.m(p.b), "2026-W48", "I heard...")
	if e := wantKind(t, err, apperr.Conflict); e != checkin.ErrNotOpened {
		t.Errorf("reflecting before opening: %v", e)
	}
	f.save(p.b, "2026-W48", full("B", 8, 9, 6, true))

	_, err = f.svc.Reflect(f.ctx, f.m(p.b), "2026-W48", "   ")
	if e := wantKind(t, err, apperr.Invalid); e.Fields["text"] == "" {
		t.Errorf("empty reflection: %v", e.Fields)
	}
	r, err := f.svc.Reflect(f.ctx, f.m(p.b), "2026-W48", "  I heard that Sunday was hard.  ")
	if err != nil || r.ListenerID != p.b || r.AuthorID != p.a || r.Text != "I heard that Sunday was hard." {
		t.Fatalf("reflect: %+v %v", r, err)
	}
	// The listener cannot confirm their own restatement; only A, whose answers they are, can.
	_, err = f.svc.Respond(f.ctx, f.m(p.b), "2026-W48", r.ID, true, "")
	if e := wantKind(t, err, apperr.Forbidden); e != checkin.ErrOnlyAuthor {
		t.Errorf("listener confirming: %v", e)
	}
	_, err = f.svc.Validate(f.ctx, f.m(p.b), "2026-W48", r.ID, "That makes sense.")
	if e := wantKind(t, err, apperr.Conflict); e != checkin.ErrNotResponded {
		t.Errorf("validating before the response: %v", e)
	}
	got, err := f.svc.Respond(f.ctx, f.m(p.a), "2026-W48", r.ID, false, "It was Saturday, and it was lonely more than hard.")
	if err != nil || got.Accurate == nil || *got.Accurate || got.RespondedAt == nil {
		t.Fatalf("respond: %+v %v", got, err)
	}
	_, err = f.svc.Respond(f.ctx, f.m(p.a), "2026-W48", r.ID, true, "")
	wantKind(t, err, apperr.Conflict)
	_, err = f.svc.Validate(f.ctx, f.m(p.a), "2026-W48", r.ID, "I validate myself")
	if e := wantKind(t, err, apperr.Forbidden); e != checkin.ErrOnlyListener {
		t.Errorf("author validating: %v", e)
	}
	// After "not quite" the listener restates again; a validating line follows only a confirmation.
	_, err = f.svc.Validate(f.ctx, f.m(p.b), "2026-W48", r.ID, "Feeling lonely makes sense.")
	wantKind(t, err, apperr.Conflict)

	v := f.week(p.a, "2026-W48")
	if len(v.Reflections) != 1 || v.Reflections[0].Validation != "" || v.Reflections[0].Note == "" {
		t.Errorf("reflections in the week: %+v", v.Reflections)
	}
	if n, err := f.svc.ConfirmedReflections(f.ctx, p.coupleID); err != nil || n != 0 {
		t.Errorf("a \"not quite\" counted as confirmed: %d %v", n, err)
	}
	r2, err := f.svc.Reflect(f.ctx, f.m(p.a), "2026-W48", "You felt closer this week.")
	if err != nil || r2.AuthorID != p.b {
		t.Fatalf("A reflecting on B: %+v %v", r2, err)
	}
	if _, err := f.svc.Respond(f.ctx, f.m(p.b), "2026-W48", r2.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.svc.ConfirmedReflections(f.ctx, p.coupleID); n != 1 {
		t.Errorf("confirmed reflections = %d, want 1", n)
	}
	if _, err := f.svc.Validate(f.ctx, f.m(p.a), "2026-W48", r2.ID, "Feeling closer makes sense."); err != nil {
		t.Fatalf("validate: %v", err)
	}
	_, err = f.svc.Validate(f.ctx, f.m(p.a), "2026-W48", r2.ID, "again")
	wantKind(t, err, apperr.Conflict)
	// The reflection belongs to its week: another week's URL does not find it.
	_, err = f.svc.Respond(f.ctx, f.m(p.b), "2026-W47", r2.ID, true, "")
	wantKind(t, err, apperr.NotFound)
}

func TestReflectionsStayInTheirCouple(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p, q := opened(f), opened(f)
	r, err := f.svc.Reflect(f.ctx, f.m(p.b), "2026-W48", "I heard you.")
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{q.a, q.b} {
		_, err := f.svc.Respond(f.ctx, f.m(who), "2026-W48", r.ID, true, "")
		wantKind(t, err, apperr.NotFound)
		_, err = f.svc.Validate(f.ctx, f.m(who), "2026-W48", r.ID, "x")
		wantKind(t, err, apperr.NotFound)
		if v := f.week(who, "2026-W48"); len(v.Reflections) != 0 {
			t.Errorf("another couple sees reflections: %+v", v.Reflections)
		}
	}
	if v := f.week(p.a, "2026-W48"); v.Reflections[0].RespondedAt != nil {
		t.Error("another couple's response changed the reflection")
	}
}

// TestNothingToRestateAfterNotThisWeek: a skipped week opens nothing (DESIGN §2.4), so neither partner
// can restate the other's answers: not the one who skipped, nor the one who answered.
func TestNothingToRestateAfterNotThisWeek(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	f.save(p.a, "2026-W48", checkin.AnswerInput{Skip: true, Submit: true})
	f.save(p.b, "2026-W48", full("B", 8, 9, 6, true))
	_, err := f.svc.Reflect(f.ctx, f.m(p.b), "2026-W48", "I heard nothing")
	wantKind(t, err, apperr.Conflict)
	_, err = f.svc.Reflect(f.ctx, f.m(p.a), "2026-W48", "I heard B")
	wantKind(t, err, apperr.Conflict)
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p, q := f.couple("Europe/London"), f.couple("Europe/London")
	now := f.clock.Now()
	for _, tc := range []struct {
		name  string
		until time.Time
		note  string
		field string
	}{
		{"in the past", now.Add(-time.Minute), "", "until"},
		{"now", now, "", "until"},
		{"beyond a day", now.Add(24*time.Hour + time.Second), "", "until"},
		{"missing", time.Time{}, "", "until"},
		{"long note", now.Add(time.Hour), string(make([]byte, checkin.MaxNote+1)), "note"},
	} {
		_, err := f.svc.StartTimeout(f.ctx, f.m(p.a), tc.until, tc.note)
		if e := wantKind(t, err, apperr.Invalid); e.Fields[tc.field] == "" {
			t.Errorf("%s: fields %v", tc.name, e.Fields)
		}
	}
	to, err := f.svc.StartTimeout(f.ctx, f.m(p.a), now.Add(24*time.Hour), "Back after dinner")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.StartTimeout(f.ctx, f.m(p.b), now.Add(time.Hour), "")
	wantKind(t, err, apperr.Conflict)
	cur, err := f.svc.CurrentTimeout(f.ctx, f.m(p.b))
	if err != nil || cur == nil || cur.ID != to.ID || cur.Note != "Back after dinner" {
		t.Fatalf("partner's current time-out: %+v %v", cur, err)
	}
	if other, _ := f.svc.CurrentTimeout(f.ctx, f.m(q.a)); other != nil {
		t.Fatalf("another couple sees the time-out: %+v", other)
	}
	wantKind(t, f.svc.EndTimeout(f.ctx, f.m(q.b)), apperr.NotFound)
	if cur, _ := f.svc.CurrentTimeout(f.ctx, f.m(p.a)); cur == nil {
		t.Fatal("another couple ended the time-out")
	}
	wantKind(t, f.svc.EndTimeout(f.ctx, f.m(p.b)), apperr.Forbidden) // only the asker ends it early
	if err := f.svc.EndTimeout(f.ctx, f.m(p.a)); err != nil {
		t.Fatalf("the asker ending the pause: %v", err)
	}
	if cur, _ := f.svc.CurrentTimeout(f.ctx, f.m(p.a)); cur != nil {
		t.Fatalf("time-out still current after ending: %+v", cur)
	}
	wantKind(t, f.svc.EndTimeout(f.ctx, f.m(p.a)), apperr.NotFound)
	if _, err := f.svc.StartTimeout(f.ctx, f.m(p.b), now.Add(30*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(31 * time.Minute)
	if cur, _ := f.svc.CurrentTimeout(f.ctx, f.m(p.a)); cur != nil {
		t.Fatalf("time-out still current after its time: %+v", cur)
	}
}

// TestValidationFollowsOnlyAConfirmedReflection: the "it makes sense" line follows only a reflection
// its author confirmed. After "not quite" the listener restates again, and the thread reads in order.
func TestValidationFollowsOnlyAConfirmedReflection(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := opened(f)
	first, err := f.svc.Reflect(f.ctx, f.m(p.b), "2026-W48", "You found Sunday hard.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Respond(f.ctx, f.m(p.a), "2026-W48", first.ID, false, "It was Saturday, and lonely."); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Validate(f.ctx, f.m(p.b), "2026-W48", first.ID, "It makes sense that you felt that.")
	if e := wantKind(t, err, apperr.Conflict); !strings.Contains(e.Message, "not quite") {
		t.Errorf("validating a \"not quite\": unclear message %q", e.Message)
	}
	f.clock.Advance(time.Minute) // the thread reads in the order it was written
	again, err := f.svc.Reflect(f.ctx, f.m(p.b), "2026-W48", "Saturday felt lonely.")
	if err != nil {
		t.Fatalf("restating after \"not quite\": %v", err)
	}
	if _, err := f.svc.Respond(f.ctx, f.m(p.a), "2026-W48", again.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Validate(f.ctx, f.m(p.b), "2026-W48", again.ID, "It makes sense you felt lonely."); err != nil {
		t.Fatalf("validating a confirmed reflection: %v", err)
	}
	v := f.week(p.a, "2026-W48")
	if len(v.Reflections) != 2 || v.Reflections[0].ID != first.ID || v.Reflections[0].Validation != "" ||
		v.Reflections[1].ID != again.ID || v.Reflections[1].Validation == "" {
		t.Errorf("the thread: %+v", v.Reflections)
	}
}

// TestOnlyTheAskerEndsTheirPause: only the person who asked for a pause may end it early; the other
// is refused (403) and the pause stays until its time.
func TestOnlyTheAskerEndsTheirPause(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	if _, err := f.svc.StartTimeout(f.ctx, f.m(p.a), f.clock.Now().Add(time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	wantKind(t, f.svc.EndTimeout(f.ctx, f.m(p.b)), apperr.Forbidden)
	if cur, _ := f.svc.CurrentTimeout(f.ctx, f.m(p.a)); cur == nil {
		t.Fatal("the other partner ended the pause")
	}
	if err := f.svc.EndTimeout(f.ctx, f.m(p.a)); err != nil {
		t.Fatalf("the asker ending their pause: %v", err)
	}
	if cur, _ := f.svc.CurrentTimeout(f.ctx, f.m(p.b)); cur != nil {
		t.Fatalf("the pause is still current after its asker ended it: %+v", cur)
	}
}

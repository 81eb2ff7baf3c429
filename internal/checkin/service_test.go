package checkin_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
)

func TestSealedUntilBothShareThenOpenForBoth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	const week = "2026-W48"

	before := f.week(p.b, week)
	_, beforeList, err := f.svc.Weeks(f.ctx, f.m(p.b))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		in   checkin.AnswerInput
	}{
		{"A's draft", full("A", 3, 4, 7, false)},
		{"A shares", full("A", 3, 4, 7, true)},
	}
	for _, st := range steps {
		f.save(p.a, week, st.in)
		after := f.week(p.b, week)
		if after.Partner != nil || after.State != checkin.StateOpen || len(after.Reflections) != 0 {
			t.Fatalf("after %s, B sees partner=%v state=%s", st.name, after.Partner, after.State)
		}
		if !reflect.DeepEqual(before, after) {
			t.Errorf("after %s, B's view of the week changed:\nbefore %+v\nafter  %+v", st.name, before, after)
		}
		_, list, err := f.svc.Weeks(f.ctx, f.m(p.b))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(beforeList, list) {
			t.Errorf("after %s, B's week list changed: %+v → %+v", st.name, beforeList, list)
		}
	}
	mineA := f.week(p.a, week)
	if mineA.Mine == nil || !mineA.Mine.Shared() || *mineA.Mine.Safety != 7 || mineA.Partner != nil {
		t.Fatalf("A's own view: %+v", mineA)
	}

	v := f.save(p.b, week, full("B", 8, 9, 6, true))
	if v.State != checkin.StateOpened || v.Partner == nil || v.Partner.WasHard != "A-was-hard" {
		t.Fatalf("B's share did not open the week: %+v", v)
	}
	for _, who := range []struct{ me, tag string }{{p.a, "B"}, {p.b, "A"}} {
		v := f.week(who.me, week)
		if v.State != checkin.StateOpened || v.Editable || v.Partner == nil || v.Partner.Appreciation != who.tag+"-appreciation" {
			t.Fatalf("opened view for %s: %+v", who.tag, v)
		}
		if v.Partner.Safety != nil {
			t.Errorf("the partner's safety rating reached the other person: %d", *v.Partner.Safety)
		}
		if v.Mine == nil || v.Mine.Safety == nil {
			t.Errorf("the author lost sight of their own safety rating")
		}
	}
	_, err = f.svc.SaveAnswer(f.ctx, f.m(p.a), week, full("A2", 1, 1, 1, true))
	if e := wantKind(t, err, apperr.Conflict); e != checkin.ErrOpened {
		t.Errorf("editing after opening: %v", e)
	}
	_, err = f.svc.SaveAnswer(f.ctx, f.m(p.b), week, checkin.AnswerInput{Skip: true})
	wantKind(t, err, apperr.Conflict)
	if got := f.week(p.b, week).Partner.WasHard; got != "A-was-hard" {
		t.Errorf("answers changed after opening: %q", got)
	}
}

func TestTakingBackASharedAnswerKeepsTheWeekClosed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	f.save(p.a, "2026-W48", full("A", 5, 5, 5, true))
	f.save(p.a, "2026-W48", full("A", 5, 5, 5, false)) // back to a draft
	v := f.save(p.b, "2026-W48", full("B", 5, 5, 5, true))
	if v.State == checkin.StateOpened || v.Partner != nil {
		t.Fatalf("a draft opened the week: %+v", v)
	}
	if v := f.save(p.a, "2026-W48", full("A", 5, 5, 5, true)); v.State != checkin.StateOpened {
		t.Fatalf("sharing again did not open the week: %s", v.State)
	}
}

func TestWeeksOpenReadOnlyAndUnknown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	f.clock.Advance(21 * 24 * time.Hour) // 2026-12-16, week 51; the couple began in week 48
	cases := []struct {
		week  string
		state checkin.State
		err   apperr.Kind
	}{
		{"2026-W51", checkin.StateOpen, ""},
		{"2026-W50", checkin.StateOpen, ""},
		{"2026-W49", checkin.StateSealed, ""},
		{"2026-W48", checkin.StateSealed, ""},
		{"2026-W47", "", apperr.NotFound}, // closed, and before the couple began
		{"2026-W52", "", apperr.NotFound}, // not begun yet
		{"2027-W53", "", apperr.NotFound},
		{"2026-W99", "", apperr.NotFound},
		{"latest", "", apperr.NotFound},
	}
	for _, tc := range cases {
		v, err := f.svc.Week(f.ctx, f.m(p.a), tc.week)
		if tc.err != "" {
			wantKind(t, err, tc.err)
			continue
		}
		if err != nil || v.State != tc.state || v.Editable != (tc.state == checkin.StateOpen) {
			t.Errorf("%s: %v %+v", tc.week, err, v)
		}
		_, err = f.svc.SaveAnswer(f.ctx, f.m(p.a), tc.week, full("A", 5, 5, 5, false))
		if tc.state == checkin.StateOpen && err != nil {
			t.Errorf("%s: saving in an open week: %v", tc.week, err)
		}
		if tc.state == checkin.StateSealed {
			if e := wantKind(t, err, apperr.Conflict); e != checkin.ErrClosed {
				t.Errorf("%s: %v", tc.week, e)
			}
		}
	}
	_, list, err := f.svc.Weeks(f.ctx, f.m(p.b))
	if err != nil || len(list) != 2 || list[0].Week.String() != "2026-W51" || list[1].Mine != "none" {
		t.Errorf("B's list shows A's drafts or misses weeks: %+v %v", list, err)
	}
}

func TestYearChangeAndWeek53(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("UTC")
	f.clock.Set(time.Date(2027, 1, 2, 10, 0, 0, 0, time.UTC))
	if got := f.svc.Current(f.m(p.a)).String(); got != "2026-W53" {
		t.Fatalf("current week on 2 January 2027 = %s", got)
	}
	f.save(p.a, "2026-W53", full("A", 5, 5, 5, false))
	f.clock.Set(time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC))
	if v := f.week(p.a, "2026-W53"); v.State != checkin.StateOpen {
		t.Errorf("last week across the new year is %s, want open", v.State)
	}
	f.save(p.a, "2026-W53", full("A", 6, 5, 5, false))
	if v := f.week(p.a, "2026-W52"); v.State != checkin.StateSealed {
		t.Errorf("two weeks ago is %s, want sealed", v.State)
	}
	_, err := f.svc.Week(f.ctx, f.m(p.a), "2027-W53")
	wantKind(t, err, apperr.NotFound)
}

func TestWeekBoundaryAucklandAndUTC(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	nz, utc := f.couple("Pacific/Auckland"), f.couple("UTC")
	// Sunday 29 November 12:00 UTC is already Monday 30 November 01:00 in Auckland.
	f.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	if got := f.svc.Current(f.m(nz.a)).String(); got != "2026-W49" {
		t.Errorf("Auckland current week = %s, want 2026-W49", got)
	}
	if got := f.svc.Current(f.m(utc.a)).String(); got != "2026-W48" {
		t.Errorf("UTC current week = %s, want 2026-W48", got)
	}
	if _, err := f.svc.Week(f.ctx, f.m(utc.a), "2026-W49"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("the UTC couple reached a week that has not begun for them: %v", err)
	}
	f.save(nz.a, "2026-W49", full("NZ", 5, 5, 5, false))
	f.save(nz.a, "2026-W48", full("NZ", 5, 5, 5, false)) // last week in Auckland
	_, err := f.svc.SaveAnswer(f.ctx, f.m(nz.a), "2026-W47", full("NZ", 5, 5, 5, false))
	wantKind(t, err, apperr.NotFound)                      // two weeks ago in Auckland, before the couple began
	f.save(utc.a, "2026-W47", full("UTC", 5, 5, 5, false)) // still last week in UTC
}

func TestAnswerValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	long := make([]rune, checkin.MaxText+1)
	for i := range long {
		long[i] = 'x'
	}
	cases := []struct {
		name  string
		in    checkin.AnswerInput
		field string
	}{
		{"trust above 10", checkin.AnswerInput{Trust: ip(11)}, "trust"},
		{"connection below 0", checkin.AnswerInput{Connection: ip(-1)}, "connection"},
		{"safety far out", checkin.AnswerInput{Safety: ip(1000)}, "safety"},
		{"sharing without ratings", checkin.AnswerInput{Appreciation: "hi", Submit: true}, "trust"},
		{"text too long", checkin.AnswerInput{Need: string(long)}, "need"},
		{"invalid UTF-8", checkin.AnswerInput{WasHard: "\xff\xfe"}, "was_hard"},
		{"unknown agreement", checkin.AnswerInput{Agreements: []checkin.KeptInput{{AgreementID: "nope", Kept: "kept"}}}, "agreements.0.agreement_id"},
	}
	for _, tc := range cases {
		_, err := f.svc.SaveAnswer(f.ctx, f.m(p.a), "2026-W48", tc.in)
		e := wantKind(t, err, apperr.Invalid)
		if e.Fields[tc.field] == "" {
			t.Errorf("%s: fields %v lack %q", tc.name, e.Fields, tc.field)
		}
	}
	if v := f.week(p.a, "2026-W48"); v.Mine != nil {
		t.Errorf("an invalid answer was stored: %+v", v.Mine)
	}
	v := f.save(p.a, "2026-W48", checkin.AnswerInput{Skip: true, Submit: true, WasHard: "not kept", Safety: ip(1)})
	if !v.Mine.Skip || v.Mine.WasHard != "" || v.Mine.Safety != nil || !v.Mine.Shared() {
		t.Errorf("not this week should keep nothing else: %+v", v.Mine)
	}
}

func TestAgreementAnswersFromTheActiveList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	f.active = []checkin.AgreementRef{{ID: "ag1", Title: "Tell each other about contact with X"}, {ID: "ag2", Title: "Sunday check-in"}}
	v := f.week(p.a, "2026-W48")
	if len(v.Agreements) != 2 {
		t.Fatalf("form agreements = %+v", v.Agreements)
	}
	in := full("A", 5, 5, 5, false)
	in.Agreements = []checkin.KeptInput{{AgreementID: "ag2", Kept: "partly"}, {AgreementID: "ag1", Kept: "bogus"}}
	_, err := f.svc.SaveAnswer(f.ctx, f.m(p.a), "2026-W48", in)
	if e := wantKind(t, err, apperr.Invalid); e.Fields["agreements.1.kept"] == "" {
		t.Errorf("fields = %v", e.Fields)
	}
	in.Agreements = []checkin.KeptInput{{AgreementID: "ag2", Kept: "partly"}, {AgreementID: "ag2", Kept: "kept"}}
	_, err = f.svc.SaveAnswer(f.ctx, f.m(p.a), "2026-W48", in)
	if e := wantKind(t, err, apperr.Invalid); e.Fields["agreements.1.agreement_id"] == "" {
		t.Errorf("duplicate agreement: fields = %v", e.Fields)
	}
	in.Agreements = []checkin.KeptInput{{AgreementID: "ag2", Kept: "partly"}}
	v = f.save(p.a, "2026-W48", in)
	if len(v.Mine.Agreements) != 1 || v.Mine.Agreements[0].Title != "Sunday check-in" || v.Mine.Agreements[0].Kept != "partly" {
		t.Fatalf("stored agreements = %+v", v.Mine.Agreements)
	}
	f.active = nil // the agreement is no longer active: the answer already given can still be kept
	in.Agreements = []checkin.KeptInput{{AgreementID: "ag2", Kept: "kept"}}
	v = f.save(p.a, "2026-W48", in)
	if len(v.Agreements) != 1 || v.Mine.Agreements[0].Kept != "kept" || v.Mine.Agreements[0].Title != "Sunday check-in" {
		t.Errorf("after the agreement ended: %+v %+v", v.Agreements, v.Mine.Agreements)
	}
	in.Agreements = []checkin.KeptInput{{AgreementID: "ag1", Kept: "kept"}}
	_, err = f.svc.SaveAnswer(f.ctx, f.m(p.a), "2026-W48", in)
	wantKind(t, err, apperr.Invalid)
}

package agreement_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
)

func TestProposalThenAcceptanceIsActive(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, f.a, input("Honesty"))
	wantStatus(t, v, agreement.StatusProposed)
	if !v.AcceptedByUser(f.a.UserID) || v.WaitingFor(f.a.UserID) || !v.WaitingFor(f.b.UserID) {
		t.Fatalf("proposing should count as the author's acceptance only: %v", v.AcceptedBy)
	}
	if active, err := f.svc.Active(ctx, f.a); err != nil || len(active) != 0 {
		t.Fatalf("a proposal counted as active: %v %v", active, err)
	}
	v = must(t)(f.svc.Accept(ctx, f.b, v.ID, 1, "yes"))
	wantStatus(t, v, agreement.StatusActive)
	if active, err := f.svc.Active(ctx, f.b); err != nil || len(active) != 1 || active[0].ID != v.ID {
		t.Fatalf("active = %v %v", active, err)
	}
	if len(v.Log) != 2 || v.Log[0].Action != agreement.ActionProposed || v.Log[1].Action != agreement.ActionAccepted || v.Log[1].Note != "yes" {
		t.Fatalf("log = %+v", v.Log)
	}
	// Accepting again is harmless and adds nothing.
	v = must(t)(f.svc.Accept(ctx, f.b, v.ID, 1, ""))
	if len(v.Log) != 2 {
		t.Fatalf("a second acceptance added a row: %+v", v.Log)
	}
}

func TestEditIsProposedUntilBothAcceptTheNewVersion(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, f.a, input("Honesty"))
	must(t)(f.svc.Accept(ctx, f.b, v.ID, 1, ""))
	in := input("Honesty, always")
	in.Body = "We tell each other the truth, even when it is very hard."
	v = must(t)(f.svc.Edit(ctx, f.b, v.ID, 1, in))
	wantStatus(t, v, agreement.StatusProposed)
	if v.Current.Number != 2 || v.Current.AuthorID != f.b.UserID || v.Previous == nil || v.Previous.Number != 1 {
		t.Fatalf("current = %+v previous = %+v", v.Current, v.Previous)
	}
	if v.Versions[0].Title != "Honesty" {
		t.Fatalf("version 1 changed: %+v", v.Versions[0])
	}
	if !v.WaitingFor(f.a.UserID) || v.WaitingFor(f.b.UserID) {
		t.Fatalf("new version should wait for A only: %v", v.AcceptedBy)
	}
	_, err := f.svc.Accept(ctx, f.a, v.ID, 1, "")
	wantKind(t, err, apperr.Conflict)
	v = must(t)(f.svc.Accept(ctx, f.a, v.ID, 2, ""))
	wantStatus(t, v, agreement.StatusActive)
}

func TestStaleBaseIsAConflictAndWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, f.a, input("Honesty"))
	must(t)(f.svc.Edit(ctx, f.b, v.ID, 1, input("B's words")))
	_, err := f.svc.Edit(ctx, f.a, v.ID, 1, input("A's words"))
	wantKind(t, err, apperr.Conflict)
	got := must(t)(f.svc.Get(ctx, f.a, v.ID))
	if len(got.Versions) != 2 || got.Current.Title != "B's words" {
		t.Fatalf("versions = %+v", got.Versions)
	}
	_, err = f.svc.Edit(ctx, f.a, v.ID, 3, input("From the future"))
	wantKind(t, err, apperr.Conflict)
}

func TestConcurrentEditsFromOneBaseExactlyOneWins(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, f.a, input("Honesty"))
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := f.a
			if i%2 == 1 {
				sc = f.b
			}
			_, errs[i] = f.svc.Edit(ctx, sc, v.ID, 1, input("Edit "+string(rune('A'+i))))
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case apperr.Is(err, apperr.Conflict):
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	got := must(t)(f.svc.Get(ctx, f.a, v.ID))
	if wins != 1 || len(got.Versions) != 2 {
		t.Fatalf("wins = %d, versions = %d; want exactly one", wins, len(got.Versions))
	}
}

func TestWithdrawal(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, f.a, input("Honesty"))
	must(t)(f.svc.Accept(ctx, f.b, v.ID, 1, ""))
	v = must(t)(f.svc.Withdraw(ctx, f.b, v.ID, "I need to rethink this"))
	wantStatus(t, v, agreement.StatusWithdrawn)
	if v.CanWithdraw(f.b.UserID) || v.CanReview() || v.CanAccept(f.a.UserID) {
		t.Fatal("a withdrawn agreement offers the wrong actions")
	}
	_, err := f.svc.Accept(ctx, f.a, v.ID, 1, "")
	wantKind(t, err, apperr.Conflict)
	_, err = f.svc.Withdraw(ctx, f.a, v.ID, "")
	wantKind(t, err, apperr.Conflict)
	v = must(t)(f.svc.Edit(ctx, f.a, v.ID, 1, input("Honesty, again")))
	wantStatus(t, v, agreement.StatusProposed)
}

func TestTransparencyPastItsEndDateHasEnded(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, f.a, transparency("2027-01-31"))
	must(t)(f.svc.Accept(ctx, f.b, v.ID, 1, ""))
	f.clock.Set(time.Date(2027, 1, 31, 23, 30, 0, 0, time.UTC)) // the last day, in London
	wantStatus(t, must(t)(f.svc.Get(ctx, f.a, v.ID)), agreement.StatusActive)
	f.clock.Set(time.Date(2027, 2, 1, 0, 30, 0, 0, time.UTC))
	v = must(t)(f.svc.Get(ctx, f.a, v.ID))
	wantStatus(t, v, agreement.StatusEnded)
	if v.DueForReview || !v.CanReview() || v.CanAccept(f.b.UserID) {
		t.Fatalf("ended agreement: due=%v canReview=%v", v.DueForReview, v.CanReview())
	}
	v = must(t)(f.svc.Review(ctx, f.b, v.ID, "2027-03-01", "We talked it over"))
	wantStatus(t, v, agreement.StatusEnded)
	in := transparency("2027-05-01")
	in.ReviewOn = "2027-04-01"
	v = must(t)(f.svc.Edit(ctx, f.a, v.ID, 1, in))
	wantStatus(t, v, agreement.StatusProposed)
}

func TestReviewDateComesDueAndReviewSetsTheNext(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, f.a, input("Honesty")) // review on 2027-01-25
	_, err := f.svc.Review(ctx, f.a, v.ID, "2027-02-01", "")
	wantKind(t, err, apperr.Conflict) // not active yet
	must(t)(f.svc.Accept(ctx, f.b, v.ID, 1, ""))
	f.clock.Set(time.Date(2027, 1, 24, 12, 0, 0, 0, time.UTC))
	if must(t)(f.svc.Get(ctx, f.a, v.ID)).DueForReview {
		t.Fatal("due before its review date")
	}
	f.clock.Set(time.Date(2027, 1, 25, 9, 0, 0, 0, time.UTC))
	v = must(t)(f.svc.Get(ctx, f.a, v.ID))
	if !v.DueForReview || v.ReviewOn != "2027-01-25" {
		t.Fatalf("due = %v review_on = %s", v.DueForReview, v.ReviewOn)
	}
	_, err = f.svc.Review(ctx, f.b, v.ID, "2027-01-25", "")
	wantKind(t, err, apperr.Invalid)
	v = must(t)(f.svc.Review(ctx, f.b, v.ID, "2027-04-25", "Still right for us"))
	wantStatus(t, v, agreement.StatusActive)
	if v.DueForReview || v.ReviewOn != "2027-04-25" {
		t.Fatalf("after review: due = %v review_on = %s", v.DueForReview, v.ReviewOn)
	}
	last := v.Log[len(v.Log)-1]
	if last.Action != agreement.ActionReviewed || last.ActorID != f.b.UserID || *last.NextReviewOn != "2027-04-25" {
		t.Fatalf("log = %+v", last)
	}
}

func TestSoloProposalWaitsForThePartner(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	v := f.create(t, f.a, input("Honesty"))
	wantStatus(t, v, agreement.StatusProposed)
	f.join(t)
	v = must(t)(f.svc.Accept(ctx, f.b, v.ID, 1, ""))
	wantStatus(t, v, agreement.StatusActive)
}

func TestAnotherCouplesAgreementIsNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, f.a, input("Ours"))
	outsider := addUser(t, f.db, "Cy")
	c, err := f.couples.Start(ctx, outsider, "UTC", "monday")
	if err != nil {
		t.Fatal(err)
	}
	other := agreement.Scope{CoupleID: c.ID, UserID: outsider, Loc: time.UTC}
	checks := map[string]error{}
	_, checks["get"] = f.svc.Get(ctx, other, v.ID)
	_, checks["edit"] = f.svc.Edit(ctx, other, v.ID, 1, input("Mine now"))
	_, checks["accept"] = f.svc.Accept(ctx, other, v.ID, 1, "")
	_, checks["withdraw"] = f.svc.Withdraw(ctx, other, v.ID, "")
	_, checks["review"] = f.svc.Review(ctx, other, v.ID, "2027-01-01", "")
	for name, err := range checks {
		if !apperr.Is(err, apperr.NotFound) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	list, err := f.svc.List(ctx, other)
	if err != nil || len(list) != 0 {
		t.Fatalf("other couple's list = %v, %v", list, err)
	}
	got := must(t)(f.svc.Get(ctx, f.a, v.ID))
	if len(got.Versions) != 1 || len(got.Log) != 1 {
		t.Fatalf("agreement changed: %+v", got)
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false) // today is 2026-11-25
	long := strings.Repeat("é", agreement.MaxTitle+1)
	cases := []struct {
		name  string
		edit  func(*agreement.Input)
		field string
	}{
		{"empty title", func(in *agreement.Input) { in.Title = "   " }, "title"},
		{"long title", func(in *agreement.Input) { in.Title = long }, "title"},
		{"empty body", func(in *agreement.Input) { in.Body = "" }, "body"},
		{"long body", func(in *agreement.Input) { in.Body = strings.Repeat("a", agreement.MaxBody+1) }, "body"},
		{"bad utf8", func(in *agreement.Input) { in.Body = "ok \xff" }, "body"},
		{"unknown category", func(in *agreement.Input) { in.Category = "surveillance" }, "category"},
		{"missing review", func(in *agreement.Input) { in.ReviewOn = "" }, "review_on"},
		{"not a date", func(in *agreement.Input) { in.ReviewOn = "next week" }, "review_on"},
		{"impossible date", func(in *agreement.Input) { in.ReviewOn = "2027-02-30" }, "review_on"},
		{"review today", func(in *agreement.Input) { in.ReviewOn = "2026-11-25" }, "review_on"},
		{"review too far", func(in *agreement.Input) { in.ReviewOn = "2027-11-26" }, "review_on"},
		{"end date on another kind", func(in *agreement.Input) { in.EndsOn = "2027-01-01" }, "ends_on"},
		{"transparency without end", func(in *agreement.Input) { in.Category = "transparency" }, "ends_on"},
		{"transparency past 6 months", func(in *agreement.Input) { in.Category, in.EndsOn = "transparency", "2027-05-26" }, "ends_on"},
		{"transparency ending in the past", func(in *agreement.Input) { in.Category, in.EndsOn = "transparency", "2026-11-01" }, "ends_on"},
		{"transparency bad end", func(in *agreement.Input) { in.Category, in.EndsOn = "transparency", "26/05/2027" }, "ends_on"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := input("Honesty")
			tc.edit(&in)
			_, err := f.svc.Create(ctx, f.a, in)
			e := apperr.As(err)
			if e == nil || e.Kind != apperr.Invalid || e.Fields[tc.field] == "" {
				t.Fatalf("error = %v, want invalid with field %s", err, tc.field)
			}
		})
	}
	ok := transparency("2027-05-25") // exactly 6 months
	if _, err := f.svc.Create(ctx, f.a, ok); err != nil {
		t.Fatalf("6 months exactly: %v", err)
	}
	list, _ := f.svc.List(ctx, f.a)
	if len(list) != 1 {
		t.Fatalf("invalid input was stored: %d agreements", len(list))
	}
}

func TestStartersAreValidAndAuthoriseNoMonitoring(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	for _, st := range agreement.Starters {
		in := st.Fill(f.svc.Today(f.a))
		if _, err := f.svc.Create(ctx, f.a, in); err != nil {
			t.Errorf("starter %s: %v", st.Key, err)
		}
		text := strings.ToLower(st.Title + " " + st.Body)
		for _, w := range []string{"location", "track", "password", "read your", "check your phone", "bank", "monitor"} {
			if strings.Contains(text, w) {
				t.Errorf("starter %s mentions %q", st.Key, w)
			}
		}
	}
	if agreement.StarterByKey("shared-calendar").Category != agreement.Transparency {
		t.Fatal("the shared calendar starter must be a transparency agreement")
	}
}

// TestOnlyWhoAcceptedTheLatestVersionCanWithdraw: withdrawing consent needs consent of one's own to the
// latest version in the log (DESIGN §2.3); a partner who has not accepted it gets a conflict and the
// log is unchanged, while the proposer, whose proposal counts as acceptance, may withdraw.
func TestOnlyWhoAcceptedTheLatestVersionCanWithdraw(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, f.a, input("Honesty"))
	if v.CanWithdraw(f.b.UserID) || !v.CanWithdraw(f.a.UserID) {
		t.Fatalf("proposed by A: B may withdraw %v, A may withdraw %v; want false and true", v.CanWithdraw(f.b.UserID), v.CanWithdraw(f.a.UserID))
	}
	_, err := f.svc.Withdraw(ctx, f.b, v.ID, "not mine to withdraw")
	wantKind(t, err, apperr.Conflict)
	got := must(t)(f.svc.Get(ctx, f.a, v.ID))
	if len(got.Log) != 1 || got.Status != agreement.StatusProposed {
		t.Fatalf("a refused withdrawal changed the log: %+v", got.Log)
	}
	// B accepts version 1, A proposes version 2: B's consent is to an older version only.
	must(t)(f.svc.Accept(ctx, f.b, v.ID, 1, ""))
	v = must(t)(f.svc.Edit(ctx, f.a, v.ID, 1, input("Honesty, again")))
	if v.CanWithdraw(f.b.UserID) {
		t.Fatal("B may withdraw from version 2, which B never accepted")
	}
	_, err = f.svc.Withdraw(ctx, f.b, v.ID, "")
	wantKind(t, err, apperr.Conflict)
	v = must(t)(f.svc.Withdraw(ctx, f.a, v.ID, "on second thought"))
	wantStatus(t, v, agreement.StatusWithdrawn)
}

package question_test

import (
	"testing"
	"time"

	"github.com/mendhq/mend/internal/question"
)

// TestNextCountsTheQuestionsWaitingForMyAnswer: a member's next step counts the partner's questions that
// have come to their day and have no answer yet, never their own or another couple's; while the
// ledger is paused it says only that it is paused.
func TestNextCountsTheQuestionsWaitingForMyAnswer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	next := func(what string, want question.Next) {
		t.Helper()
		got, err := f.svc.Next(ctx, f.b)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("%s: next %+v, want %+v", what, got, want)
		}
	}
	next("nothing asked", question.Next{})
	first := f.ask(t, f.a, "Who else knew?", "")
	f.ask(t, f.a, "Where did you meet?", question.NextCheckin) // waits for Sunday
	f.ask(t, f.b, "Can we talk about money?", "")              // B's own
	f.ask(t, f.x, "Another couple's question?", "")
	next("one of A's has come to its day", question.Next{Unanswered: 1})
	if _, err := f.svc.Answer(ctx, f.b, first.ID, "Nobody else knew."); err != nil {
		t.Fatal(err)
	}
	next("answered", question.Next{})
	f.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)) // Sunday: the waiting one opens
	next("the check-in day came", question.Next{Unanswered: 1})
	if _, err := f.svc.StartPause(ctx, f.a, f.clock.Now().Add(2*time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	next("paused", question.Next{Paused: true})
}

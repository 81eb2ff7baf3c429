package question_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/question"
	"github.com/mendhq/mend/internal/testutil"
)

var ctx = context.Background()

// fixture is one couple (a and b, Sunday check-ins), another couple's member (x) and a question service
// on a fake clock at Wednesday 25 November 2026, noon UTC.
type fixture struct {
	clock   *testutil.Clock
	db      *gorm.DB
	svc     *question.Service
	pair    testutil.Pair
	a, b, x *couple.Membership
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	p := testutil.NewPair(t, db, clock.Now, false)
	other := testutil.NewPair(t, db, clock.Now, false)
	return &fixture{clock: clock, db: db, svc: question.NewService(db, clock.Now), pair: p,
		a: p.Member(t, p.A), b: p.Member(t, p.B), x: other.Member(t, other.A)}
}

func (f *fixture) ask(t *testing.T, m *couple.Membership, text, wait string) *question.View {
	t.Helper()
	q, err := f.svc.Ask(ctx, m, text, wait)
	if err != nil {
		t.Fatalf("ask: %v", err)
	}
	return q
}

func wantKind(t *testing.T, what string, err error, k apperr.Kind) {
	t.Helper()
	if !apperr.Is(err, k) {
		t.Fatalf("%s: error = %v, want kind %s", what, err, k)
	}
}

// TestAnswersAreVersionedNeverEdited: the partner answers; a second answer is the next version and the
// first stays as it was, so a correction is visible; the asker cannot answer their own question.
func TestAnswersAreVersionedNeverEdited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	q := f.ask(t, f.a, "When did it end?", "")
	_, err := f.svc.Answer(ctx, f.a, q.ID, "myself")
	wantKind(t, "the asker answers", err, apperr.Forbidden)
	if _, err := f.svc.Answer(ctx, f.b, q.ID, "In June."); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(24 * time.Hour)
	got, err := f.svc.Answer(ctx, f.b, q.ID, "In August. I said June before, and that was not true.")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Versions) != 2 || got.Versions[0].Text != "In June." || got.Versions[0].Version != 1 || got.Versions[1].Version != 2 ||
		!got.Versions[1].CreatedAt.After(got.Versions[0].CreatedAt) || got.Latest().Text[:10] != "In August." {
		t.Fatalf("versions %+v", got.Versions)
	}
	seenByA, err := f.svc.Get(ctx, f.a, q.ID)
	if err != nil || len(seenByA.Versions) != 2 {
		t.Fatalf("the asker sees %+v, %v", seenByA, err)
	}
	for who, m := range map[string]*couple.Membership{"other couple": f.x} {
		_, err := f.svc.Answer(ctx, m, q.ID, "x")
		wantKind(t, who+" answers", err, apperr.NotFound)
		_, err = f.svc.FollowUp(ctx, m, q.ID, "x")
		wantKind(t, who+" follows up", err, apperr.NotFound)
		if list, _ := f.svc.List(ctx, m); len(list) != 0 {
			t.Errorf("%s lists %+v", who, list)
		}
	}
	for _, m := range []*couple.Membership{f.a, f.b} {
		if _, err := f.svc.FollowUp(ctx, m, q.ID, "And then?"); err != nil {
			t.Fatalf("follow-up: %v", err)
		}
	}
	if got, _ := f.svc.Get(ctx, f.a, q.ID); len(got.FollowUps) != 2 {
		t.Fatalf("follow-ups %+v", got.FollowUps)
	}
}

// TestQuestionsWaitForTheirDay: a question waiting for the next check-in (Sunday 29 November) or a date
// is seen only by its asker until that day, then by both.
func TestQuestionsWaitForTheirDay(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	checkin := f.ask(t, f.a, "Is she still in touch?", question.NextCheckin)
	f.clock.Advance(time.Minute)
	dated := f.ask(t, f.a, "Who else knew?", "2026-12-02")
	if checkin.WaitOn == nil || *checkin.WaitOn != "2026-11-29" || checkin.WaitKind != question.WaitCheckin || !checkin.Waiting {
		t.Fatalf("next check-in: %+v", checkin.Question)
	}
	if list, _ := f.svc.List(ctx, f.b); len(list) != 0 {
		t.Fatalf("B sees waiting questions: %+v", list)
	}
	_, err := f.svc.Answer(ctx, f.b, checkin.ID, "x")
	wantKind(t, "answer before the day", err, apperr.NotFound)
	_, err = f.svc.FollowUp(ctx, f.a, checkin.ID, "x")
	wantKind(t, "follow-up before the day", err, apperr.Conflict)
	f.clock.Set(time.Date(2026, 11, 29, 0, 30, 0, 0, time.UTC))
	list, _ := f.svc.List(ctx, f.b)
	if len(list) != 1 || list[0].ID != checkin.ID || list[0].Waiting {
		t.Fatalf("on Sunday B sees %+v", list)
	}
	f.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	if list, _ := f.svc.List(ctx, f.b); len(list) != 2 || list[0].ID != dated.ID {
		t.Fatalf("on 2 December B sees %+v", list)
	}
	for _, bad := range []string{"tomorrow", "2026-11-01", "2027-06-01"} {
		_, err := f.svc.Ask(ctx, f.a, "x", bad)
		if e := apperr.As(err); e == nil || e.Fields["wait_until"] == "" {
			t.Errorf("wait_until %q: %v", bad, err)
		}
	}
}

func TestNextCheckinDay(t *testing.T) {
	t.Parallel()
	wed := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for weekday, want := range map[int]string{0: "2026-11-29", 3: "2026-11-25", 4: "2026-11-26", 2: "2026-12-01"} {
		if got := question.NextCheckinDay(wed, weekday).Format(question.DateLayout); got != want {
			t.Errorf("weekday %d: %s, want %s", weekday, got, want)
		}
	}
}

// TestSimilarQuestionsLinkTheEarlierAnswer: a new question close to an earlier answered one is taken,
// and links to it; an unanswered earlier one is not linked.
func TestSimilarQuestionsLinkTheEarlierAnswer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	first := f.ask(t, f.a, "Why did you keep messaging her after you promised to stop?", "")
	if _, err := f.svc.Answer(ctx, f.b, first.ID, "Because I was afraid of what stopping would mean."); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	unanswered := f.ask(t, f.a, "What did the messages to her say?", "")
	f.clock.Advance(time.Hour)
	again, err := f.svc.Ask(ctx, f.a, "Why did you keep messaging her after promising?", "")
	if err != nil {
		t.Fatalf("a similar question was refused: %v", err)
	}
	if len(again.Similar) != 1 || again.Similar[0].ID != first.ID || !again.Similar[0].CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("similar %+v, want the first question", again.Similar)
	}
	if got, _ := f.svc.Get(ctx, f.a, unanswered.ID); len(got.Similar) != 0 {
		t.Fatalf("linked to an unanswered question: %+v", got.Similar)
	}
}

// TestPauseEndsOnlyByTheOneWhoPaused: while paused nothing is asked now, answered or followed up, but a
// question can be written down to wait; only the person who paused ends it early, and it ends by itself.
func TestPauseEndsOnlyByTheOneWhoPaused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	q := f.ask(t, f.a, "When did it start?", "")
	now := f.clock.Now()
	if _, err := f.svc.StartPause(ctx, f.b, now.Add(8*24*time.Hour), ""); apperr.As(err) == nil || apperr.As(err).Fields["until"] == "" {
		t.Fatalf("a pause over a week: %v", err)
	}
	p, err := f.svc.StartPause(ctx, f.b, now.Add(48*time.Hour), "I need a couple of evenings off.")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.StartPause(ctx, f.a, now.Add(time.Hour), "")
	wantKind(t, "a second pause", err, apperr.Conflict)
	_, err = f.svc.Ask(ctx, f.a, "Now?", "")
	wantKind(t, "ask while paused", err, apperr.Conflict)
	if _, err := f.svc.Ask(ctx, f.a, "Later, then.", question.NextCheckin); err != nil {
		t.Fatalf("writing one down to wait while paused: %v", err)
	}
	_, err = f.svc.Answer(ctx, f.b, q.ID, "x")
	wantKind(t, "answer while paused", err, apperr.Conflict)
	_, err = f.svc.FollowUp(ctx, f.a, q.ID, "x")
	wantKind(t, "follow-up while paused", err, apperr.Conflict)
	wantKind(t, "the other ends it", f.svc.EndPause(ctx, f.a), apperr.Forbidden)
	wantKind(t, "another couple ends it", f.svc.EndPause(ctx, f.x), apperr.NotFound)
	if cur, _ := f.svc.CurrentPause(ctx, f.a); cur == nil || cur.ID != p.ID {
		t.Fatalf("current pause %+v", cur)
	}
	if err := f.svc.EndPause(ctx, f.b); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Answer(ctx, f.b, q.ID, "In spring."); err != nil {
		t.Fatalf("answer after the pause ended: %v", err)
	}
	if _, err := f.svc.StartPause(ctx, f.a, f.clock.Now().Add(time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(61 * time.Minute)
	if cur, _ := f.svc.CurrentPause(ctx, f.b); cur != nil {
		t.Fatalf("the pause did not end by itself: %+v", cur)
	}
}

// TestQuestionExportAndDeletion: each export holds what its person asked and wrote and what they can
// see; when the asker's account goes, the answerer keeps their own words.
func TestQuestionExportAndDeletion(t *testing.T) {
	t.Parallel()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	p := testutil.NewPair(t, db, clock.Now, false)
	svc := question.NewService(db, clock.Now)
	a, b := p.Member(t, p.A), p.Member(t, p.B)
	q, _ := svc.Ask(ctx, a, "Asked now", "")
	if _, err := svc.Ask(ctx, a, "Asked to wait", question.NextCheckin); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Answer(ctx, b, q.ID, "B's answer"); err != nil {
		t.Fatal(err)
	}
	exA, _ := svc.ExportFor(ctx, p.A, a)
	exB, _ := svc.ExportFor(ctx, p.B, b)
	if len(exA.Asked) != 2 || len(exA.Received) != 0 || len(exA.Answers) != 0 {
		t.Fatalf("A's export %+v", exA)
	}
	if len(exB.Asked) != 0 || len(exB.Received) != 1 || len(exB.Answers) != 1 {
		t.Fatalf("B's export %+v (the waiting question must not be in it)", exB)
	}
	if err := p.Couples.DeleteAccount(ctx, p.A); err != nil {
		t.Fatal(err)
	}
	exB, _ = svc.ExportFor(ctx, p.B, nil)
	if len(exB.Answers) != 1 || exB.Answers[0].Text != "B's answer" || exB.Answers[0].QuestionID != nil {
		t.Fatalf("after A's deletion B's export %+v", exB)
	}
	var n int64
	db.Table("questions").Count(&n)
	if n != 0 {
		t.Fatalf("%d questions left after their asker's account was deleted", n)
	}
}

package question_test

import (
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// TestTextIsSealedAtRest checks that a question, its answers, follow-ups and a pause's note are stored
// sealed (internal/vault) and read back as written, in the list and in each writer's export.
func TestTextIsSealedAtRest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const canary = "canary-q9b1"
	q := f.ask(t, f.a, canary+" where were you on Tuesday?", "")
	if q.Text != canary+" where were you on Tuesday?" {
		t.Fatalf("asked %q", q.Text)
	}
	if _, err := f.svc.Answer(ctx, f.b, q.ID, canary+" answer"); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.FollowUp(ctx, f.a, q.ID, canary+" follow-up")
	if err != nil || len(v.Versions) != 1 || v.Versions[0].Text != canary+" answer" || len(v.FollowUps) != 1 ||
		v.FollowUps[0].Text != canary+" follow-up" || v.Text != q.Text {
		t.Fatalf("view %+v, %v", v, err)
	}
	p, err := f.svc.StartPause(ctx, f.b, f.clock.Now().Add(2*60*60*1e9), canary+" note")
	if err != nil || p.Note != canary+" note" {
		t.Fatalf("pause %+v, %v", p, err)
	}
	if cur, err := f.svc.CurrentPause(ctx, f.a); err != nil || cur == nil || cur.Note != canary+" note" {
		t.Fatalf("current pause %+v, %v", cur, err)
	}
	exA, err := f.svc.ExportFor(ctx, f.pair.A, f.a)
	if err != nil || len(exA.Asked) != 1 || exA.Asked[0].Text != q.Text || len(exA.FollowUps) != 1 || exA.FollowUps[0].Text != canary+" follow-up" {
		t.Fatalf("export of A %+v, %v", exA, err)
	}
	exB, err := f.svc.ExportFor(ctx, f.pair.B, f.b)
	if err != nil || len(exB.Answers) != 1 || exB.Answers[0].Text != canary+" answer" {
		t.Fatalf("export of B %+v, %v", exB, err)
	}
	for _, c := range [][2]string{{"questions", "text"}, {"question_answers", "text"}, {"question_follow_ups", "text"}, {"question_pauses", "note"}} {
		testutil.RequireSealed(t, f.db, c[0], c[1], canary)
	}
}

package agreement_test

import (
	"testing"
	"time"

	"github.com/mendhq/mend/internal/agreement"
)

// TestFactsCountActiveFirstBothAcceptedAndWithdrawals builds a small history and checks each fact: an
// agreement only proposed counts for nothing, the first one both accepted sets FirstBothAccepted at the
// moment of the second acceptance, and each withdrawal is listed.
func TestFactsCountActiveFirstBothAcceptedAndWithdrawals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	none, err := f.svc.Facts(ctx, f.a)
	if err != nil || none.Active != 0 || !none.FirstBothAccepted.IsZero() || len(none.Withdrawals) != 0 {
		t.Fatalf("facts of a couple without agreements = %+v, %v", none, err)
	}

	f.create(t, f.a, input("Only proposed"))
	f.clock.Advance(time.Hour)
	first := f.create(t, f.a, input("Accepted first"))
	f.clock.Advance(time.Hour)
	acceptedAt := f.clock.Now()
	must(t)(f.svc.Accept(ctx, f.b, first.ID, first.Current.Number, ""))
	f.clock.Advance(24 * time.Hour)
	second := f.create(t, f.b, input("Accepted later, then withdrawn"))
	must(t)(f.svc.Accept(ctx, f.a, second.ID, second.Current.Number, ""))
	f.clock.Advance(time.Hour)
	withdrawnAt := f.clock.Now()
	must(t)(f.svc.Withdraw(ctx, f.a, second.ID, ""))

	got, err := f.svc.Facts(ctx, f.b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Active != 1 {
		t.Errorf("Active = %d, want 1 (one accepted by both and not withdrawn)", got.Active)
	}
	if !got.FirstBothAccepted.Equal(acceptedAt) {
		t.Errorf("FirstBothAccepted = %v, want %v", got.FirstBothAccepted, acceptedAt)
	}
	if len(got.Withdrawals) != 1 || !got.Withdrawals[0].Equal(withdrawnAt) {
		t.Errorf("Withdrawals = %v, want [%v]", got.Withdrawals, withdrawnAt)
	}
}

// TestSharedSummariesReadOncePerMemo checks that within a context carrying a memo, a second read of the
// same couple's summaries is the first one's answer (a change in between is not seen), and that
// without a memo every read is fresh.
func TestSharedSummariesReadOncePerMemo(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	f.create(t, f.a, input("One"))
	mctx := agreement.WithMemo(ctx)
	before, err := f.svc.SharedSummaries(mctx, f.a)
	if err != nil || len(before) != 1 {
		t.Fatalf("summaries = %d, %v", len(before), err)
	}
	f.create(t, f.a, input("Two"))
	again, err := f.svc.SharedSummaries(mctx, f.a)
	if err != nil || len(again) != 1 {
		t.Errorf("second read within one memo = %d summaries, %v; want the memo's 1", len(again), err)
	}
	fresh, err := f.svc.SharedSummaries(ctx, f.a)
	if err != nil || len(fresh) != 2 {
		t.Errorf("read without a memo = %d summaries, %v; want 2", len(fresh), err)
	}
}

package agreement_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
)

// The agreement facts kept at write time (agreement_facts) must always say what the versions and the
// consent log say. TestAgreementFactsFollowRandomHistories makes random histories through the service
// and, after every step, compares Facts read from the kept rows with Facts derived from the summaries
// (the way the dashboard, which reads those anyway, derives them). The summaries read the kept state
// too; TestKeptStateFollowsRandomHistories (state_history_test.go) checks both against a recomputation
// from the whole consent log.

// factsAgree fails unless the kept facts of sc's couple equal the recomputed ones.
func factsAgree(t *testing.T, f *fixture, sc *couple.Membership, step int) {
	t.Helper()
	kept, err := f.svc.Facts(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	derived, err := f.svc.Facts(agreement.WithMemo(ctx), sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []*agreement.Facts{&kept, &derived} {
		for i := range x.Withdrawals {
			x.Withdrawals[i] = x.Withdrawals[i].UTC()
		}
		slices.SortFunc(x.Withdrawals, func(a, b time.Time) int { return a.Compare(b) })
		x.FirstBothAccepted = x.FirstBothAccepted.UTC()
		if len(x.Withdrawals) == 0 {
			x.Withdrawals = nil
		}
	}
	if !reflect.DeepEqual(kept, derived) {
		t.Fatalf("step %d, couple %s: kept facts %+v, recomputed %+v", step, sc.Couple.ID, kept, derived)
	}
}

// TestAgreementFactsFollowRandomHistories checks the kept agreement facts after every step of random
// histories: proposals, edits, acceptances, withdrawals, reviews, days passing (so end dates pass and
// "active" changes with no write), the couple's time zone changing, and account deletion.
func TestAgreementFactsFollowRandomHistories(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run("seed"+strconv.Itoa(int(seed)), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, false)
			rng := rand.New(rand.NewPCG(seed, 19))
			var ids []string
			did := map[string]int{}
			people := []*couple.Membership{f.a, f.b}
			zones := []string{"Europe/London", "Pacific/Auckland", "America/Los_Angeles"}
			ok := func(what string, err error) {
				t.Helper()
				if err != nil && apperr.As(err) == nil {
					t.Fatalf("%s: %v", what, err)
				}
				if err == nil {
					did[what]++
				}
			}
			for step := range 200 {
				me := people[rng.IntN(len(people))]
				pick := func() (string, int) {
					if len(ids) == 0 {
						return "", 0
					}
					id := ids[rng.IntN(len(ids))]
					v, err := f.svc.Get(ctx, me, id)
					if err != nil {
						return id, 1
					}
					return id, v.Current.Number
				}
				switch n := rng.IntN(100); {
				case n < 15 || len(ids) == 0:
					in := input("Agreement " + strconv.Itoa(step))
					if rng.IntN(3) == 0 {
						in = transparency(f.clock.Now().AddDate(0, 0, 1+rng.IntN(20)).Format(time.DateOnly))
					}
					v, err := f.svc.Create(ctx, me, in)
					ok("create", err)
					if err == nil {
						ids = append(ids, v.ID)
					}
				case n < 25:
					id, num := pick()
					in := input("Edit " + strconv.Itoa(step))
					if rng.IntN(3) == 0 {
						in = transparency(f.clock.Now().AddDate(0, 0, 1+rng.IntN(20)).Format(time.DateOnly))
					}
					_, err := f.svc.Edit(ctx, me, id, num, in)
					ok("edit", err)
				case n < 55:
					id, num := pick()
					_, err := f.svc.Accept(ctx, me, id, num, "")
					ok("accept", err)
				case n < 67:
					id, _ := pick()
					_, err := f.svc.Withdraw(ctx, me, id, "")
					ok("withdraw", err)
				case n < 72:
					id, _ := pick()
					_, err := f.svc.Review(ctx, me, id, f.clock.Now().AddDate(0, 1, 0).Format(time.DateOnly), "")
					ok("review", err)
				case n < 90:
					f.clock.Advance(time.Duration(1+rng.IntN(96)) * time.Hour)
					did["time"]++
				case n < 96:
					tz := zones[rng.IntN(len(zones))]
					ok("time zone", f.couples.UpdateSettings(ctx, f.a.Couple.ID, tz, "sunday"))
					loc, _ := time.LoadLocation(tz)
					f.a.Location, f.b.Location = loc, loc
				default:
					if did["delete account"] > 0 || step < 150 {
						continue
					}
					// b deletes their account; a keeps what they hold jointly, as the server's hooks do.
					ok("delete account", f.couples.DeleteAccount(ctx, f.b.Me.UserID, agreement.DeleteUser))
					people = []*couple.Membership{f.a}
				}
				factsAgree(t, f, f.a, step)
			}
			for _, what := range []string{"create", "edit", "accept", "withdraw", "review", "time", "time zone", "delete account"} {
				if did[what] == 0 {
					t.Errorf("the history never made a %q step: %v", what, did)
				}
			}
			facts, err := f.svc.Facts(ctx, f.a)
			if err != nil || facts.FirstBothAccepted.IsZero() {
				t.Errorf("the history never had an agreement accepted by both (%v): %v", err, did)
			}
		})
	}
}

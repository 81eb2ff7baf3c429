package agreement_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/database"
)

// Summaries read what they say about each agreement from the state kept at write time (agreement_facts),
// not from the consent log. The tests here check that state against a recomputation from scratch: List
// reads every version and every event and derives the same fields in Go (derive).

// stateOf is everything a summary says about v that its callers read, for users (who waits, who may
// withdraw), in one comparable line.
func stateOf(v *agreement.View, users []string) string {
	var b strings.Builder
	at := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	ends := "-"
	if v.Current.EndsOn != nil {
		ends = *v.Current.EndsOn
	}
	accepted := make([]string, 0, len(v.AcceptedBy))
	for id, ok := range v.AcceptedBy {
		if ok {
			accepted = append(accepted, strconv.Quote(id))
		}
	}
	slices.Sort(accepted)
	fmt.Fprintf(&b, "%s v%d (%s) %q ends %s made %s | %s review %s due %v | accepted by %v | updated %s first both %s",
		v.ID, v.Current.Number, v.Current.ID, v.Current.Title, ends, at(v.Current.CreatedAt), v.Status, v.ReviewOn,
		v.DueForReview, accepted, at(v.UpdatedAt), at(v.FirstBothAccepted))
	for _, u := range users {
		fmt.Fprintf(&b, " | %s: waits %v, may withdraw %v, accepted %v", u, v.WaitingFor(u), v.CanWithdraw(u), v.AcceptedByUser(u))
	}
	for _, e := range v.Log {
		if e.Action == agreement.ActionWithdrawn {
			fmt.Fprintf(&b, " | withdrawn %s of v%d by %q at %s", e.ID, e.Version, e.ActorID, at(e.CreatedAt))
		}
	}
	return b.String()
}

// factsOfViews recomputes the couple's Facts from full views (List).
func factsOfViews(views []agreement.View) agreement.Facts {
	var out agreement.Facts
	for i := range views {
		v := &views[i]
		if v.Status == agreement.StatusActive {
			out.Active++
		}
		if at := v.FirstBothAccepted; !at.IsZero() && (out.FirstBothAccepted.IsZero() || at.Before(out.FirstBothAccepted)) {
			out.FirstBothAccepted = at
		}
		for _, e := range v.Log {
			if e.Action == agreement.ActionWithdrawn {
				out.Withdrawals = append(out.Withdrawals, e.CreatedAt)
			}
		}
	}
	return out
}

func factsLine(x agreement.Facts) string {
	ws := make([]string, 0, len(x.Withdrawals))
	for _, w := range x.Withdrawals {
		ws = append(ws, w.UTC().Format(time.RFC3339Nano))
	}
	slices.Sort(ws)
	first := "-"
	if !x.FirstBothAccepted.IsZero() {
		first = x.FirstBothAccepted.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("active %d, first both %s, withdrawals %v", x.Active, first, ws)
}

// stateAgrees fails unless sc's summaries, and the couple's facts read every way, say what a
// recomputation from the versions and the whole consent log says; it returns the statuses seen.
func stateAgrees(t *testing.T, svc *agreement.Service, sc *couple.Membership, users []string, when string) []string {
	t.Helper()
	lean, err := svc.Summaries(ctx, sc)
	if err != nil {
		t.Fatalf("%s: summaries: %v", when, err)
	}
	full, err := svc.List(ctx, sc)
	if err != nil {
		t.Fatalf("%s: list: %v", when, err)
	}
	if len(lean) != len(full) {
		t.Fatalf("%s: %d summaries, %d agreements", when, len(lean), len(full))
	}
	var statuses []string
	for i := range full {
		if got, want := stateOf(&lean[i], users), stateOf(&full[i], users); got != want {
			t.Fatalf("%s, agreement %d of %d:\nkept:       %s\nrecomputed: %s", when, i+1, len(full), got, want)
		}
		statuses = append(statuses, full[i].Status)
		if full[i].DueForReview {
			statuses = append(statuses, "due")
		}
	}
	var activeWant, activeGot []string
	for i := range full {
		if full[i].Status == agreement.StatusActive {
			activeWant = append(activeWant, full[i].ID+" v"+strconv.Itoa(full[i].Current.Number)+" "+full[i].Current.Title)
		}
	}
	active, err := svc.Active(ctx, sc)
	if err != nil {
		t.Fatalf("%s: active: %v", when, err)
	}
	for _, v := range active {
		activeGot = append(activeGot, v.ID+" v"+strconv.Itoa(v.Current.Number)+" "+v.Current.Title)
	}
	if !slices.Equal(activeGot, activeWant) {
		t.Fatalf("%s: active %v, recomputed %v", when, activeGot, activeWant)
	}
	want := factsLine(factsOfViews(full))
	for name, c := range map[string]context.Context{"kept": ctx, "from the summaries": agreement.WithMemo(ctx)} {
		f, err := svc.Facts(c, sc)
		if err != nil {
			t.Fatalf("%s: facts: %v", when, err)
		}
		if got := factsLine(f); got != want {
			t.Fatalf("%s: facts %s: %s, recomputed: %s", when, name, got, want)
		}
	}
	return statuses
}

// TestKeptStateFollowsRandomHistories makes random histories through the service (proposals, edits,
// acceptances, withdrawals, reviews, days passing so that periods end and reviews come due, time-zone
// changes, one partner leaving, account deletion) and, after every step, checks the state the summaries
// read against a recomputation from the whole consent log, as both partners see it.
func TestKeptStateFollowsRandomHistories(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run("seed"+strconv.Itoa(int(seed)), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, false)
			rng := rand.New(rand.NewPCG(seed, 20))
			users := []string{f.a.Me.UserID, f.b.Me.UserID}
			people := []*couple.Membership{f.a, f.b}
			zones := []string{"Europe/London", "Pacific/Auckland", "America/Los_Angeles"}
			var ids []string
			did := map[string]int{}
			ok := func(what string, err error) {
				t.Helper()
				if err != nil && apperr.As(err) == nil {
					t.Fatalf("%s: %v", what, err)
				}
				if err == nil {
					did[what]++
				}
			}
			left, deleted := false, false
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
				in := func(title string) agreement.Input {
					if rng.IntN(3) == 0 {
						return transparency(f.clock.Now().AddDate(0, 0, 1+rng.IntN(15)).Format(time.DateOnly))
					}
					x := input(title)
					x.ReviewOn = f.clock.Now().AddDate(0, 0, 2+rng.IntN(20)).Format(time.DateOnly)
					return x
				}
				writes := !left && !deleted
				switch n := rng.IntN(100); {
				case step == 150 && seed%2 == 0:
					// b leaves: the couple ends for both, and nothing more is written to it.
					ok("leave", f.couples.Leave(ctx, f.b.Me.UserID))
					left = true
				case step == 175:
					// b deletes their account (after leaving, on even seeds); a keeps the joint texts.
					ok("delete account", f.couples.DeleteAccount(ctx, f.b.Me.UserID, agreement.DeleteUser))
					deleted, people = true, []*couple.Membership{f.a}
					var n int64
					if err := f.db.Table("agreement_facts").Where("accepted_by = ? OR also_accepted_by = ?", f.b.Me.UserID, f.b.Me.UserID).
						Count(&n).Error; err != nil || n != 0 {
						t.Fatalf("after b deleted their account, %d kept rows still name them (%v)", n, err)
					}
				case writes && (n < 14 || len(ids) == 0):
					v, err := f.svc.Create(ctx, me, in("Agreement "+strconv.Itoa(step)))
					ok("propose", err)
					if err == nil {
						ids = append(ids, v.ID)
					}
				case writes && n < 24:
					id, num := pick()
					_, err := f.svc.Edit(ctx, me, id, num, in("Edit "+strconv.Itoa(step)))
					ok("edit", err)
				case writes && n < 52:
					id, num := pick()
					_, err := f.svc.Accept(ctx, me, id, num, "yes")
					ok("accept", err)
				case writes && n < 62:
					id, _ := pick()
					_, err := f.svc.Withdraw(ctx, me, id, "not now")
					ok("withdraw", err)
				case writes && n < 70:
					// Only an agreement in force or ended can be reviewed: pick one of those, when there is one.
					id, _ := pick()
					if all, err := f.svc.List(ctx, me); err == nil {
						for _, v := range all {
							if v.CanReview() && rng.IntN(2) == 0 {
								id = v.ID
								break
							}
						}
					}
					_, err := f.svc.Review(ctx, me, id, f.clock.Now().AddDate(0, 0, 1+rng.IntN(40)).Format(time.DateOnly), "talked")
					ok("review", err)
				case n < 88:
					f.clock.Advance(time.Duration(1+rng.IntN(96)) * time.Hour)
					did["time"]++
				case n < 94:
					tz := zones[rng.IntN(len(zones))]
					ok("time zone", f.couples.UpdateSettings(ctx, f.a.Couple.ID, tz, "sunday"))
					loc, _ := time.LoadLocation(tz)
					f.a.Location, f.b.Location = loc, loc
				}
				when := "step " + strconv.Itoa(step)
				for _, sc := range people {
					for _, s := range stateAgrees(t, f.svc, sc, users, when) {
						did["status "+s]++
					}
				}
			}
			want := []string{"propose", "edit", "accept", "withdraw", "review", "time", "time zone", "delete account",
				"status proposed", "status active", "status withdrawn", "status ended", "status due"}
			if seed%2 == 0 {
				want = append(want, "leave")
			}
			for _, what := range want {
				if did[what] == 0 {
					t.Errorf("the history never had %q: %v", what, did)
				}
			}
		})
	}
}

// statementLog counts the statements run through a database handle.
type statementLog struct {
	logger.Interface
	sql []string
}

func (l *statementLog) LogMode(logger.LogLevel) logger.Interface { return l }

func (l *statementLog) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	s, _ := fc()
	l.sql = append(l.sql, s)
}

// TestSummariesReadOneStatementAndNoLog checks that Summaries reads the couple's agreements, whatever
// their number and history, in one statement that reads no consent-log entry but the withdrawals.
func TestSummariesReadOneStatementAndNoLog(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	m := must(t)
	for i := range 4 {
		v := f.create(t, f.a, input("Agreement "+strconv.Itoa(i)))
		v = m(f.svc.Edit(ctx, f.b, v.ID, 1, input("Agreement, again "+strconv.Itoa(i))))
		m(f.svc.Accept(ctx, f.a, v.ID, v.Current.Number, ""))
		if i%2 == 0 {
			m(f.svc.Review(ctx, f.b, v.ID, "2026-12-20", ""))
		}
		if i == 3 {
			m(f.svc.Withdraw(ctx, f.b, v.ID, ""))
		}
	}
	l := &statementLog{Interface: logger.Discard}
	counted := agreement.NewService(f.db.Session(&gorm.Session{Logger: l}), f.clock.Now)
	views, err := counted.Summaries(ctx, f.a)
	if err != nil || len(views) != 4 {
		t.Fatalf("summaries = %d, %v", len(views), err)
	}
	if len(l.sql) != 1 {
		t.Fatalf("Summaries ran %d statements, want 1:\n%s", len(l.sql), strings.Join(l.sql, "\n"))
	}
	if q := l.sql[0]; strings.Contains(q, "agreement_events") && !strings.Contains(q, "'withdrawn'") {
		t.Errorf("Summaries read the consent log beyond its withdrawals:\n%s", q)
	}
	stateAgrees(t, f.svc, f.a, []string{f.a.Me.UserID, f.b.Me.UserID}, "four agreements")
}

// TestStateMigrationBackfillsExistingHistories makes histories in every state, takes the schema back
// to before the kept state (step 19, which drops it), migrates forward again, and checks that the
// backfill wrote what a recomputation from the consent log says, and that writes keep it from there.
func TestStateMigrationBackfillsExistingHistories(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	m := must(t)
	users := []string{f.a.Me.UserID, f.b.Me.UserID}
	f.create(t, f.a, input("Only proposed"))
	v := f.create(t, f.a, input("Edited and accepted"))
	v = m(f.svc.Edit(ctx, f.b, v.ID, 1, input("Edited and accepted, again")))
	m(f.svc.Accept(ctx, f.a, v.ID, v.Current.Number, ""))
	f.clock.Advance(time.Hour)
	w := f.create(t, f.b, input("Withdrawn, then proposed again"))
	m(f.svc.Accept(ctx, f.a, w.ID, 1, ""))
	m(f.svc.Withdraw(ctx, f.a, w.ID, "not now"))
	m(f.svc.Edit(ctx, f.b, w.ID, 1, input("Proposed again")))
	r := f.create(t, f.a, input("Reviewed twice"))
	m(f.svc.Accept(ctx, f.b, r.ID, 1, ""))
	m(f.svc.Review(ctx, f.b, r.ID, "2026-12-20", ""))
	f.clock.Advance(time.Hour)
	m(f.svc.Review(ctx, f.a, r.ID, "2026-12-02", ""))
	e := f.create(t, f.a, transparency("2026-12-10"))
	m(f.svc.Accept(ctx, f.b, e.ID, 1, ""))
	// A joint text whose other author deletes their account, on a second couple of a's former partner.
	g := newFixtureOn(t, f.db, false)
	j := g.create(t, g.a, input("Joint"))
	m(g.svc.Accept(ctx, g.b, j.ID, 1, ""))
	g.create(t, g.b, input("Only b's"))
	if err := g.couples.DeleteAccount(ctx, g.b.Me.UserID, agreement.DeleteUser); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(16 * 24 * time.Hour)

	before := map[*couple.Membership]int{}
	for _, sc := range []*couple.Membership{f.a, f.b, g.a} {
		views, err := f.svc.Summaries(ctx, sc)
		if err != nil {
			t.Fatal(err)
		}
		before[sc] = len(views)
	}
	if err := database.MigrateDownTo(ctx, f.db, 19); err != nil {
		t.Fatalf("down to 19: %v", err)
	}
	if err := database.MigrateUpTo(ctx, f.db, 20); err != nil {
		t.Fatalf("up to 20: %v", err)
	}
	var rows int64
	if err := f.db.Table("agreement_facts").Count(&rows).Error; err != nil || rows != 6 {
		t.Fatalf("the backfill wrote %d rows (%v), want 6", rows, err)
	}
	statuses := map[string]bool{}
	for _, sc := range []*couple.Membership{f.a, f.b, g.a} {
		got := stateAgrees(t, f.svc, sc, append(users, g.a.Me.UserID, g.b.Me.UserID), "after the backfill")
		if n := len(slices.DeleteFunc(slices.Clone(got), func(s string) bool { return s == "due" })); n == 0 || n != before[sc] {
			t.Fatalf("after the backfill %s sees %v, before %d agreements", sc.Me.UserID, got, before[sc])
		}
		for _, s := range got {
			statuses[s] = true
		}
	}
	for _, s := range []string{agreement.StatusProposed, agreement.StatusActive, agreement.StatusEnded, "due"} {
		if !statuses[s] {
			t.Errorf("the backfilled agreements cover only %v", statuses)
		}
	}
	// Writes after the backfill keep the state.
	m(f.svc.Accept(ctx, f.a, w.ID, 2, ""))
	m(f.svc.Review(ctx, f.b, r.ID, "2027-01-20", ""))
	stateAgrees(t, f.svc, f.a, users, "after writes on the backfilled state")
}

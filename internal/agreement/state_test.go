package agreement_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/couple"
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

package agreement_test

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/database"
)

// history makes a random history of one couple through the service, one step at a time.
type history struct {
	t             *testing.T
	f             *fixture
	rng           *rand.Rand
	ids           []string
	people        []*couple.Membership // who can still act
	left, deleted bool
	did           map[string]int // how many steps of each kind succeeded, and statuses seen
}

// ok counts a step that succeeded; an answer the service gives a person (apperr) is a step refused.
func (h *history) ok(what string, err error) {
	h.t.Helper()
	if err != nil && apperr.As(err) == nil {
		h.t.Fatalf("%s: %v", what, err)
	}
	if err == nil {
		h.did[what]++
	}
}

// pick returns one of the agreements and its latest version number, as me reads it.
func (h *history) pick(me *couple.Membership) (string, int) {
	if len(h.ids) == 0 {
		return "", 0
	}
	id := h.ids[h.rng.IntN(len(h.ids))]
	v, err := h.f.svc.Get(ctx, me, id)
	if err != nil {
		return id, 1
	}
	return id, v.Current.Number
}

// reviewable returns, when there is one, an agreement in force or ended (the ones a review is for).
func (h *history) reviewable(me *couple.Membership, id string) string {
	all, err := h.f.svc.List(ctx, me)
	if err != nil {
		return id
	}
	for _, v := range all {
		if v.CanReview() && h.rng.IntN(2) == 0 {
			return v.ID
		}
	}
	return id
}

// in is the text of a proposal: a transparency agreement ending within two weeks, one time in three,
// else one due for review within three weeks.
func (h *history) in(title string) agreement.Input {
	now := h.f.clock.Now()
	if h.rng.IntN(3) == 0 {
		return transparency(now.AddDate(0, 0, 1+h.rng.IntN(15)).Format(time.DateOnly))
	}
	x := input(title)
	x.ReviewOn = now.AddDate(0, 0, 2+h.rng.IntN(20)).Format(time.DateOnly)
	return x
}

// write makes one random write by me, while the couple lasts: a proposal, an edit, an acceptance, a
// withdrawal or a review; n picks which.
func (h *history) write(me *couple.Membership, n, step int) {
	svc, title := h.f.svc, strconv.Itoa(step)
	switch {
	case n < 14 || len(h.ids) == 0:
		v, err := svc.Create(ctx, me, h.in("Agreement "+title))
		h.ok("propose", err)
		if err == nil {
			h.ids = append(h.ids, v.ID)
		}
	case n < 24:
		id, num := h.pick(me)
		_, err := svc.Edit(ctx, me, id, num, h.in("Edit "+title))
		h.ok("edit", err)
	case n < 52:
		id, num := h.pick(me)
		_, err := svc.Accept(ctx, me, id, num, "yes")
		h.ok("accept", err)
	case n < 62:
		id, _ := h.pick(me)
		_, err := svc.Withdraw(ctx, me, id, "not now")
		h.ok("withdraw", err)
	default:
		id, _ := h.pick(me)
		next := h.f.clock.Now().AddDate(0, 0, 1+h.rng.IntN(40)).Format(time.DateOnly)
		_, err := svc.Review(ctx, me, h.reviewable(me, id), next, "talked")
		h.ok("review", err)
	}
}

// deleteB has b delete their account (a keeps the joint texts, as the server's hooks do) and checks
// that no kept row names b any more.
func (h *history) deleteB() {
	f := h.f
	h.ok("delete account", f.couples.DeleteAccount(ctx, f.b.Me.UserID, agreement.DeleteUser))
	h.deleted, h.people = true, []*couple.Membership{f.a}
	var n int64
	err := f.db.Table("agreement_facts").Where("accepted_by = ? OR also_accepted_by = ?", f.b.Me.UserID, f.b.Me.UserID).Count(&n).Error
	if err != nil || n != 0 {
		h.t.Fatalf("after b deleted their account, %d kept rows still name them (%v)", n, err)
	}
}

// TestKeptStateFollowsRandomHistories makes random histories through the service (proposals, edits,
// acceptances, withdrawals, reviews, days passing so that periods end and reviews come due, time-zone
// changes, one partner leaving, account deletion) and, after every step, checks the state the summaries
// read against a recomputation from the whole consent log, as both partners see it.
func TestKeptStateFollowsRandomHistories(t *testing.T) {
	t.Parallel()
	zones := []string{"Europe/London", "Pacific/Auckland", "America/Los_Angeles"}
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run("seed"+strconv.Itoa(int(seed)), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, false)
			h := &history{t: t, f: f, rng: rand.New(rand.NewPCG(seed, 20)), people: []*couple.Membership{f.a, f.b}, did: map[string]int{}}
			users := []string{f.a.Me.UserID, f.b.Me.UserID}
			for step := range 200 {
				me := h.people[h.rng.IntN(len(h.people))]
				switch n := h.rng.IntN(100); {
				case step == 150 && seed%2 == 0:
					// b leaves: the couple ends for both, and nothing more is written to it.
					h.ok("leave", f.couples.Leave(ctx, f.b.Me.UserID))
					h.left = true
				case step == 175:
					h.deleteB() // after leaving, on even seeds
				case n < 70 && !h.left && !h.deleted:
					h.write(me, n, step)
				case n < 88:
					f.clock.Advance(time.Duration(1+h.rng.IntN(96)) * time.Hour)
					h.did["time"]++
				case n < 94:
					tz := zones[h.rng.IntN(len(zones))]
					h.ok("time zone", f.couples.UpdateSettings(ctx, f.a.Couple.ID, tz, "sunday"))
					loc, _ := time.LoadLocation(tz)
					f.a.Location, f.b.Location = loc, loc
				}
				for _, sc := range h.people {
					for _, s := range stateAgrees(t, f.svc, sc, users, "step "+strconv.Itoa(step)) {
						h.did["status "+s]++
					}
				}
			}
			want := []string{"propose", "edit", "accept", "withdraw", "review", "time", "time zone", "delete account",
				"status proposed", "status active", "status withdrawn", "status ended", "status due"}
			if seed%2 == 0 {
				want = append(want, "leave")
			}
			for _, what := range want {
				if h.did[what] == 0 {
					t.Errorf("the history never had %q: %v", what, h.did)
				}
			}
		})
	}
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

package checkin_test

import (
	"database/sql"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
)

// The facts the check-ins keep at write time (checkin_week_facts, checkin_rating_facts,
// checkin_safety_facts) must always say what the couple's history says. These tests build random
// histories through the service, as people make them, and after every step compare what the readers
// return with a recomputation from the source tables (the queries the readers ran before the facts
// were kept).

// recomputeOpenedWeeks is OpenedWeeks recomputed from checkin_weeks, checkin_answers and
// checkin_agreement_answers: everyone's answers of every opened week, read by person, then what q's
// viewer may see of them picked out.
func recomputeOpenedWeeks(t *testing.T, f *fixture, q checkin.OpenedWeeksQuery) []checkin.WeekFacts {
	t.Helper()
	db := f.db.WithContext(f.ctx)
	rows, err := db.Raw(`SELECT w.week, w.opened_at, a.user_id, a.trust, a.connection, a.safety
		FROM checkin_weeks w LEFT JOIN checkin_answers a ON a.couple_id = w.couple_id AND a.week = w.week
		WHERE w.couple_id = ? ORDER BY w.week`, q.CoupleID).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []checkin.WeekFacts
	at := map[string]int{}
	for rows.Next() {
		var (
			week                      string
			openedAt                  time.Time
			userID                    sql.NullString
			trust, connection, safety *int
		)
		if err := rows.Scan(&week, &openedAt, &userID, &trust, &connection, &safety); err != nil {
			t.Fatal(err)
		}
		i, ok := at[week]
		if !ok {
			wk, valid := checkin.ParseWeek(week)
			if !valid {
				t.Fatalf("opened week %q is no week key", week)
			}
			i = len(out)
			at[week] = i
			out = append(out, checkin.WeekFacts{Week: wk})
			if i < q.OpenedAt {
				out[i].OpenedAt = openedAt.UTC()
			}
		}
		w := &out[i]
		switch {
		case !userID.Valid:
		case userID.String == q.ViewerID:
			w.Me = checkin.PersonRatings{Trust: trust, Connection: connection, Safety: safety}
		case userID.String == q.PartnerID:
			w.Partner = checkin.PersonRatings{Trust: trust, Connection: connection}
		case q.PartnerID != "":
			// OpenedWeeks reads the viewer's and the partner's ratings only, as all there are.
			t.Fatalf("week %s of couple %s holds an answer of %s, neither %s nor their partner %s", week, q.CoupleID, userID.String, q.ViewerID, q.PartnerID)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var kept []struct {
		Week, Kept string
		N          int
	}
	err = db.Raw(`SELECT a.week AS week, k.kept AS kept, COUNT(*) AS n
		FROM checkin_weeks w JOIN checkin_answers a ON a.couple_id = w.couple_id AND a.week = w.week
		JOIN checkin_agreement_answers k ON k.answer_id = a.id
		WHERE w.couple_id = ? GROUP BY a.week, k.kept`, q.CoupleID).Scan(&kept).Error
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kept {
		w := &out[at[k.Week]]
		if w.Week.Before(q.KeptFrom) {
			continue
		}
		switch k.Kept {
		case "kept":
			w.Kept += k.N
		case "partly":
			w.Partly += k.N
		case "not_kept":
			w.NotKept += k.N
		default:
			w.NotSure += k.N
		}
	}
	// Confirmed reflections, per week.
	var confirmed []struct {
		Week string
		N    int
	}
	err = db.Raw(`SELECT week, COUNT(*) AS n FROM checkin_reflections WHERE couple_id = ? AND accurate = ? GROUP BY week`,
		q.CoupleID, true).Scan(&confirmed).Error
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range confirmed {
		if i, ok := at[c.Week]; ok {
			out[i].Confirmed = c.N
		}
	}
	return out
}

// recomputeLowSafety is CheckLowSafety recomputed from checkin_answers.
func recomputeLowSafety(t *testing.T, f *fixture, coupleID, userID string) bool {
	t.Helper()
	var a checkin.Answer
	err := f.db.WithContext(f.ctx).Select("safety").Where("couple_id = ? AND user_id = ? AND safety IS NOT NULL", coupleID, userID).
		Order("week DESC").Limit(1).Find(&a).Error
	if err != nil {
		t.Fatal(err)
	}
	return a.Safety != nil && *a.Safety <= checkin.LowSafetyAt
}

// recomputeConfirmed is ConfirmedReflections recomputed from checkin_reflections.
func recomputeConfirmed(t *testing.T, f *fixture, coupleID string) int {
	t.Helper()
	var n int64
	err := f.db.WithContext(f.ctx).Model(&checkin.Reflection{}).Where("couple_id = ? AND accurate = ?", coupleID, true).Count(&n).Error
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// history is a random history of several couples over the weeks, with the people and couples it made.
type history struct {
	t       *testing.T
	f       *fixture
	rng     *rand.Rand
	couples map[string][]string // couple id → its members, ever
	live    []pair              // couples both partners are still in
	pool    []checkin.AgreementRef
	steps   int
	did     map[string]int
}

var zones = []string{"Europe/London", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"}

func (h *history) newCouple() {
	p := h.f.couple(zones[h.rng.IntN(len(zones))])
	h.couples[p.coupleID] = []string{p.a, p.b}
	h.live = append(h.live, p)
}

// ok ignores the errors a person may meet (a concluded or closed week, a full reflection list), and
// fails on the others.
func (h *history) ok(what string, err error) {
	h.t.Helper()
	if err != nil && apperr.As(err) == nil {
		h.t.Fatalf("step %d, %s: %v", h.steps, what, err)
	}
	if err == nil {
		h.did[what]++
	}
}

func (h *history) rating() *int {
	if h.rng.IntN(12) == 0 {
		return nil
	}
	v := h.rng.IntN(11)
	return &v
}

// week picks this week or last week of the couple, in its time zone now.
func (h *history) week(m *couple.Membership) string {
	w := checkin.WeekOf(h.f.clock.Now(), m.Location)
	if h.rng.IntN(2) == 0 {
		w = w.Prev()
	}
	return w.String()
}

// step makes one random change.
func (h *history) step() {
	h.steps++
	f, rng := h.f, h.rng
	if len(h.live) == 0 {
		h.newCouple()
	}
	i := rng.IntN(len(h.live))
	p := h.live[i]
	me, other := p.a, p.b
	if rng.IntN(2) == 0 {
		me, other = other, me
	}
	switch n := rng.IntN(100); {
	case n < 50: // an answer: a draft, a share, an edit, a skip, an unshare
		m := f.m(me)
		in := checkin.AnswerInput{Trust: h.rating(), Connection: h.rating(), Safety: h.rating(),
			Appreciation: "thanks", Skip: rng.IntN(10) == 0, Submit: rng.IntN(4) > 0}
		if !in.Skip && in.Submit && (in.Trust == nil || in.Connection == nil || in.Safety == nil) {
			in.Submit = rng.IntN(4) == 0 // mostly complete before sharing; sometimes refused
		}
		if !in.Skip {
			for _, a := range f.active {
				if rng.IntN(4) > 0 {
					in.Agreements = append(in.Agreements, checkin.KeptInput{AgreementID: a.ID, Kept: checkin.KeptOrder[rng.IntN(len(checkin.KeptOrder))]})
				}
			}
		}
		_, err := f.svc.SaveAnswer(f.ctx, m, h.week(m), in)
		h.ok("answer", err)
	case n < 62: // a reflection on an opened week
		m := f.m(me)
		_, err := f.svc.Reflect(f.ctx, m, h.week(m), "I heard you")
		h.ok("reflect", err)
	case n < 74: // the author's response to a reflection
		var rs []checkin.Reflection
		if err := f.db.Where("couple_id = ? AND author_id = ? AND responded_at IS NULL", p.coupleID, me).Find(&rs).Error; err != nil {
			h.t.Fatal(err)
		}
		if len(rs) > 0 {
			r := rs[rng.IntN(len(rs))]
			_, err := f.svc.Respond(f.ctx, f.m(me), r.Week, r.ID, rng.IntN(3) > 0, "")
			h.ok("respond", err)
		}
	case n < 80: // the agreements the check-in asks about change (accepted, withdrawn)
		f.active = nil
		for _, a := range h.pool {
			if rng.IntN(2) == 0 {
				f.active = append(f.active, a)
			}
		}
		h.did["agreements"]++
	case n < 90: // days pass
		f.clock.Advance(time.Duration(1+rng.IntN(72)) * time.Hour)
		h.did["time"]++
	case n < 96: // the couple moves to another time zone
		h.ok("time zone", f.couples.UpdateSettings(f.ctx, p.coupleID, zones[rng.IntN(len(zones))], "sunday"))
	case n < 98: // one of them leaves; the other starts again with someone new
		h.ok("leave", f.couples.Leave(f.ctx, me))
		h.live = slices.Delete(h.live, i, i+1)
		h.rejoin(other)
	default: // one of them deletes their account
		h.ok("delete account", f.couples.DeleteAccount(f.ctx, me, checkin.Erase))
		h.live = slices.Delete(h.live, i, i+1)
		for id, members := range h.couples {
			h.couples[id] = slices.DeleteFunc(members, func(u string) bool { return u == me })
		}
		h.rejoin(other)
	}
}

// rejoin puts userID in a new couple with a new partner.
func (h *history) rejoin(userID string) {
	f := h.f
	c, err := f.couples.Start(f.ctx, userID, zones[h.rng.IntN(len(zones))], "sunday")
	if err != nil {
		h.t.Fatalf("start: %v", err)
	}
	tok, _, err := f.couples.CreateInvite(f.ctx, c.ID, userID)
	if err != nil {
		h.t.Fatalf("invite: %v", err)
	}
	b := f.user("B")
	if _, err := f.couples.Join(f.ctx, b, tok); err != nil {
		h.t.Fatalf("join: %v", err)
	}
	h.couples[c.ID] = []string{userID, b}
	h.live = append(h.live, pair{coupleID: c.ID, a: userID, b: b})
}

// check compares every couple's facts, for each of its members, with their recomputation.
func (h *history) check() {
	h.t.Helper()
	f := h.f
	from := checkin.WeekOf(f.clock.Now().AddDate(0, 0, -7*h.rng.IntN(6)), time.UTC)
	for coupleID, members := range h.couples {
		if got, want := h.confirmed(coupleID), recomputeConfirmed(h.t, f, coupleID); got != want {
			h.t.Fatalf("step %d, couple %s: %d confirmed reflections, recomputed %d", h.steps, coupleID, got, want)
		}
		for _, u := range members {
			// Each member asks with their partner named, and as if alone; with every kept count and
			// with the recent ones only; with when none, some or all of the weeks opened.
			partner := ""
			for _, o := range members {
				if o != u {
					partner = o
				}
			}
			for i, q := range []checkin.OpenedWeeksQuery{
				{ViewerID: u, PartnerID: partner},
				{ViewerID: u, PartnerID: partner, KeptFrom: from, OpenedAt: 4},
				{ViewerID: u, KeptFrom: from, OpenedAt: 1},
				{ViewerID: u, OpenedAt: 1000},
			} {
				q.CoupleID = coupleID
				got, err := f.svc.OpenedWeeks(f.ctx, q)
				if err != nil {
					h.t.Fatal(err)
				}
				for i := range got {
					got[i].OpenedAt = got[i].OpenedAt.UTC()
				}
				for i, w := range got {
					if i >= q.OpenedAt && !w.OpenedAt.Equal(time.Time{}) {
						h.t.Fatalf("step %d, couple %s: week %s (the %d. opened) opened at %s, which was not asked for", h.steps, coupleID, w.Week, i+1, w.OpenedAt)
					}
				}
				if want := recomputeOpenedWeeks(h.t, f, q); !reflect.DeepEqual(got, want) {
					h.t.Fatalf("step %d, couple %s, query %d %+v: opened weeks\n got  %s\n want %s",
						h.steps, coupleID, i, q, dump(got), dump(want))
				}
			}
			low, err := f.svc.CheckLowSafety(f.ctx, coupleID, u)
			if err != nil {
				h.t.Fatal(err)
			}
			if want := recomputeLowSafety(h.t, f, coupleID, u); low != want {
				h.t.Fatalf("step %d, couple %s, user %s: low safety %v, recomputed %v", h.steps, coupleID, u, low, want)
			}
		}
	}
	for _, p := range h.live {
		for _, u := range []string{p.a, p.b} {
			g, err := f.svc.Glance(f.ctx, f.m(u))
			if err != nil {
				h.t.Fatal(err)
			}
			if want := recomputeLowSafety(h.t, f, p.coupleID, u); g.LowSafety != want {
				h.t.Fatalf("step %d, couple %s, user %s: the glance says low safety %v, recomputed %v", h.steps, p.coupleID, u, g.LowSafety, want)
			}
		}
	}
}

func (h *history) confirmed(coupleID string) int {
	n, err := h.f.svc.ConfirmedReflections(h.f.ctx, coupleID)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func dump(weeks []checkin.WeekFacts) string {
	var s []byte
	for _, w := range weeks {
		s = append(s, '\n')
		s = append(s, []byte(w.Week.String()+" "+w.OpenedAt.Format(time.RFC3339Nano))...)
		s = append(s, []byte(" me:"+ratingText(w.Me.Trust)+"/"+ratingText(w.Me.Connection)+"/"+ratingText(w.Me.Safety))...)
		s = append(s, []byte(" partner:"+ratingText(w.Partner.Trust)+"/"+ratingText(w.Partner.Connection)+"/"+ratingText(w.Partner.Safety))...)
		s = append(s, []byte(" kept "+strconv.Itoa(w.Kept)+" "+strconv.Itoa(w.Partly)+" "+strconv.Itoa(w.NotKept)+" "+strconv.Itoa(w.NotSure)+" confirmed "+strconv.Itoa(w.Confirmed))...)
	}
	return string(s)
}

func ratingText(v *int) string {
	if v == nil {
		return "-"
	}
	return strconv.Itoa(*v)
}

// TestFactsFollowRandomHistories checks, after every step of random histories (answers, skips, edits,
// shares and unshares, openings, reflections and their confirmation, agreements accepted and withdrawn,
// days passing, time-zone changes, leaving, account deletion), that the facts kept at write time equal
// a recomputation from the source tables, for every couple and every member's point of view.
func TestFactsFollowRandomHistories(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run("seed"+strconv.Itoa(int(seed)), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			h := &history{t: t, f: f, rng: rand.New(rand.NewPCG(seed, 21)), couples: map[string][]string{}, did: map[string]int{},
				pool: []checkin.AgreementRef{{ID: "ag-1", Title: "Phones"}, {ID: "ag-2", Title: "Walks"}, {ID: "ag-3", Title: "Money"}}}
			h.newCouple()
			h.newCouple()
			for range 300 {
				h.step()
				h.check()
			}
			for _, what := range []string{"answer", "reflect", "respond", "agreements", "time", "time zone", "leave", "delete account"} {
				if h.did[what] == 0 {
					t.Errorf("the history never made a %q step: %v", what, h.did)
				}
			}
			var opened int64
			if err := f.db.Table("checkin_weeks").Count(&opened).Error; err != nil || opened < 5 {
				t.Errorf("the history opened %d weeks (%v): too few to test much", opened, err)
			}
		})
	}
}

package proof

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/checkin"
)

// A fleet is several couples writing to one real Mend at once, each person from their own goroutine(s),
// with every write the server acknowledged (2xx) kept in a ledger, so a test can later prove each one is
// still there. Write kinds: registrations, agreements, acceptances, check-in answers (drafts of the
// current week), reflections (in the previous week, opened at setup), pauses and connection moments.

type person struct {
	c      *netClient
	couple int
	me     int // 0 or 1 within the couple
	seq    atomic.Int64
}

type fleet struct {
	base      string
	people    []*person // couple i is people[2i], people[2i+1]
	cur, prev string
	led       ledger
	uniq      atomic.Int64
	tag       string
	// weights[k] is how often write picks kind k (register, agreement, accept, answer, reflection,
	// pause, moment); registrations are mostly password hashing, so the contention test makes them rare.
	weights []int
}

// ledger holds every acknowledged write.
type ledger struct {
	mu          sync.Mutex
	emails      []string
	agreements  map[string]string // id → title
	byCouple    map[int][]string  // couple → agreement ids proposed by people[2i] (A), for B to accept
	accepted    map[string]bool
	drafts      map[int]int64  // person → highest acknowledged draft number
	reflections map[string]int // id → listener (person)
	moments     map[string]int // id → author (person)
	writes      int
	kinds       map[string]int // acknowledged writes by kind
}

// newFleet registers 2n people through the API (in parallel, a few at a time), pairs them into n
// couples and opens the previous week's check-in of each couple (both shared), for reflections.
func newFleet(t *testing.T, base string, n int, tag string) *fleet {
	t.Helper()
	f := &fleet{base: base, tag: tag, weights: []int{1, 1, 1, 1, 1, 1, 1}, led: ledger{agreements: map[string]string{}, byCouple: map[int][]string{},
		accepted: map[string]bool{}, drafts: map[int]int64{}, reflections: map[string]int{}, moments: map[string]int{}, kinds: map[string]int{}}}
	for i := 0; i < 2*n; i++ {
		f.people = append(f.people, &person{c: newNetClient(base), couple: i / 2, me: i % 2})
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			a, b := f.people[2*i], f.people[2*i+1]
			a.c.signUp(t, fmt.Sprintf("%s-%d-a@example.org", tag, i), fmt.Sprintf("%s %d A", tag, i))
			b.c.signUp(t, fmt.Sprintf("%s-%d-b@example.org", tag, i), fmt.Sprintf("%s %d B", tag, i))
			pairUp(t, a.c, b.c)
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	var list struct {
		CurrentWeek string `json:"current_week"`
	}
	f.people[0].c.must(t, http.MethodGet, "/api/v1/checkins", nil, http.StatusOK, &list)
	w, ok := checkin.ParseWeek(list.CurrentWeek)
	if !ok {
		t.Fatalf("current week %q", list.CurrentWeek)
	}
	f.cur, f.prev = w.String(), w.Prev().String()
	for _, p := range f.people {
		p.c.must(t, http.MethodPut, "/api/v1/checkins/"+f.prev+"/mine", answer("opened", true), http.StatusOK, nil)
	}
	return f
}

func answer(text string, submit bool) map[string]any {
	return map[string]any{"appreciation": text, "went_well": text, "was_hard": text, "need": text,
		"trust": 6, "connection": 6, "safety": 6, "submit": submit, "agreements": []any{}}
}

func (f *fleet) index(p *person) int { return 2*p.couple + p.me }

// write makes one random write as p and records it in the ledger when the server acknowledged it.
// It returns the response (Err set when none arrived) and a short name of the kind of write.
func (f *fleet) write(ctx context.Context, p *person, rnd *rand.Rand) (netResponse, string) {
	switch f.pick(rnd) {
	case 0:
		email := fmt.Sprintf("%s-new-%d@example.org", f.tag, f.uniq.Add(1))
		fresh := &netClient{base: f.base, ip: fmt.Sprintf("10.78.%d.%d", rnd.IntN(256), rnd.IntN(256)), hc: p.c.hc}
		r := fresh.send(ctx, http.MethodPost, "/api/v1/auth/register", map[string]string{"email": email, "display_name": "New", "password": password})
		if r.Err == nil && r.Status == http.StatusCreated {
			f.record("register", func(l *ledger) { l.emails = append(l.emails, email) })
		}
		return r, "register"
	case 1:
		title := fmt.Sprintf("%s agreement %d", f.tag, f.uniq.Add(1))
		r := p.c.send(ctx, http.MethodPost, "/api/v1/agreements", map[string]any{"title": title, "body": "We say where we are.",
			"category": "honesty", "review_on": time.Now().AddDate(0, 1, 0).Format(time.DateOnly)})
		var out struct {
			Agreement struct{ ID string } `json:"agreement"`
		}
		if r.Err == nil && r.Status == http.StatusCreated && json.Unmarshal(r.Body, &out) == nil {
			f.record("agreement", func(l *ledger) {
				l.agreements[out.Agreement.ID] = title
				if p.me == 0 {
					l.byCouple[p.couple] = append(l.byCouple[p.couple], out.Agreement.ID)
				}
			})
		}
		return r, "agreement"
	case 2:
		if p.me == 0 {
			return f.write(ctx, p, rnd)
		}
		var id string
		f.led.mu.Lock()
		var open []string // proposals not yet accepted: accepting one again writes nothing
		for _, a := range f.led.byCouple[p.couple] {
			if !f.led.accepted[a] {
				open = append(open, a)
			}
		}
		if len(open) > 0 {
			id = open[rnd.IntN(len(open))]
		}
		f.led.mu.Unlock()
		if id == "" {
			return f.write(ctx, p, rnd)
		}
		r := p.c.send(ctx, http.MethodPost, "/api/v1/agreements/"+id+"/accept", map[string]int{"version": 1})
		if r.Err == nil && r.Status == http.StatusOK {
			f.record("accept", func(l *ledger) { l.accepted[id] = true })
		}
		return r, "accept"
	case 3:
		n := p.seq.Add(1)
		r := p.c.send(ctx, http.MethodPut, "/api/v1/checkins/"+f.cur+"/mine", answer("draft "+strconv.FormatInt(n, 10), false))
		if r.Err == nil && r.Status == http.StatusOK {
			i := f.index(p)
			f.record("answer", func(l *ledger) { l.drafts[i] = max(l.drafts[i], n) })
		}
		return r, "answer"
	case 4:
		r := p.c.send(ctx, http.MethodPost, "/api/v1/checkins/"+f.prev+"/reflections", map[string]string{"text": "I heard you " + f.tag})
		var out struct {
			Reflection struct{ ID string } `json:"reflection"`
		}
		if r.Err == nil && r.Status == http.StatusCreated && json.Unmarshal(r.Body, &out) == nil {
			i := f.index(p)
			f.record("reflection", func(l *ledger) { l.reflections[out.Reflection.ID] = i })
		}
		return r, "reflection"
	case 5:
		until := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		r := p.c.send(ctx, http.MethodPost, "/api/v1/timeouts", map[string]string{"until": until, "note": "a breather"})
		if r.Err == nil && r.Status == http.StatusCreated {
			r = p.c.send(ctx, http.MethodPost, "/api/v1/timeouts/current/end", nil)
			if r.Err == nil && r.Status == http.StatusNoContent {
				f.record("pause", func(*ledger) {})
			}
		}
		return r, "pause"
	default:
		r := p.c.send(ctx, http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "note": "tea " + f.tag,
			"on": time.Now().UTC().Format(time.DateOnly), "shared": rnd.IntN(2) == 0})
		var out struct {
			Moment struct{ ID string } `json:"moment"`
		}
		if r.Err == nil && r.Status == http.StatusCreated && json.Unmarshal(r.Body, &out) == nil {
			i := f.index(p)
			f.record("moment", func(l *ledger) { l.moments[out.Moment.ID] = i })
		}
		return r, "moment"
	}
}

// pick chooses a kind of write by the fleet's weights.
func (f *fleet) pick(rnd *rand.Rand) int {
	w := f.weights
	total := 0
	for _, n := range w {
		total += n
	}
	x := rnd.IntN(total)
	for k, n := range w {
		if x < n {
			return k
		}
		x -= n
	}
	return 0
}

func (f *fleet) record(kind string, fn func(l *ledger)) {
	f.led.mu.Lock()
	defer f.led.mu.Unlock()
	fn(&f.led)
	f.led.writes++
	f.led.kinds[kind]++
}

// verify proves, through the API, that every acknowledged write except registrations is present.
func (f *fleet) verify(t *testing.T) {
	t.Helper()
	f.led.mu.Lock()
	defer f.led.mu.Unlock()
	for _, p := range f.people {
		p.c.reset()
	}
	for ci := 0; ci < len(f.people)/2; ci++ {
		a := f.people[2*ci]
		var list struct {
			Agreements []struct{ ID, Title, Status string } `json:"agreements"`
		}
		a.c.must(t, http.MethodGet, "/api/v1/agreements", nil, http.StatusOK, &list)
		seen := map[string]string{}
		for _, ag := range list.Agreements {
			seen[ag.ID] = ag.Title + "|" + ag.Status
		}
		for _, id := range f.led.byCouple[ci] {
			title, status, _ := strings.Cut(seen[id], "|")
			if title != f.led.agreements[id] {
				t.Errorf("couple %d: acknowledged agreement %s (%q) is missing", ci, id, f.led.agreements[id])
			}
			if f.led.accepted[id] && status != "active" {
				t.Errorf("couple %d: agreement %s was accepted, but its status is %q", ci, id, status)
			}
		}
	}
	for i, p := range f.people {
		var week struct {
			Mine        map[string]any `json:"mine"`
			Reflections []struct{ ID string }
		}
		p.c.must(t, http.MethodGet, "/api/v1/checkins/"+f.cur, nil, http.StatusOK, &week)
		text, _ := week.Mine["appreciation"].(string)
		got, _ := strconv.ParseInt(strings.TrimPrefix(text, "draft "), 10, 64)
		if want := f.led.drafts[i]; got < want {
			t.Errorf("person %d: check-in draft %d was acknowledged, the answer now holds %q", i, want, text)
		}
		p.c.must(t, http.MethodGet, "/api/v1/checkins/"+f.prev, nil, http.StatusOK, &week)
		have := map[string]bool{}
		for _, r := range week.Reflections {
			have[r.ID] = true
		}
		for id, listener := range f.led.reflections {
			if listener/2 == p.couple && !have[id] {
				t.Errorf("person %d: acknowledged reflection %s is missing", i, id)
			}
		}
		var ms struct {
			Moments []struct{ ID string } `json:"moments"`
		}
		p.c.must(t, http.MethodGet, "/api/v1/moments", nil, http.StatusOK, &ms)
		mine := map[string]bool{}
		for _, m := range ms.Moments {
			mine[m.ID] = true
		}
		for id, author := range f.led.moments {
			if author == i && !mine[id] {
				t.Errorf("person %d: acknowledged moment %s is missing", i, id)
			}
		}
	}
}

package bench

import (
	"math/rand/v2"
	"net/http"
	"strconv"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// request is one kind of request a scenario sends, with its share of the scenario's requests.
type request struct {
	weight int
	write  bool
	target func(e *targetEnv, s *Session, t *vegeta.Target)
	// solo is the key of the scenario that sends only this request (for the mixed load's comparison).
	solo string
}

// Scenario is one load: a weighted mix of requests spread over the signed-in pool.
type Scenario struct {
	Key      string
	Name     string
	requests []request
}

// Scenarios are the loads measured against Mend, in report order. A scenario is one line here.
var Scenarios = []Scenario{
	{Key: "dashboard", Name: "GET /dashboard (page)", requests: []request{{weight: 1, target: dashboardPage, solo: "dashboard"}}},
	{Key: "checkin-get", Name: "GET /api/v1/checkins/{week}", requests: []request{{weight: 1, target: checkinWeek, solo: "checkin-get"}}},
	{Key: "checkin-put", Name: "PUT /api/v1/checkins/{week}/mine", requests: []request{{weight: 1, write: true, target: checkinSave}}},
	{Key: "progress", Name: "GET /progress (page with chart)", requests: []request{{weight: 1, target: progressPage, solo: "progress"}}},
	{Key: "mixed", Name: "mixed: 80 % reads, 20 % writes", requests: []request{
		{weight: 30, target: dashboardPage, solo: "dashboard"},
		{weight: 30, target: checkinWeek, solo: "checkin-get"},
		{weight: 20, target: progressPage, solo: "progress"},
		{weight: 20, write: true, target: checkinSave},
	}},
}

// ceilingScenarios are the ceiling's two loads.
var ceilingScenarios = []Scenario{
	{Key: "ceiling-read", Name: "ceiling: one indexed row read", requests: []request{{weight: 1, target: ceilingRead}}},
	{Key: "ceiling-insert", Name: "ceiling: one single-row insert", requests: []request{{weight: 1, write: true, target: ceilingInsert}}},
}

// scenario returns the scenario with key, or nil.
func scenario(key string) *Scenario {
	for i := range Scenarios {
		if Scenarios[i].Key == key {
			return &Scenarios[i]
		}
	}
	return nil
}

// targetEnv is what requests are made for: the server's base URL, the signed-in pool (nil for the
// ceiling) and the ceiling's row count.
type targetEnv struct {
	base string
	pool *Pool
	rows int
}

// targeter returns a vegeta targeter that sends sc's mix, each request as a random member of the
// pool. It is safe for concurrent use.
func (sc *Scenario) targeter(e *targetEnv) vegeta.Targeter {
	total := 0
	for _, r := range sc.requests {
		total += r.weight
	}
	return func(t *vegeta.Target) error {
		n := rand.IntN(total)
		for _, r := range sc.requests {
			if n < r.weight {
				var s *Session
				if e.pool != nil {
					s = e.pool.pick()
				}
				r.target(e, s, t)
				return nil
			}
			n -= r.weight
		}
		return nil
	}
}

func dashboardPage(e *targetEnv, s *Session, t *vegeta.Target) {
	*t = vegeta.Target{Method: http.MethodGet, URL: e.base + "/dashboard", Header: s.pageHeader}
}

func progressPage(e *targetEnv, s *Session, t *vegeta.Target) {
	*t = vegeta.Target{Method: http.MethodGet, URL: e.base + "/progress", Header: s.pageHeader}
}

// checkinWeek reads one of the couple's weeks: mostly opened ones from the last half year, sometimes
// this week.
func checkinWeek(e *targetEnv, s *Session, t *vegeta.Target) {
	week := s.Week
	if n := rand.IntN(len(s.Opened) + 1); n < len(s.Opened) {
		week = s.Opened[n]
	}
	*t = vegeta.Target{Method: http.MethodGet, URL: e.base + "/api/v1/checkins/" + week, Header: s.apiHeader}
}

// checkinSave saves the member's draft answers for this week (a draft, so the week never opens and
// every request is a real write).
func checkinSave(e *targetEnv, s *Session, t *vegeta.Target) {
	*t = vegeta.Target{Method: http.MethodPut, URL: e.base + "/api/v1/checkins/" + s.Week + "/mine", Header: s.apiHeader, Body: s.answer}
}

func ceilingRead(e *targetEnv, _ *Session, t *vegeta.Target) {
	*t = vegeta.Target{Method: http.MethodGet, URL: e.base + "/rows/" + strconv.Itoa(rand.IntN(e.rows))}
}

var ceilingBody = []byte(`{"owner":"o17","body":"` + sampleText + `"}`)

func ceilingInsert(e *targetEnv, _ *Session, t *vegeta.Target) {
	*t = vegeta.Target{Method: http.MethodPost, URL: e.base + "/rows", Body: ceilingBody,
		Header: http.Header{"Content-Type": {"application/json"}}}
}

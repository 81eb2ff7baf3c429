package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

func TestCheckinAnswerValidation(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("valid")
	long := strings.Repeat("é", 4001)
	cases := []struct {
		name  string
		body  any
		field string
	}{
		{"trust above 10", map[string]any{"trust": 11}, "trust"},
		{"connection below 0", map[string]any{"connection": -1}, "connection"},
		{"safety far out", map[string]any{"safety": 99999}, "safety"},
		{"a fractional rating", map[string]any{"safety": 7.5}, "safety"},
		{"a rating as text", map[string]any{"trust": "7"}, "trust"},
		{"sharing without ratings", map[string]any{"appreciation": "x", "submit": true}, "trust"},
		{"text too long", map[string]any{"need": long}, "need"},
		{"an agreement this check-in doesn't ask about", map[string]any{"agreements": []any{map[string]any{"agreement_id": "x", "kept": "kept"}}}, "agreements.0.agreement_id"},
		{"not a JSON object", "[1,2]", "body"},
		{"broken JSON", `{"trust":`, "body"},
	}
	for _, tc := range cases {
		r := cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+ciWeek+"/mine", tc.body)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
			continue
		}
		ciWantError(t, r, http.StatusUnprocessableEntity, tc.field)
	}
	if w := ciGetWeek(t, cp.A, ciWeek); w.Mine != nil {
		t.Errorf("an invalid answer was stored: %v", w.Mine)
	}
	// "Not this week" is a valid answer and costs nothing.
	r := ciPut(t, cp.A, ciWeek, map[string]any{"skip": true, "submit": true})
	if !strings.Contains(r.Body, `"skip":true`) || !strings.Contains(r.Body, `"status":"shared"`) {
		t.Errorf("not this week: %s", r.Body)
	}
}

func TestCheckinUnknownWeeksAre404(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("unknown")
	for _, week := range []string{"2026-W99", "2027-W53", "2025-W53", "2026-W49", "2026-w48", "2026-W48x", "latest", "2026-W00", "2020-W10", "%00"} {
		for _, req := range []struct{ method, path string }{
			{http.MethodGet, "/api/v1/checkins/" + week},
			{http.MethodPut, "/api/v1/checkins/" + week + "/mine"},
			{http.MethodPost, "/api/v1/checkins/" + week + "/reflections"},
		} {
			r := cp.A.JSON(req.method, req.path, map[string]any{"trust": 5, "text": "x"})
			if r.Status != http.StatusNotFound {
				t.Errorf("%s %s: %d %s", req.method, req.path, r.Status, r.Body)
			}
		}
		if r := cp.A.Get("/checkins/" + week); r.Status != http.StatusNotFound {
			t.Errorf("page %s: %d", week, r.Status)
		}
	}
}

func TestCheckinAnswersFixedOnceOpened(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciOpened(t, app, "fixed")
	for _, body := range []map[string]any{ciAnswer("CHANGED", 1, 1, 1, true), ciAnswer("CHANGED", 1, 1, 1, false), {"skip": true}} {
		r := cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+ciWeek+"/mine", body)
		e := ciWantError(t, r, http.StatusConflict, "")
		if !strings.Contains(e["message"].(string), "can't be changed") {
			t.Errorf("unclear message: %v", e["message"])
		}
	}
	if w := ciGetWeek(t, cp.B, ciWeek); w.Partner["was_hard"] != "fixed-A-was-hard" {
		t.Errorf("answers changed after opening: %v", w.Partner)
	}
}

// ciRelogin signs both partners in again after the clock moved past their sessions' lifetime.
func ciRelogin(cp testutil.Couple, prefix string) {
	cp.A.LoginAPI(prefix+"-a@example.org", testutil.Password)
	cp.B.LoginAPI(prefix+"-b@example.org", testutil.Password)
}

func TestCheckinWeeksAcrossTheNewYear(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("newyear")
	app.Clock.Set(time.Date(2027, 1, 2, 10, 0, 0, 0, time.UTC)) // Saturday: still 2026-W53
	ciRelogin(cp, "newyear")
	var list struct {
		CurrentWeek string `json:"current_week"`
	}
	cp.A.Get("/api/v1/checkins").JSON(t, &list)
	if list.CurrentWeek != "2026-W53" {
		t.Fatalf("current week on 2 January 2027 = %s", list.CurrentWeek)
	}
	ciPut(t, cp.A, "2026-W53", ciAnswer("W53", 5, 5, 5, false))

	app.Clock.Set(time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC)) // Monday: 2027-W01
	ciRelogin(cp, "newyear")
	cases := []struct {
		week   string
		get    int
		state  string
		putErr int
	}{
		{"2027-W01", 200, "open", 0},
		{"2026-W53", 200, "open", 0}, // last week, across the year change
		{"2026-W52", 200, "sealed", http.StatusConflict},
		{"2026-W48", 200, "sealed", http.StatusConflict}, // the week the couple began
		{"2026-W47", 404, "", http.StatusNotFound},       // before the couple began
		{"2027-W53", 404, "", http.StatusNotFound},       // 2027 has 52 weeks
		{"2027-W02", 404, "", http.StatusNotFound},       // not begun
	}
	for _, tc := range cases {
		r := cp.A.Get("/api/v1/checkins/" + tc.week)
		if r.Status != tc.get {
			t.Errorf("GET %s: %d %s", tc.week, r.Status, r.Body)
			continue
		}
		if tc.get == 200 && !strings.Contains(r.Body, `"state":"`+tc.state+`"`) {
			t.Errorf("GET %s: want state %s: %s", tc.week, tc.state, r.Body)
		}
		put := cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+tc.week+"/mine", ciAnswer("x", 5, 5, 5, false))
		if tc.putErr == 0 && put.Status != http.StatusOK || tc.putErr != 0 && put.Status != tc.putErr {
			t.Errorf("PUT %s: %d %s", tc.week, put.Status, put.Body)
		}
		if put.Status == http.StatusConflict && !strings.Contains(put.Body, "closed") {
			t.Errorf("PUT %s: unclear message %s", tc.week, put.Body)
		}
	}
}

func TestCheckinWeekBoundaryEastOfUTC(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	nz, uk := app.NewCouple("nz"), app.NewCouple("uk")
	if r := nz.A.JSON(http.MethodPatch, "/api/v1/couple", map[string]string{"timezone": "Pacific/Auckland"}); r.Status != http.StatusOK {
		t.Fatalf("set zone: %d %s", r.Status, r.Body)
	}
	// Sunday 29 November, 12:00 UTC: still Sunday in London, already Monday 01:00 in Auckland.
	app.Clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	ciRelogin(nz, "nz")
	ciRelogin(uk, "uk")
	for _, tc := range []struct {
		cl      *testutil.Client
		current string
		next    string
	}{{nz.B, "2026-W49", "2026-W50"}, {uk.B, "2026-W48", "2026-W49"}} {
		var list struct {
			CurrentWeek string `json:"current_week"`
		}
		tc.cl.Get("/api/v1/checkins").JSON(t, &list)
		if list.CurrentWeek != tc.current {
			t.Errorf("current week = %s, want %s", list.CurrentWeek, tc.current)
		}
		ciPut(t, tc.cl, tc.current, ciAnswer("boundary", 5, 5, 5, false))
		if r := tc.cl.Get("/api/v1/checkins/" + tc.next); r.Status != http.StatusNotFound {
			t.Errorf("%s is not yet a week: %d", tc.next, r.Status)
		}
	}
	// Monday 30 November 01:00 in Auckland: the Auckland couple's previous week is still open.
	ciPut(t, nz.A, "2026-W48", ciAnswer("nz-last-week", 5, 5, 5, false))
}

// FuzzCheckinAnswerBody: whatever the body of PUT /checkins/{week}/mine, the answer is 200 or 422, never
// a 5xx (SECURITY F2).
func FuzzCheckinAnswerBody(f *testing.F) {
	for _, s := range []string{`{}`, `{"trust":11}`, `{"safety":7,"submit":true}`, `{"agreements":[{"agreement_id":1}]}`,
		`{"appreciation":"\u0000"}`, `[]`, `null`, `{"trust":1e999}`, "\xff"} {
		f.Add(s)
	}
	app := testutil.NewApp(f)
	cp := app.NewCouple("fuzz")
	f.Fuzz(func(t *testing.T, body string) {
		app.T = t // the clients report through the running input's T (f.Helper may not be called here)
		r := cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+ciWeek+"/mine", body)
		if r.Status != http.StatusOK && r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("%q: %d %s", body, r.Status, r.Body)
		}
	})
}

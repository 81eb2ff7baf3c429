package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// A week key always addresses the caller's own couple's week, so "another couple's week" can only be
// asked for with a key that is valid for the owner and not for the caller. The rows therefore move the
// owner couple to Pacific/Auckland and the clock to Sunday 29 November 2026, 12:00 UTC: already Monday
// of 2026-W49 in Auckland, still Sunday of 2026-W48 in London (the other couple's zone). 2026-W49 is the
// owner's current week and, for the other couple, a week that has not begun: 404, exactly like a missing
// one. Reflection ids are also tried under 2026-W48, a key valid for both couples, so the id alone must not
// reach across couples. API sessions outlive the four days the clock moves.

const (
	ciC2Text     = "CI-C2-PRIVATE"
	ciC2OwnWeek  = "2026-W49" // the owner's current week; not begun for the other couple
	ciC2BothWeek = "2026-W48" // a week key both couples have
)

var ciC2Sunday = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// ciC2Open makes sure the couple's week has opened with a reflection from B, and returns its id.
func ciC2Open(t *testing.T, cp testutil.Couple, week, tag string) string {
	t.Helper()
	for _, cl := range []*testutil.Client{cp.A, cp.B} {
		r := cl.JSON(http.MethodPut, "/api/v1/checkins/"+week+"/mine", ciAnswer(tag, 5, 5, 5, true))
		if r.Status != http.StatusOK && r.Status != http.StatusConflict {
			t.Fatalf("answers for %s: %d %s", week, r.Status, r.Body)
		}
	}
	w := ciGetWeek(t, cp.A, week)
	if len(w.Reflections) == 0 {
		if r := cp.B.JSON(http.MethodPost, "/api/v1/checkins/"+week+"/reflections", map[string]string{"text": tag + " heard"}); r.Status != http.StatusCreated {
			t.Fatalf("reflection: %d %s", r.Status, r.Body)
		}
		w = ciGetWeek(t, cp.A, week)
	}
	return w.Reflections[0]["id"].(string)
}

// ciC2Prepare moves the owner couple to Auckland and the clock to ciC2Sunday, opens the owner's two weeks
// with a reflection each, and returns the reflection ids by week.
func ciC2Prepare(t *testing.T, app *testutil.App, owner testutil.Couple) map[string]string {
	t.Helper()
	if r := owner.A.JSON(http.MethodPatch, "/api/v1/couple", map[string]string{"timezone": "Pacific/Auckland"}); r.Status != http.StatusOK {
		t.Fatalf("owner zone: %d %s", r.Status, r.Body)
	}
	if app.Clock.Now().Before(ciC2Sunday) {
		app.Clock.Set(ciC2Sunday)
	}
	return map[string]string{
		ciC2OwnWeek:  ciC2Open(t, owner, ciC2OwnWeek, ciC2Text),
		ciC2BothWeek: ciC2Open(t, owner, ciC2BothWeek, ciC2Text),
	}
}

// ciC2Unchanged checks the owner's weeks are as the owner left them.
func ciC2Unchanged(t *testing.T, _ *testutil.App, owner testutil.Couple) {
	t.Helper()
	for _, week := range []string{ciC2OwnWeek, ciC2BothWeek} {
		w := ciGetWeek(t, owner.A, week)
		if w.State != "opened" || w.Mine["was_hard"] != ciC2Text+"-was-hard" || len(w.Reflections) != 1 ||
			w.Reflections[0]["accurate"] != nil || w.Reflections[0]["validation"] != "" {
			t.Errorf("the owner's %s changed: %+v", week, w)
		}
	}
}

// ciC2Row is a row whose path is built from the owner's reflection ids by week.
func ciC2Row(name, method, route string, path func(ids map[string]string) string, body any) crossCoupleCase {
	return crossCoupleCase{
		Name: "checkins: " + name, Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			return path(ciC2Prepare(t, app, owner)), body
		},
		Check: ciC2Unchanged,
	}
}

// ciC2Timeout is a row over the owner's current time-out.
func ciC2Timeout(method, route string) crossCoupleCase {
	return crossCoupleCase{
		Name: "checkins: " + method + " " + route, Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			ciC2Prepare(t, app, owner)
			if r := owner.A.Get("/api/v1/timeouts/current"); r.Status == http.StatusNotFound {
				until := app.Clock.Now().Add(2 * time.Hour).Format(time.RFC3339)
				if r := owner.A.JSON(http.MethodPost, "/api/v1/timeouts", map[string]string{"until": until, "note": ciC2Text}); r.Status != http.StatusCreated {
					t.Fatalf("owner time-out: %d %s", r.Status, r.Body)
				}
			}
			return route, nil
		},
		Check: func(t *testing.T, app *testutil.App, owner testutil.Couple) {
			if r := owner.B.Get("/api/v1/timeouts/current"); r.Status != http.StatusOK || !strings.Contains(r.Body, ciC2Text) {
				t.Errorf("the owner's time-out changed: %d %s", r.Status, r.Body)
			}
		},
	}
}

func init() {
	own := func(p string) func(map[string]string) string {
		return func(map[string]string) string { return strings.ReplaceAll(p, ":week", ciC2OwnWeek) }
	}
	refl := func(prefix, week, suffix string) func(map[string]string) string {
		return func(ids map[string]string) string {
			return prefix + "/checkins/" + week + "/reflections/" + ids[week] + suffix
		}
	}
	row := func(method, route string, path func(map[string]string) string, body any) crossCoupleCase {
		return ciC2Row(method+" "+route, method, route, path, body)
	}
	sameKey := func(method, route, prefix, suffix string, body any) crossCoupleCase {
		return ciC2Row(method+" "+route+" (a week key both have)", method, route, refl(prefix, ciC2BothWeek, suffix), body)
	}
	addCrossCouple(
		row("GET", "/api/v1/checkins/:week", own("/api/v1/checkins/:week"), nil),
		row("PUT", "/api/v1/checkins/:week/mine", own("/api/v1/checkins/:week/mine"), ciAnswer("taken over", 1, 1, 1, true)),
		row("POST", "/api/v1/checkins/:week/reflections", own("/api/v1/checkins/:week/reflections"), map[string]string{"text": "taken over"}),
		row("POST", "/api/v1/checkins/:week/reflections/:id/response", refl("/api/v1", ciC2OwnWeek, "/response"), map[string]any{"accurate": true}),
		row("POST", "/api/v1/checkins/:week/reflections/:id/validation", refl("/api/v1", ciC2OwnWeek, "/validation"), map[string]string{"text": "taken over"}),
		row("GET", "/checkins/:week", own("/checkins/:week"), nil),
		row("POST", "/checkins/:week", own("/checkins/:week"), testutil.Form("appreciation", "taken over", "action", "share")),
		row("POST", "/checkins/:week/reflections", own("/checkins/:week/reflections"), testutil.Form("heard", "taken over")),
		row("POST", "/checkins/:week/reflections/:id/response", refl("", ciC2OwnWeek, "/response"), testutil.Form("accurate", "yes")),
		row("POST", "/checkins/:week/reflections/:id/validation", refl("", ciC2OwnWeek, "/validation"), testutil.Form("reply", "taken over")),
		sameKey("POST", "/api/v1/checkins/:week/reflections/:id/response", "/api/v1", "/response", map[string]any{"accurate": true}),
		sameKey("POST", "/api/v1/checkins/:week/reflections/:id/validation", "/api/v1", "/validation", map[string]string{"text": "x"}),
		sameKey("POST", "/checkins/:week/reflections/:id/response", "", "/response", testutil.Form("accurate", "yes")),
		sameKey("POST", "/checkins/:week/reflections/:id/validation", "", "/validation", testutil.Form("reply", "x")),
		ciC2Timeout("GET", "/api/v1/timeouts/current"),
		ciC2Timeout("POST", "/api/v1/timeouts/current/end"),
	)
}

// TestCheckinsCrossCouple runs the check-in rows of the cross-couple table (SECURITY C2) and checks that
// every check-in route taking a week or an id has a row.
func TestCheckinsCrossCouple(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	owner, other := app.NewCouple("ci-c2-owner"), app.NewCouple("ci-c2-other")
	ciC2Prepare(t, app, owner)
	// Unlike the shared runner, the other couple's own 2026-W48 has opened too, so the same-key rows
	// reach the reflection lookup itself.
	ciC2Open(t, other, ciC2BothWeek, "other couple")
	covered := map[string]bool{}
	for _, tc := range crossCoupleCases {
		if !strings.HasPrefix(tc.Name, "checkins: ") {
			continue
		}
		covered[tc.Method+" "+tc.Route] = true
		t.Run(tc.Name, func(t *testing.T) {
			path, body := tc.Setup(t, app, owner)
			var r *testutil.Response
			if form, ok := body.(testutil.Values); ok {
				r = other.A.PostForm(path, form)
			} else {
				r = other.A.JSON(tc.Method, path, body)
			}
			if r.Status != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404: %.300s", tc.Method, path, r.Status, r.Body)
			}
			ciMustNotContain(t, tc.Method+" "+path, r.Body, ciC2Text)
			if tc.Check != nil {
				tc.Check(t, app, owner)
			}
		})
	}
	for _, r := range app.Server.App().GetRoutes(true) {
		scoped := strings.Contains(r.Path, "checkins/:week") || strings.HasPrefix(r.Path, "/api/v1/timeouts/current")
		if r.Method != http.MethodHead && scoped && !covered[r.Method+" "+r.Path] {
			t.Errorf("no cross-couple row for %s %s", r.Method, r.Path)
		}
	}
	// The other couple's own lists, pages and dashboard show nothing of the owner's.
	for _, p := range []string{"/api/v1/checkins", "/checkins", "/checkins/" + ciC2BothWeek, "/dashboard", "/api/v1/checkins/" + ciC2BothWeek} {
		if r := other.A.Get(p); r.Status != http.StatusOK || strings.Contains(r.Body, ciC2Text) {
			t.Errorf("GET %s: %d, leaks: %v", p, r.Status, strings.Contains(r.Body, ciC2Text))
		}
	}
	// Ending "the current pause" as the other couple did not end the owner's.
	if r := other.B.JSON(http.MethodPost, "/api/v1/timeouts/current/end", nil); r.Status != http.StatusNotFound {
		t.Errorf("other couple ending a pause: %d", r.Status)
	}
}

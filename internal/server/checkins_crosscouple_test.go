package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/testutil"
)

// A week key always addresses the caller's own couple's week, so another couple's week can only be asked
// for by a key that is valid for the owner and not for the caller. The check-in rows therefore use the
// owner's opened week 2026-W48 while the other couple starts two weeks later, when 2026-W48 is both closed
// and from before their couple began: 404, exactly like a week that does not exist.

const ciC2Text = "CI-C2-PRIVATE"

// ciC2Open makes sure the couple's week has opened with a reflection from B, and returns its id.
func ciC2Open(t *testing.T, cp testutil.Couple, week, tag string) string {
	t.Helper()
	for _, cl := range []*testutil.Client{cp.A, cp.B} {
		r := cl.JSON(http.MethodPut, "/api/v1/checkins/"+week+"/mine", ciAnswer(tag, 5, 5, 5, true))
		if r.Status != http.StatusOK && r.Status != http.StatusConflict {
			t.Fatalf("answers: %d %s", r.Status, r.Body)
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

// ciC2Owner makes sure the owner's 2026-W48 has opened with a reflection, and returns its id.
func ciC2Owner(t *testing.T, owner testutil.Couple) string {
	return ciC2Open(t, owner, ciWeek, ciC2Text)
}

// ciThisWeek is the current week of a couple in Europe/London (testutil.NewCouple's zone).
func ciThisWeek(app *testutil.App) string { return checkin.WeekOf(app.Clock.Now(), london).String() }

var london = mustZone("Europe/London")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// ciC2SameWeek is a row over a reflection in the owner's current week, a week key the other couple has
// too (opened, in the check-in runner): the reflection id alone must not reach across couples.
func ciC2SameWeek(method, route, prefix, suffix string, body any) crossCoupleCase {
	return crossCoupleCase{
		Name: "checkins: " + method + " " + route + " (same week key)", Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			week := ciThisWeek(app)
			return prefix + "/checkins/" + week + "/reflections/" + ciC2Open(t, owner, week, ciC2Text) + suffix, body
		},
		Check: func(t *testing.T, app *testutil.App, owner testutil.Couple) {
			w := ciGetWeek(t, owner.A, ciThisWeek(app))
			if len(w.Reflections) != 1 || w.Reflections[0]["accurate"] != nil || w.Reflections[0]["validation"] != "" {
				t.Errorf("the owner's reflection changed: %+v", w.Reflections)
			}
		},
	}
}

// ciC2Unchanged checks the owner's week is as the owner left it.
func ciC2Unchanged(t *testing.T, _ *testutil.App, owner testutil.Couple) {
	t.Helper()
	w := ciGetWeek(t, owner.A, ciWeek)
	if w.State != "opened" || w.Mine["was_hard"] != ciC2Text+"-was-hard" || len(w.Reflections) != 1 ||
		w.Reflections[0]["accurate"] != nil || w.Reflections[0]["validation"] != "" {
		t.Errorf("the owner's week changed: %+v", w)
	}
}

func ciC2Row(method, route string, path func(reflectionID string) string, body any) crossCoupleCase {
	return crossCoupleCase{
		Name: "checkins: " + method + " " + route, Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			return path(ciC2Owner(t, owner)), body
		},
		Check: ciC2Unchanged,
	}
}

// ciC2Timeout is a row over the owner's current time-out.
func ciC2Timeout(method, route string) crossCoupleCase {
	return crossCoupleCase{
		Name: "checkins: " + method + " " + route, Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
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
	week := func(suffix string) func(string) string {
		return func(string) string { return "/checkins/" + ciWeek + suffix }
	}
	refl := func(prefix, suffix string) func(string) string {
		return func(id string) string { return prefix + "/checkins/" + ciWeek + "/reflections/" + id + suffix }
	}
	api := func(suffix string) func(string) string {
		return func(string) string { return "/api/v1/checkins/" + ciWeek + suffix }
	}
	addCrossCouple(
		ciC2Row("GET", "/api/v1/checkins/:week", api(""), nil),
		ciC2Row("PUT", "/api/v1/checkins/:week/mine", api("/mine"), ciAnswer("taken over", 1, 1, 1, true)),
		ciC2Row("POST", "/api/v1/checkins/:week/reflections", api("/reflections"), map[string]string{"text": "taken over"}),
		ciC2Row("POST", "/api/v1/checkins/:week/reflections/:id/response", refl("/api/v1", "/response"), map[string]any{"accurate": true}),
		ciC2Row("POST", "/api/v1/checkins/:week/reflections/:id/validation", refl("/api/v1", "/validation"), map[string]string{"text": "taken over"}),
		ciC2Row("GET", "/checkins/:week", week(""), nil),
		ciC2Row("POST", "/checkins/:week", week(""), testutil.Form("appreciation", "taken over", "action", "share")),
		ciC2Row("POST", "/checkins/:week/reflections", week("/reflections"), testutil.Form("heard", "taken over")),
		ciC2Row("POST", "/checkins/:week/reflections/:id/response", refl("", "/response"), testutil.Form("accurate", "yes")),
		ciC2Row("POST", "/checkins/:week/reflections/:id/validation", refl("", "/validation"), testutil.Form("reply", "taken over")),
		ciC2SameWeek("POST", "/api/v1/checkins/:week/reflections/:id/response", "/api/v1", "/response", map[string]any{"accurate": true}),
		ciC2SameWeek("POST", "/api/v1/checkins/:week/reflections/:id/validation", "/api/v1", "/validation", map[string]string{"text": "x"}),
		ciC2SameWeek("POST", "/checkins/:week/reflections/:id/response", "", "/response", testutil.Form("accurate", "yes")),
		ciC2SameWeek("POST", "/checkins/:week/reflections/:id/validation", "", "/validation", testutil.Form("reply", "x")),
		ciC2Timeout("GET", "/api/v1/timeouts/current"),
		ciC2Timeout("POST", "/api/v1/timeouts/current/end"),
	)
}

// TestCheckinsCrossCouple runs the check-in rows of the cross-couple table (SECURITY C2) and checks that
// every check-in route taking a week or an id has a row.
func TestCheckinsCrossCouple(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	owner := app.NewCouple("ci-c2-owner")
	ciC2Owner(t, owner)
	app.Clock.Advance(15 * 24 * time.Hour) // 2026-12-10, in 2026-W50
	ciRelogin(owner, "ci-c2-owner")
	other := app.NewCouple("ci-c2-other")
	ciC2Open(t, other, ciThisWeek(app), "other couple")
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
	for _, p := range []string{"/api/v1/checkins", "/checkins", "/checkins/2026-W50", "/dashboard", "/api/v1/checkins/2026-W50"} {
		if r := other.A.Get(p); r.Status != http.StatusOK || strings.Contains(r.Body, ciC2Text) {
			t.Errorf("GET %s: %d, leaks: %v", p, r.Status, strings.Contains(r.Body, ciC2Text))
		}
	}
	// Ending "the current pause" as the other couple did not end the owner's.
	if r := other.B.JSON(http.MethodPost, "/api/v1/timeouts/current/end", nil); r.Status != http.StatusNotFound {
		t.Errorf("other couple ending a pause: %d", r.Status)
	}
}

package server_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// ciViews are the routes through which a check-in could be seen.
var ciViews = []string{
	"/api/v1/checkins", "/api/v1/checkins/" + ciWeek, "/api/v1/timeouts/current",
	"/checkins", "/checkins/" + ciWeek, "/dashboard", "/api/v1/me/export",
}

// ciVarying matches what differs between any two requests: request ids and per-request CSRF tokens
// (bearer clients keep no CSRF cookie).
var ciVarying = regexp.MustCompile(`"request_id":"[^"]*"|name="csrf-token" content="[^"]*"|name="_csrf" value="[^"]*"`)

// ciSnapshot fetches every view as cl: status and body per path, with request ids and tokens blanked.
func ciSnapshot(cl *testutil.Client) map[string]string {
	out := map[string]string{}
	for _, p := range ciViews {
		r := cl.Get(p)
		out[p] = http.StatusText(r.Status) + "\n" + ciVarying.ReplaceAllString(r.Body, "")
	}
	return out
}

// TestCheckinSealedActorMatrix: before both share, nothing reveals A's answers, or even whether A wrote
// anything, to B, to another couple or to an anonymous visitor (SECURITY C3). Every text field carries a
// canary; B's view must be byte-identical before A writes, after A's draft and after A shares.
func TestCheckinSealedActorMatrix(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("seal")
	other := app.NewCouple("sealother")
	anon := app.Client()
	canaries := []string{"CANARY-A-appreciation", "CANARY-A-went-well", "CANARY-A-was-hard", "CANARY-A-need", "CANARY-A"}
	actors := map[string]*testutil.Client{"partner": cp.B, "other couple": other.A, "anonymous": anon}
	ciReauth(t, cp.B) // for the export
	ciReauth(t, other.A)
	before := map[string]map[string]string{}
	for name, cl := range actors {
		before[name] = ciSnapshot(cl)
	}
	for _, p := range []string{"/api/v1/me/export", "/dashboard", "/checkins/" + ciWeek} {
		if !strings.HasPrefix(before["partner"][p], "OK\n") {
			t.Fatalf("B's GET %s does not answer: %.200s", p, before["partner"][p])
		}
	}
	if !strings.Contains(before["partner"]["/dashboard"], "checkins-card") {
		t.Fatal("the dashboard has no check-in card")
	}
	steps := []struct {
		name string
		body map[string]any
	}{
		{"A saves a draft", ciAnswer("CANARY-A", 3, 4, 7, false)},
		{"A shares", ciAnswer("CANARY-A", 3, 4, 7, true)},
		{"A edits the shared answers", ciAnswer("CANARY-A-again", 2, 2, 2, true)},
	}
	for _, st := range steps {
		ciPut(t, cp.A, ciWeek, st.body)
		for name, cl := range actors {
			now := ciSnapshot(cl)
			for _, p := range ciViews {
				ciMustNotContain(t, st.name+": "+name+" GET "+p, now[p], canaries...)
				if now[p] != before[name][p] {
					t.Errorf("%s: %s's GET %s changed (reveals that A wrote something):\nbefore: %.400s\nafter:  %.400s",
						st.name, name, p, before[name][p], now[p])
				}
			}
		}
		mine := ciGetWeek(t, cp.A, ciWeek)
		if mine.Mine == nil || !strings.HasPrefix(mine.Mine["was_hard"].(string), "CANARY-A") || mine.Partner != nil {
			t.Fatalf("%s: the author's own view: %+v", st.name, mine)
		}
		page := cp.A.Get("/checkins/" + ciWeek)
		if !strings.Contains(page.Body, "CANARY-A") {
			t.Errorf("%s: the author's page does not show their own text", st.name)
		}
	}
	for _, p := range ciViews {
		if r := anon.Get(p); r.Status != http.StatusUnauthorized && r.Status != http.StatusSeeOther {
			t.Errorf("anonymous GET %s: %d", p, r.Status)
		}
	}
	if r := cp.B.JSON(http.MethodPost, "/api/v1/checkins/"+ciWeek+"/reflections", map[string]string{"text": "guess"}); r.Status != http.StatusConflict {
		t.Errorf("reflecting before opening: %d %s", r.Status, r.Body)
	} else {
		ciMustNotContain(t, "reflection refusal", r.Body, canaries...)
	}

	// B shares: the week opens for both at once.
	ciPut(t, cp.B, ciWeek, ciAnswer("CANARY-B", 8, 9, 6, true))
	for name, who := range map[string]struct {
		cl     *testutil.Client
		theirs string
	}{"A": {cp.A, "CANARY-B-was-hard"}, "B": {cp.B, "CANARY-A-again-was-hard"}} {
		w := ciGetWeek(t, who.cl, ciWeek)
		if w.State != "opened" || w.Partner == nil || w.Partner["was_hard"] != who.theirs {
			t.Errorf("%s after both shared: %+v", name, w)
		}
		if page := who.cl.Get("/checkins/" + ciWeek); !strings.Contains(page.Body, who.theirs) {
			t.Errorf("%s's page does not show the partner's opened answers", name)
		}
	}
	for _, p := range ciViews {
		ciMustNotContain(t, "other couple GET "+p+" after opening", other.A.Get(p).Body, "CANARY")
		ciMustNotContain(t, "anonymous GET "+p+" after opening", anon.Get(p).Body, "CANARY")
	}
}

var ciSafetySeven = []*regexp.Regexp{
	regexp.MustCompile(`"safety"\s*:\s*7\b`),
	regexp.MustCompile(`\b7 out of 10\b`),
}

// TestCheckinSafetyNeverReachesThePartner: A's safety rating (7, a value nothing else uses) is searched for
// in every response B can get, before and after opening, and after reflections.
func TestCheckinSafetyNeverReachesThePartner(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("safe")
	ciPut(t, cp.A, ciWeek, ciAnswer("SAFE-A", 3, 4, 7, true))
	ciPut(t, cp.B, ciWeek, ciAnswer("SAFE-B", 8, 9, 6, false))
	ciReauth(t, cp.B)
	ciReauth(t, cp.A)
	check := func(stage string) {
		t.Helper()
		for _, p := range append(ciViews, "/checkins/"+ciWeek+"?saved=shared") {
			body := cp.B.Get(p).Body
			for _, re := range ciSafetySeven {
				if re.MatchString(body) {
					t.Errorf("%s: B's GET %s carries A's safety rating (%s)", stage, p, re)
				}
			}
		}
	}
	check("sealed")
	r := ciPut(t, cp.B, ciWeek, ciAnswer("SAFE-B", 8, 9, 6, true))
	if strings.Contains(r.Body, `"safety":7`) {
		t.Error("B's PUT response carries A's safety rating")
	}
	w := ciGetWeek(t, cp.B, ciWeek)
	if w.Partner == nil {
		t.Fatal("the week did not open")
	}
	if _, ok := w.Partner["safety"]; ok {
		t.Errorf("the partner object has a safety field: %v", w.Partner)
	}
	if w.Mine["safety"] != float64(6) || w.Partner["trust"] != float64(3) {
		t.Errorf("B's own safety or A's trust missing: mine %v partner %v", w.Mine, w.Partner)
	}
	check("opened")
	id := ciReflect(t, cp.B, ciWeek, "I heard SAFE-A")
	if r := cp.A.JSON(http.MethodPost, "/api/v1/checkins/"+ciWeek+"/reflections/"+id+"/response", map[string]any{"accurate": true}); r.Status != http.StatusOK {
		t.Fatalf("respond: %d %s", r.Status, r.Body)
	}
	check("after reflecting")
	page := cp.B.Get("/checkins/" + ciWeek).Body
	if n := strings.Count(page, "How safe I feel"); n != 1 {
		t.Errorf("B's opened page shows %d safety ratings, want only B's own", n)
	}
	if !strings.Contains(page, "6 out of 10") {
		t.Error("B's page does not show B's own safety rating")
	}
	// The same holds the other way round.
	for _, p := range ciViews {
		if body := cp.A.Get(p).Body; strings.Contains(body, `"safety":6`) || strings.Contains(body, "6 out of 10") {
			t.Errorf("A's GET %s carries B's safety rating", p)
		}
	}
}

// TestCheckinLowSafetyIsPrivate: a safety answer of 3 or less shows a calm card with help to its author
// only, and nothing changes for the partner.
func TestCheckinLowSafetyIsPrivate(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("low")
	ciReauth(t, cp.B)
	before := ciSnapshot(cp.B)
	ciPut(t, cp.A, ciWeek, ciAnswer("LOW-A", 5, 5, 2, false))
	for _, p := range []string{"/checkins", "/checkins/" + ciWeek} {
		body := cp.A.Get(p).Body
		if !strings.Contains(body, `id="safety-card"`) || !strings.Contains(body, `href="/safety"`) {
			t.Errorf("A's %s lacks the private safety card", p)
		}
	}
	if body := cp.A.Get("/dashboard").Body; !strings.Contains(body, "checkins-card") || !strings.Contains(body, "less safe") {
		t.Error("A's dashboard card does not mention the safety help")
	}
	after := ciSnapshot(cp.B)
	for _, p := range ciViews {
		if before[p] != after[p] {
			t.Errorf("A's low safety answer changed B's GET %s", p)
		}
		ciMustNotContain(t, "B's GET "+p, after[p], "safety-card", "less safe")
	}
	ciPut(t, cp.A, ciWeek, ciAnswer("LOW-A", 5, 5, 5, false))
	if strings.Contains(cp.A.Get("/checkins/"+ciWeek).Body, `id="safety-card"`) {
		t.Error("the safety card stayed after a higher answer")
	}
}

// TestCheckinAPIShapes checks the DESIGN §3.2 rows: field names and the named keys.
func TestCheckinAPIShapes(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciOpened(t, app, "shape")
	r := cp.A.Get("/api/v1/checkins")
	var list struct {
		CurrentWeek string `json:"current_week"`
		Weeks       []struct {
			Week, State string
		} `json:"weeks"`
	}
	r.JSON(t, &list)
	if list.CurrentWeek != ciWeek || len(list.Weeks) != 2 || list.Weeks[0].Week != ciWeek || list.Weeks[0].State != "opened" ||
		list.Weeks[1].Week != "2026-W47" || list.Weeks[1].State != "open" {
		t.Errorf("GET /checkins = %s", r.Body)
	}
	var top map[string]json.RawMessage
	cp.A.Get("/api/v1/checkins/"+ciWeek).JSON(t, &top)
	for _, k := range []string{"week", "state", "mine", "partner", "reflections"} {
		if _, ok := top[k]; !ok {
			t.Errorf("GET /checkins/{week} lacks %q", k)
		}
	}
	w := ciGetWeek(t, cp.A, "2026-W47")
	if w.State != "open" || w.Mine != nil || w.Partner != nil || w.Reflections == nil {
		t.Errorf("an unanswered week: %+v", w)
	}
}

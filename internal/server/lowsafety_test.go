package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// lowSafetyPages are the couple pages a person can visit, each checked for suggestions of joint exercises
// while that person's latest safety answer is low (DESIGN §2.4). {agreement} stands for one of the
// couple's agreements, {week} for the check-in week answered and {month} for the monthly look's week.
// Every couple page belongs in this one list.
var lowSafetyPages = []string{
	"/dashboard", "/couple", "/agreements", "/agreements/new", "/agreements/{agreement}",
	"/acknowledgment", "/acknowledgment/preview", "/plan", "/moments", "/progress", "/checkins", "/checkins/{week}",
	"/monthly", "/checkins/{month}/monthly",
}

// jointPushMarkers are what a suggestion of a joint exercise looks like on a page: the suggest-joint class,
// which templates put on every such suggestion, and the words of the ones people met.
var jointPushMarkers = []string{
	"suggest-joint", "Read together", "worth a check-in", "worth a calm check-in", "What I heard",
	"It may be time to talk to someone together", "Would you like to look into it together",
	"worth a calm word at your next check-in",
}

// lowSafetyVisit fetches every page of lowSafetyPages as cl and returns each page's body by path.
func lowSafetyVisit(t *testing.T, cl *testutil.Client, agreementID string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range lowSafetyPages {
		path := strings.NewReplacer("{agreement}", agreementID, "{week}", ciWeek, "{month}", mlWeek).Replace(p)
		if agreementID == "" && strings.Contains(p, "{agreement}") {
			continue
		}
		r := cl.Get(path)
		planWantStatus(t, r, http.StatusOK, "GET "+path)
		out[path] = r.Body
	}
	return out
}

// TestLowSafetyPushesNoJointExerciseOnAnyPage: while A's latest safety answer is 3 or less, no page of
// A's suggests a joint exercise (the home page's next step, the plan's emphasis, the progress notes, the
// cards, the monthly look), though the joint features stay there to use; B, whose latest answer is
// higher, sees the suggestions, which shows the markers are real. Both weeks opened with trust far
// apart, so the "see this differently" note applies to both. A week later, in December's monthly week,
// both share a monthly look (a trend for each) and each has an acknowledgment draft to preview.
func TestLowSafetyPushesNoJointExerciseOnAnyPage(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("lowpages")
	// A's earlier answer was high and the latest is low; B's the other way round.
	ciPut(t, cp.A, "2026-W47", ciAnswer("LP-A-47", 2, 3, 8, true))
	ciPut(t, cp.B, "2026-W47", ciAnswer("LP-B-47", 8, 8, 2, true))
	ciPut(t, cp.A, ciWeek, ciAnswer("LP-A-48", 2, 3, 2, true))
	ciPut(t, cp.B, ciWeek, ciAnswer("LP-B-48", 8, 8, 8, true))
	app.Clock.Set(mlNow)
	cp.A, cp.B = app.Client(), app.Client()
	cp.A.LoginAPI("lowpages-a@example.org", testutil.Password)
	cp.B.LoginAPI("lowpages-b@example.org", testutil.Password)
	for _, cl := range []*testutil.Client{cp.A, cp.B} {
		planWantStatus(t, cl.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(5, 5, 5, 5, 5, true)), http.StatusOK, "monthly look")
		planWantStatus(t, cl.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": "A draft.", "share": false}), http.StatusOK, "acknowledgment draft")
	}
	a := planBrowser(t, app, "lowpages", "a")
	b := planBrowser(t, app, "lowpages", "b")

	check := func(agreementID string) {
		t.Helper()
		pushed := 0
		for path, body := range lowSafetyVisit(t, b, agreementID) {
			for _, m := range jointPushMarkers {
				if strings.Contains(body, m) {
					pushed++
					t.Logf("B's %s suggests a joint exercise (%q), as it may", path, m)
					break
				}
			}
		}
		if pushed < 3 {
			t.Errorf("only %d of B's pages suggest a joint exercise; the markers are not what the pages show", pushed)
		}
		for path, body := range lowSafetyVisit(t, a, agreementID) {
			for _, m := range jointPushMarkers {
				if strings.Contains(body, m) {
					t.Errorf("A's %s suggests a joint exercise while A's safety answer is low: %q", path, m)
				}
			}
		}
	}
	for _, want := range []struct{ path, text string }{
		{"/dashboard", `href="/safety`},
		{"/plan", `name="field" value="done"`},
		{"/plan", `action="/plan/therapy"`},
		{"/progress", "chart-trust"},
		{"/monthly", `class="repair-trend"`},
	} {
		if body := a.Get(want.path).Body; !strings.Contains(body, want.text) {
			t.Errorf("A's %s lacks %q: the safety help, or a joint feature that should stay usable", want.path, want.text)
		}
	}
	check("")
	ag := proposeAPI(t, cp.B, honesty("Tell each other the truth"))
	check(ag.ID)

	var progress struct {
		Divergence struct {
			Show bool `json:"show"`
		} `json:"divergence"`
	}
	cp.A.JSON(http.MethodGet, "/api/v1/progress", nil).JSON(t, &progress)
	if progress.Divergence.Show {
		t.Error("A's GET /api/v1/progress suggests a check-in about seeing things differently")
	}
	cp.B.JSON(http.MethodGet, "/api/v1/progress", nil).JSON(t, &progress)
	if !progress.Divergence.Show {
		t.Error("B's GET /api/v1/progress lacks the divergence note")
	}
}

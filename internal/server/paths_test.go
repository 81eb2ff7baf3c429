package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

var homePathRe = regexp.MustCompile(`(?s)<section class="card home-path"[^>]*>.*?</section>`)

// homePath returns the home page's block of the next step on the user's path.
func homePath(t *testing.T, cl *testutil.Client, what string) string {
	t.Helper()
	r := cl.Get("/dashboard")
	planWantStatus(t, r, http.StatusOK, what)
	block := homePathRe.FindString(r.Body)
	if block == "" {
		t.Fatalf("%s: no path block on the home page", what)
	}
	return block
}

func setRole(t *testing.T, cl *testutil.Client, role string) {
	t.Helper()
	planWantStatus(t, cl.JSON(http.MethodPatch, "/api/v1/couple", map[string]string{"role": role}), http.StatusOK, "set role "+role)
}

func wantIn(t *testing.T, what, block string, in, out []string) {
	t.Helper()
	for _, s := range in {
		if !strings.Contains(block, s) {
			t.Errorf("%s: lacks %q:\n%s", what, s, block)
		}
	}
	for _, s := range out {
		if strings.Contains(block, s) {
			t.Errorf("%s: has %q:\n%s", what, s, block)
		}
	}
}

// neverNamesInaction are what a line about the partner's inaction would look like (DESIGN §1).
var neverNamesInaction = []string{"hasn't", "has not", "haven't", "yet to", "still waiting"}

// TestHomeNextStepByRole: the home page offers one calm next step on the user's own path: the trigger
// log and a question (while the questions are open) for the partner who was hurt; a waiting question,
// else the acknowledgment, for the one who broke trust; both paths without a role. Each links its
// guide; nothing locks, and nothing names what the partner has not done.
func TestHomeNextStepByRole(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "hpath")
	a := planBrowser(t, ps.app, "hpath", "a")
	b := planBrowser(t, ps.app, "hpath", "b")

	none := homePath(t, a, "no role")
	wantIn(t, "no role", none, []string{`href="/guide/for-the-hurt-partner"`, `href="/guide/for-the-partner-who-broke-trust"`,
		`href="/triggers"`, `href="/acknowledgment"`, `href="/couple#role-heading"`}, neverNamesInaction)

	setRole(t, ps.cp.A, "prefer_not")
	pn := homePath(t, a, "prefer not to say")
	wantIn(t, "prefer not to say", pn, []string{`href="/guide/for-the-hurt-partner"`, `href="/guide/for-the-partner-who-broke-trust"`}, []string{`href="/couple#role-heading"`})

	setRole(t, ps.cp.B, "hurt")
	hurt := homePath(t, b, "hurt")
	wantIn(t, "hurt", hurt, []string{`href="/guide/for-the-hurt-partner"`, `href="/triggers"`, `href="/questions"`},
		append([]string{`href="/guide/for-the-partner-who-broke-trust"`, `href="/acknowledgment"`}, neverNamesInaction...))

	setRole(t, ps.cp.A, "broke_trust")
	broke := homePath(t, a, "broke trust")
	wantIn(t, "broke trust", broke, []string{`href="/guide/for-the-partner-who-broke-trust"`, `href="/acknowledgment"`},
		append([]string{`href="/guide/for-the-hurt-partner"`, "A question is waiting"}, neverNamesInaction...))

	// B asks; the question waits for A's answer, and A's next step is to answer it.
	planWantStatus(t, ps.cp.B.JSON(http.MethodPost, "/api/v1/questions", map[string]any{"text": "Who else knew?"}), http.StatusCreated, "B asks")
	waiting := homePath(t, a, "broke trust, a question waiting")
	wantIn(t, "a question waiting", waiting, []string{"A question is waiting for your answer", `href="/questions"`}, []string{"Who else knew?"})

	// While the questions are paused, nobody is sent to them.
	until := ps.app.Clock.Now().Add(3 * time.Hour).UTC().Format(time.RFC3339)
	planWantStatus(t, ps.cp.B.JSON(http.MethodPost, "/api/v1/questions/pause", map[string]any{"until": until}), http.StatusCreated, "B pauses")
	wantIn(t, "hurt, paused", homePath(t, b, "hurt, paused"), []string{`href="/triggers"`}, []string{`href="/questions"`})
	wantIn(t, "broke trust, paused", homePath(t, a, "broke trust, paused"), []string{`href="/acknowledgment"`}, []string{"A question is waiting"})

	// Nothing locks on the role: the other path's tools stay open to each.
	for _, p := range []string{"/triggers", "/acknowledgment", "/questions", "/guide/for-the-partner-who-broke-trust"} {
		planWantStatus(t, b.Get(p), http.StatusOK, "B opens "+p)
	}
	for _, p := range []string{"/triggers", "/guide/for-the-hurt-partner"} {
		planWantStatus(t, a.Get(p), http.StatusOK, "A opens "+p)
	}
}

// TestHomeNextStepWhileSafetyIsLow: with a low safety answer, whatever the role, the path starts with
// support for the person and suggests nothing to do together.
func TestHomeNextStepWhileSafetyIsLow(t *testing.T) {
	t.Parallel()
	for _, role := range []string{"", "hurt", "broke_trust"} {
		t.Run("role "+role, func(t *testing.T) {
			t.Parallel()
			ps := newPlanSetup(t, "hlow")
			if role != "" {
				setRole(t, ps.cp.A, role)
			}
			planWantStatus(t, ps.cp.B.JSON(http.MethodPost, "/api/v1/questions", map[string]any{"text": "Who else knew?"}), http.StatusCreated, "B asks")
			ps.fake.set(func(f *planFake) { f.low[ps.aID] = true })
			a := planBrowser(t, ps.app, "hlow", "a")
			block := homePath(t, a, "low safety")
			wantIn(t, "low safety", block, []string{`href="/safety#where-to-find-help"`},
				append([]string{"suggest-joint", `href="/questions"`, "A question is waiting"}, neverNamesInaction...))
			// The path block is the home's next step, and the safety card says that safety comes first: once.
			if n := strings.Count(a.Get("/dashboard").Body, "Your safety comes first"); n != 1 {
				t.Errorf("low safety: the home says %d times that safety comes first, want once", n)
			}
		})
	}
}

var planPathsRe = regexp.MustCompile(`(?s)<section class="card plan-paths"[^>]*>.*?</section>`)

type ppPlan struct {
	Paths []struct {
		Role        string `json:"role"`
		Guide       string `json:"guide"`
		Suggestions []struct {
			Text  string `json:"text"`
			Href  string `json:"href"`
			Joint bool   `json:"joint"`
		} `json:"suggestions"`
	} `json:"paths"`
}

// TestPlanSuggestionsByRoleOnThePageAndAPI: the plan page and GET /api/v1/plan suggest the path of the
// user's role, and both without one; changing the role changes the suggestions and nothing else.
func TestPlanSuggestionsByRoleOnThePageAndAPI(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "ppath")
	a := planBrowser(t, ps.app, "ppath", "a")
	cases := []struct {
		role, roles string
		in, out     []string
	}{
		{"", "hurt broke_trust", []string{"<h3>If you were hurt</h3>", "<h3>If you broke trust</h3>", `href="/triggers"`, `href="/acknowledgment"`}, nil},
		{"hurt", "hurt", []string{`href="/guide/for-the-hurt-partner"`, `href="/triggers"`, `href="/questions"`},
			[]string{`href="/guide/for-the-partner-who-broke-trust"`, `href="/acknowledgment"`, "<h3>"}},
		{"broke_trust", "broke_trust", []string{`href="/guide/for-the-partner-who-broke-trust"`, `href="/acknowledgment"`, `href="/questions"`},
			[]string{`href="/guide/for-the-hurt-partner"`, "<h3>"}},
		{"prefer_not", "hurt broke_trust", []string{"<h3>If you were hurt</h3>", "<h3>If you broke trust</h3>"}, nil},
	}
	for _, tc := range cases {
		if tc.role != "" {
			setRole(t, ps.cp.A, tc.role)
		}
		r := a.Get("/plan")
		planWantStatus(t, r, http.StatusOK, "plan as "+tc.role)
		block := planPathsRe.FindString(r.Body)
		if block == "" {
			t.Fatalf("role %q: no suggestions on the plan page", tc.role)
		}
		wantIn(t, "plan, role "+tc.role, block, tc.in, append(tc.out, neverNamesInaction...))
		var p ppPlan
		api := ps.cp.A.JSON(http.MethodGet, "/api/v1/plan", nil)
		planWantStatus(t, api, http.StatusOK, "GET /plan")
		api.JSON(t, &p)
		var roles []string
		for _, pa := range p.Paths {
			roles = append(roles, pa.Role)
			if pa.Guide == "" || len(pa.Suggestions) == 0 || pa.Suggestions[0].Href == "" || pa.Suggestions[0].Text == "" {
				t.Errorf("role %q: path %+v", tc.role, pa)
			}
		}
		if got := strings.Join(roles, " "); got != tc.roles {
			t.Errorf("role %q: API paths %q, want %q", tc.role, got, tc.roles)
		}
	}
	// The partner's role does not change what the plan suggests to A.
	setRole(t, ps.cp.B, "broke_trust")
	var p ppPlan
	ps.cp.A.JSON(http.MethodGet, "/api/v1/plan", nil).JSON(t, &p)
	if len(p.Paths) != 2 {
		t.Errorf("A (prefer not to say) after B chose a role: %d paths, want both", len(p.Paths))
	}
}

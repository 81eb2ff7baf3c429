package server_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// prProgress is the part of GET /api/v1/progress that the repair tools add.
type prProgress struct {
	Weeks []struct {
		Week       string `json:"week"`
		MyTriggers *int   `json:"my_triggers"`
	} `json:"weeks"`
	MonthlyTrend struct {
		Areas []struct {
			Key     string `json:"key"`
			Private bool   `json:"private"`
		} `json:"areas"`
		Me      prTrend  `json:"me"`
		Partner *prTrend `json:"partner"`
	} `json:"monthly_trend"`
}

type prTrend struct {
	Baseline *prPoint  `json:"baseline"`
	Later    []prPoint `json:"later"`
}

type prPoint struct {
	Week    string         `json:"week"`
	Ratings map[string]int `json:"ratings"`
	Changes map[string]int `json:"changes"`
}

func prGet(t *testing.T, cl *testutil.Client) (prProgress, string) {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/progress", nil)
	planWantStatus(t, r, http.StatusOK, "GET /progress")
	var out prProgress
	r.JSON(t, &out)
	return out, r.Body
}

func prTriggers(p prProgress, week string) int {
	for _, w := range p.Weeks {
		if w.Week == week && w.MyTriggers != nil {
			return *w.MyTriggers
		}
	}
	return -1
}

// TestProgressTriggerCountsAreTheAuthorsOnly: each person's progress counts their own triggers per
// week and nobody else's: not the partner's (whatever they signalled), not another couple's; the page
// says only you see them; without a session there is nothing.
func TestProgressTriggerCountsAreTheAuthorsOnly(t *testing.T) {
	t.Parallel()
	app, cp := mlCouple(t, "prtrig")
	other := app.NewCouple("prtrigx")
	week := "2026-W49"
	trLog(t, cp.A, "A song in the shop")
	trLog(t, cp.A, "A name on a screen")
	for i := 0; i < 3; i++ {
		tr := trLog(t, cp.B, "B's own moment")
		planWantStatus(t, cp.B.JSON(http.MethodPost, "/api/v1/triggers/"+tr.ID+"/signal", map[string]any{"include_text": true}), http.StatusOK, "B signals")
	}
	trLog(t, other.A, "Another couple's moment")

	pa, _ := prGet(t, cp.A)
	pb, _ := prGet(t, cp.B)
	px, _ := prGet(t, other.B)
	if got := prTriggers(pa, week); got != 2 {
		t.Errorf("A's triggers in %s: %d, want 2 (their own)", week, got)
	}
	if got := prTriggers(pb, week); got != 3 {
		t.Errorf("B's triggers in %s: %d, want 3 (their own)", week, got)
	}
	if got := prTriggers(px, week); got != 0 {
		t.Errorf("the other couple's partner sees %d triggers, want 0", got)
	}
	page := planBrowser(t, app, "prtrig", "a").Get("/progress")
	planWantStatus(t, page, http.StatusOK, "A's progress page")
	if !strings.Contains(page.Body, `id="triggers-heading"`) || !strings.Contains(page.Body, "only you see") {
		t.Errorf("A's page lacks the trigger counts that only A sees")
	}
	if !strings.Contains(page.Body, `<td class="progress-triggers">2</td>`) || strings.Contains(page.Body, `<td class="progress-triggers">3</td>`) ||
		strings.Contains(page.Body, `<td class="progress-triggers">5</td>`) {
		t.Errorf("A's page shows a count that is not A's own")
	}
	if strings.Contains(page.Body, "B's own moment") || strings.Contains(page.Body, "A song in the shop") {
		t.Errorf("the progress page shows a trigger's words; it shows counts only")
	}
	anon := app.Client()
	if r := anon.JSON(http.MethodGet, "/api/v1/progress", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous GET /api/v1/progress: %d", r.Status)
	}
}

// TestProgressMonthlyTrendPerPerson: the progress page and API read each person's monthly look against
// their baseline: one's own in full, the partner's only from looks that opened for both and never with
// their emotional safety; another couple sees nothing of it.
func TestProgressMonthlyTrendPerPerson(t *testing.T) {
	t.Parallel()
	app, cp := mlCouple(t, "prmon")
	other := app.NewCouple("prmonx")
	share := func(cl *testutil.Client, week string, h, r, e, c, hope int) {
		t.Helper()
		planWantStatus(t, cl.JSON(http.MethodPut, "/api/v1/checkins/"+week+"/monthly/mine", mlLook(h, r, e, c, hope, true)), http.StatusOK, "share "+week)
	}
	share(cp.A, "2026-W49", 3, 4, 2, 5, 6)
	share(cp.B, "2026-W49", 8, 7, 1, 6, 5)
	later := func(at time.Time) {
		app.Clock.Set(at)
		// The API sessions of weeks ago have expired.
		cp.A.LoginAPI("prmon-a@example.org", testutil.Password)
		cp.B.LoginAPI("prmon-b@example.org", testutil.Password)
		other.A.LoginAPI("prmonx-a@example.org", testutil.Password)
	}
	later(time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC)) // 2026-W53, January's monthly week
	share(cp.A, "2026-W53", 5, 4, 4, 5, 8)
	share(cp.B, "2026-W53", 9, 9, 3, 2, 6)
	later(time.Date(2027, 2, 3, 12, 0, 0, 0, time.UTC)) // 2027-W05: B shares alone, so it stays sealed
	share(cp.B, "2027-W05", 0, 0, 0, 0, 0)

	pa, body := prGet(t, cp.A)
	mt := pa.MonthlyTrend
	if len(mt.Areas) != 5 || mt.Me.Baseline == nil || mt.Me.Baseline.Week != "2026-W49" || len(mt.Me.Later) != 1 {
		t.Fatalf("A's own trend: %+v", mt)
	}
	if mt.Me.Later[0].Changes["honesty"] != 2 || mt.Me.Later[0].Changes["emotional_safety"] != 2 || mt.Me.Baseline.Ratings["emotional_safety"] != 2 {
		t.Errorf("A's own changes: %+v", mt.Me.Later[0])
	}
	if mt.Partner == nil || mt.Partner.Baseline == nil || mt.Partner.Baseline.Week != "2026-W49" || len(mt.Partner.Later) != 1 ||
		mt.Partner.Later[0].Week != "2026-W53" {
		t.Fatalf("B's trend as A sees it: %+v", mt.Partner)
	}
	if mt.Partner.Later[0].Changes["honesty"] != 1 || mt.Partner.Later[0].Changes["closeness"] != -4 {
		t.Errorf("B's changes as A sees them: %+v", mt.Partner.Later[0])
	}
	var raw struct {
		MonthlyTrend json.RawMessage `json:"monthly_trend"`
	}
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatal(err)
	}
	// emotional_safety: the list of areas, and A's own baseline, later look and change; none of B's.
	if got := string(raw.MonthlyTrend); strings.Contains(got, "2027-W05") || strings.Count(got, "emotional_safety") != 4 {
		t.Errorf("A's progress holds B's sealed look or B's emotional safety: %s", got)
	}
	page := planBrowser(t, app, "prmon", "a").Get("/progress")
	planWantStatus(t, page, http.StatusOK, "A's progress page")
	if !strings.Contains(page.Body, `id="monthly-trend-heading"`) || !strings.Contains(page.Body, "Emotional safety (only you see this)") {
		t.Errorf("A's page lacks the monthly trend or A's own emotional safety")
	}
	// No weekly check-in opened, yet the monthly charts are drawn: A's own line in each, B's in four.
	charts := 0
	for _, m := range regexp.MustCompile(`(?s)<svg id="chart-monthly-([a-z-]+)".*?</svg>`).FindAllStringSubmatch(page.Body, -1) {
		charts++
		partner := strings.Contains(m[0], `data-series="partner"`)
		if partner == (m[1] == "emotional-safety") || !strings.Contains(m[0], `data-series="me"`) {
			t.Errorf("monthly chart %s: partner line %v", m[1], partner)
		}
	}
	if charts != 5 || strings.Contains(page.Body, `id="chart-trust"`) {
		t.Errorf("A's page: %d monthly charts, want 5, and no weekly chart without an opened week", charts)
	}
	pb := planBrowser(t, app, "prmon", "b").Get("/progress")
	if strings.Count(pb.Body, `data-area="emotional_safety"`) != 1 || strings.Contains(pb.Body, `data-area="emotional_safety" data-who="partner"`) {
		t.Errorf("B's page shows emotional safety other than B's own")
	}
	px, _ := prGet(t, other.A)
	if px.MonthlyTrend.Me.Baseline != nil || (px.MonthlyTrend.Partner != nil && px.MonthlyTrend.Partner.Baseline != nil) {
		t.Errorf("another couple sees a monthly trend: %+v", px.MonthlyTrend)
	}
}

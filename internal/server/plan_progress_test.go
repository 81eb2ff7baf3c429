package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

var planSVGRe = regexp.MustCompile(`(?s)<svg id="chart-([a-z]+)".*?</svg>`)
var planSeriesRe = regexp.MustCompile(`(?s)<g class="plan-series [a-z]+" data-series="([a-z]+)">(.*?)</g>`)

// planCharts returns, per chart id and series, the titles of its points.
func planCharts(t *testing.T, body string) map[string]map[string][]string {
	t.Helper()
	out := map[string]map[string][]string{}
	for _, m := range planSVGRe.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(m[0], `role="img"`) || !strings.Contains(m[0], `aria-label="`) {
			t.Errorf("chart %s lacks role=img or its label", m[1])
		}
		series := map[string][]string{}
		for _, s := range planSeriesRe.FindAllStringSubmatch(m[0], -1) {
			series[s[1]] = nil
			for _, c := range regexp.MustCompile(`<circle[^>]*><title>([^<]*)</title></circle>`).FindAllStringSubmatch(s[2], -1) {
				series[s[1]] = append(series[s[1]], c[1])
			}
			if n := strings.Count(s[2], "<circle"); n != len(series[s[1]]) {
				t.Errorf("chart %s series %s: %d circles, %d titled", m[1], s[1], n, len(series[s[1]]))
			}
		}
		out[m[1]] = series
	}
	return out
}

func TestProgressChartHasOnePointPerOpenedWeekPerPartner(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "chart")
	now := ps.app.Clock.Now()
	trust := [][2]int{{2, 8}, {3, 8}, {4, 7}, {5, 7}, {5, 6}, {6, 6}, {6, 7}}
	ps.fake.set(func(f *planFake) {
		f.weeks = planWeeks(now, ps.aID, ps.bID, trust, 2, 9)
		delete(f.weeks[3].People, ps.bID) // B skipped one week: no point for B there
	})
	a := planBrowser(t, ps.app, "chart", "a")
	b := planBrowser(t, ps.app, "chart", "b")
	ra := a.Get("/progress")
	planWantStatus(t, ra, http.StatusOK, "A's progress")
	ca := planCharts(t, ra.Body)
	if len(ca["trust"]["me"]) != 7 || len(ca["trust"]["partner"]) != 6 || len(ca["connection"]["me"]) != 7 || len(ca["connection"]["partner"]) != 6 {
		t.Errorf("A's charts: %v", ca)
	}
	if s := ca["safety"]; len(s) != 1 || len(s["safety"]) != 7 || !strings.HasSuffix(s["safety"][0], ": 2") {
		t.Errorf("A's safety chart: %v", s)
	}
	rb := b.Get("/progress")
	cb := planCharts(t, rb.Body)
	if len(cb["trust"]["me"]) != 6 || len(cb["trust"]["partner"]) != 7 || !strings.HasSuffix(cb["trust"]["partner"][0], ": 2") {
		t.Errorf("B's trust chart: %v", cb["trust"])
	}
	for _, title := range cb["safety"]["safety"] {
		if !strings.HasSuffix(title, ": 9") {
			t.Errorf("B's safety chart shows someone else's rating: %q", title)
		}
	}
	if len(cb["safety"]) != 1 || len(cb["safety"]["safety"]) != 6 {
		t.Errorf("B's safety chart: %v", cb["safety"])
	}
	// The table beside the chart carries the same numbers.
	if !strings.Contains(ra.Body, "<caption class=\"visually-hidden\">Trust per week</caption>") || strings.Count(ra.Body, "<th scope=\"row\">Week of") != 7*3+8 {
		t.Errorf("A's tables: %d week rows", strings.Count(ra.Body, "<th scope=\"row\">Week of"))
	}
	// Without safety answers of B's own, B's page has no safety chart at all, and A's never shows up.
	ps.fake.set(func(f *planFake) {
		for _, w := range f.weeks {
			r := w.People[ps.bID]
			r.Safety = nil
			if _, ok := w.People[ps.bID]; ok {
				w.People[ps.bID] = r
			}
		}
	})
	rb = b.Get("/progress")
	if cb := planCharts(t, rb.Body); cb["safety"] != nil || len(cb["trust"]) != 2 {
		t.Errorf("B's charts without B's own safety answers: %v", cb)
	}
	if strings.Contains(rb.Body, "How safe you feel") {
		t.Error("B's page has a safety section without B's own answers")
	}
	r := ps.cp.B.JSON(http.MethodGet, "/api/v1/progress", nil)
	if strings.Contains(r.Body, `"my_safety":2`) || !strings.Contains(r.Body, `"my_safety":null`) {
		t.Errorf("B's progress API shows A's safety: %s", r.Body)
	}
	if r := ps.cp.A.JSON(http.MethodGet, "/api/v1/progress", nil); strings.Count(r.Body, `"my_safety":2`) != 7 {
		t.Errorf("A's progress API lacks A's own safety: %s", r.Body)
	}
}

func TestProgressAPIAndNotes(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "progapi")
	now := ps.app.Clock.Now()
	ps.fake.set(func(f *planFake) {
		f.weeks = planWeeks(now, ps.aID, ps.bID, [][2]int{{5, 5}, {5, 5}, {5, 5}, {5, 5}, {2, 7}, {2, 8}}, 6, 6)
		f.agreements.FirstBothAccepted = now.AddDate(0, 0, -30)
	})
	r := ps.cp.A.JSON(http.MethodGet, "/api/v1/progress", nil)
	planWantStatus(t, r, http.StatusOK, "GET /progress")
	var got struct {
		Weeks []struct {
			Week   string `json:"week"`
			Opened bool   `json:"opened"`
			Trust  struct {
				Me, Partner *int
			} `json:"trust"`
		} `json:"weeks"`
		Prompt struct {
			Show    bool     `json:"show"`
			Reasons []string `json:"reasons"`
		} `json:"therapy_prompt"`
		Plan       struct{ Done, Total int } `json:"plan"`
		Divergence struct {
			Show     bool     `json:"show"`
			Measures []string `json:"measures"`
		} `json:"divergence"`
		Wins []struct {
			Key string `json:"key"`
		} `json:"wins"`
	}
	r.JSON(t, &got)
	if len(got.Weeks) != 7 || !got.Weeks[0].Opened || got.Weeks[6].Opened || *got.Weeks[5].Trust.Partner != 8 || got.Plan.Total != 5 {
		t.Errorf("weeks: %s", r.Body)
	}
	if !got.Prompt.Show || len(got.Prompt.Reasons) != 1 || !got.Divergence.Show || len(got.Wins) != 3 {
		t.Errorf("prompt %+v, divergence %+v, wins %+v", got.Prompt, got.Divergence, got.Wins)
	}
	page := planBrowser(t, ps.app, "progapi", "a").Get("/progress")
	for _, want := range []string{"you two see this differently; worth a check-in", "Trust ratings have not risen", "A month of check-ins",
		"Your first agreement accepted by you both", `href="/guide/rebuild-trust#slow-progress"`, `href="/couples-therapy"`, `href="/guide/rebuild-trust#step-5-support"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("progress page lacks %q", want)
		}
	}
	for _, banned := range []string{"streak", "score", "in a row"} {
		if strings.Contains(strings.ToLower(page.Body), banned) {
			t.Errorf("progress page mentions %q", banned)
		}
	}
	// An improving history: no prompt, no note.
	ps.fake.set(func(f *planFake) {
		f.weeks = planWeeks(now, ps.aID, ps.bID, [][2]int{{2, 2}, {3, 3}, {4, 4}, {5, 6}, {6, 6}, {7, 7}}, 6, 6)
	})
	page = planBrowser(t, ps.app, "progapi", "b").Get("/progress")
	if strings.Contains(page.Body, "plan-prompt") || strings.Contains(page.Body, "see this differently") {
		t.Errorf("an improving history shows a prompt or note")
	}
}

// TestProgressShowsEveryOpenedWeek: a couple started on a Wednesday (the test clock) answers this week and
// last week through the real check-ins. Both weeks are opened in the check-in list, counted by the plan,
// and charted and tabled on /progress and in GET /api/v1/progress.
func TestProgressShowsEveryOpenedWeek(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("everyweek")
	for _, w := range []string{"2026-W47", ciWeek} {
		ciPut(t, cp.A, w, ciAnswer("EW-A-"+w, 3, 4, 7, true))
		ciPut(t, cp.B, w, ciAnswer("EW-B-"+w, 8, 9, 6, true))
	}
	if r := cp.A.Get("/api/v1/checkins"); strings.Count(r.Body, `"state":"opened"`) != 2 {
		t.Fatalf("the check-in list does not show both weeks opened: %s", r.Body)
	}
	if r := cp.A.Get("/api/v1/plan"); !strings.Contains(r.Body, "2 check-ins have opened") {
		t.Errorf("the plan does not count both weeks: %s", r.Body)
	}
	var got struct {
		Weeks []struct {
			Week   string `json:"week"`
			Opened bool   `json:"opened"`
			Trust  struct {
				Me, Partner *int
			} `json:"trust"`
		} `json:"weeks"`
	}
	r := cp.A.JSON(http.MethodGet, "/api/v1/progress", nil)
	planWantStatus(t, r, http.StatusOK, "GET /progress")
	r.JSON(t, &got)
	opened := map[string]bool{}
	for _, w := range got.Weeks {
		if w.Opened && w.Trust.Me != nil && *w.Trust.Me == 3 && w.Trust.Partner != nil && *w.Trust.Partner == 8 {
			opened[w.Week] = true
		}
	}
	if !opened["2026-W47"] || !opened[ciWeek] {
		t.Errorf("GET /progress lacks an opened week: %s", r.Body)
	}
	page := planBrowser(t, app, "everyweek", "b").Get("/progress")
	planWantStatus(t, page, http.StatusOK, "B's progress")
	charts := planCharts(t, page.Body)
	for _, id := range []string{"trust", "connection"} {
		if len(charts[id]["me"]) != 2 || len(charts[id]["partner"]) != 2 {
			t.Errorf("%s chart: %v, want two points per person", id, charts[id])
		}
	}
	if len(charts["safety"]["safety"]) != 2 {
		t.Errorf("safety chart: %v, want two points", charts["safety"])
	}
	if n := strings.Count(page.Body, "<td>Opened</td>"); n != 2 {
		t.Errorf("the week-by-week table shows %d opened weeks, want 2", n)
	}
}

var planLegendRe = regexp.MustCompile(`(?s)<span class="plan-key" data-series="([a-z]+)">(.*?)</span>`)

// planLegend returns, per chart id and series, whether the legend's key draws a line and a marker in the
// chart's own classes (so the same styles draw both).
func planLegend(t *testing.T, body string) map[string]map[string][2]bool {
	t.Helper()
	out := map[string]map[string][2]bool{}
	for _, sec := range regexp.MustCompile(`(?s)<section class="plan-chart-section" aria-labelledby="chart-([a-z]+)-heading">(.*?)</section>`).FindAllStringSubmatch(body, -1) {
		fig := sec[2][strings.Index(sec[2], `<figcaption class="plan-legend">`):]
		keys := map[string][2]bool{}
		for _, k := range planLegendRe.FindAllStringSubmatch(fig[:strings.Index(fig, "</figcaption>")], -1) {
			group := `<g class="plan-series ` + k[1] + `">`
			if !strings.Contains(k[2], group) {
				t.Errorf("chart %s: the %s key is not drawn in the series' classes: %s", sec[1], k[1], k[2])
			}
			keys[k[1]] = [2]bool{strings.Contains(k[2], `<line class="plan-line `+k[1]+`"`), strings.Contains(k[2], `<circle class="plan-dot"`)}
		}
		out[sec[1]] = keys
	}
	return out
}

// TestProgressLegendMatchesTheMarkers: each legend key is drawn with the chart's own line and marker, a
// line only where the chart has one; a single week is drawn at the start of the chart, said to be the
// start, with no line in the chart or the legend.
func TestProgressLegendMatchesTheMarkers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		trust [][2]int
		lines bool
	}{
		{"one week", [][2]int{{4, 6}}, false},
		{"three weeks", [][2]int{{4, 6}, {5, 6}, {5, 7}}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ps := newPlanSetup(t, "legend")
			ps.fake.set(func(f *planFake) { f.weeks = planWeeks(ps.app.Clock.Now(), ps.aID, ps.bID, tc.trust, 5, 5) })
			page := planBrowser(t, ps.app, "legend", "a").Get("/progress")
			planWantStatus(t, page, http.StatusOK, "progress")
			legend := planLegend(t, page.Body)
			for _, svg := range planSVGRe.FindAllStringSubmatch(page.Body, -1) {
				id := svg[1]
				for _, s := range planSeriesRe.FindAllStringSubmatch(svg[0], -1) {
					chartLine := strings.Contains(s[2], "<polyline")
					if chartLine != tc.lines {
						t.Errorf("chart %s, series %s: line drawn %v, want %v", id, s[1], chartLine, tc.lines)
					}
					if key, ok := legend[id][s[1]]; !ok || key[0] != chartLine || !key[1] {
						t.Errorf("chart %s, series %s: legend key (line, marker) = %v, want (%v, true)", id, s[1], key, chartLine)
					}
				}
				if len(legend[id]) != strings.Count(svg[0], `<g class="plan-series`) {
					t.Errorf("chart %s: %d legend keys for %d series", id, len(legend[id]), strings.Count(svg[0], `<g class="plan-series`))
				}
			}
			single := strings.Contains(page.Body, "One week so far")
			if single == tc.lines {
				t.Errorf("the note on a first week is shown = %v with %d weeks", single, len(tc.trust))
			}
			if !tc.lines && !strings.Contains(page.Body, `<circle class="plan-dot" cx="36" `) {
				t.Errorf("a single week is not drawn at the start of the chart")
			}
		})
	}
}

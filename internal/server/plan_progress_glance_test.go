package server_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/plan"
)

// TestProgressReadsAtAGlance: the small wins come near the top, before the explanations and the charts;
// a first week is drawn as a beginning (each rated point with a faint line ahead of it, to where the
// weeks to come will be), and from two weeks on the lines themselves take over.
func TestProgressReadsAtAGlance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		trust [][2]int
		ahead int
	}{
		{"one week", [][2]int{{4, 6}}, 5},
		{"three weeks", [][2]int{{4, 6}, {5, 6}, {5, 7}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ps := newPlanSetup(t, "glance")
			ps.fake.set(func(f *planFake) { f.weeks = planWeeks(ps.app.Clock.Now(), ps.aID, ps.bID, tc.trust, 5, 5) })
			page := planBrowser(t, ps.app, "glance", "a").Get("/progress")
			planWantStatus(t, page, http.StatusOK, "progress")
			ciInOrder(t, "progress", page.Body, `id="wins-heading"`, "How the two of you have rated", `id="chart-trust"`)
			// Trust and connection have a line each for both of you, safety one for you alone.
			if n := strings.Count(page.Body, `class="plan-ahead`); n != tc.ahead {
				t.Errorf("%d lines ahead of a first point, want %d", n, tc.ahead)
			}
			if tc.ahead > 0 && !strings.Contains(page.Body, `<line class="plan-ahead me" x1="36" `) {
				t.Error("the line ahead does not start at the first point, at the start of the chart")
			}
		})
	}
}

// TestAcknowledgmentPageCarriesTheHintRules: the page's script applies the server's own rules, so the
// page carries every phrase and message of plan.HintRules, escaped as text.
func TestAcknowledgmentPageCarriesTheHintRules(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "rules")
	page := planBrowser(t, ps.app, "rules", "a").Get("/acknowledgment")
	planWantStatus(t, page, http.StatusOK, "acknowledgment")
	start := strings.Index(page.Body, `<template id="hint-rules">`)
	if start < 0 {
		t.Fatal("no hint rules on the page")
	}
	tpl := page.Body[start : start+strings.Index(page.Body[start:], "</template>")]
	for _, r := range plan.HintRules() {
		if !strings.Contains(tpl, "<p>"+html.EscapeString(r.Message)) {
			t.Errorf("the page lacks the message %q", r.Message)
		}
		for _, p := range r.Phrases {
			if !strings.Contains(tpl, "<s>"+html.EscapeString(p)+"</s>") {
				t.Errorf("the page lacks the phrase %q", p)
			}
		}
	}
}

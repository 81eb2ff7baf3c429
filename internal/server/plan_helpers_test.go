package server_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// planFake stands in for the agreements and check-ins features behind plan.Sources: the plan's true
// edge until those services are wired in plan_sources.go.
type planFake struct {
	mu         sync.Mutex
	agreements plan.AgreementFacts
	weeks      []plan.WeekSummary
	low        map[string]bool
}

func (f *planFake) Agreements(context.Context, string, *time.Location) (plan.AgreementFacts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.agreements, nil
}

func (f *planFake) OpenedWeeks(_ context.Context, q plan.WeeksQuery) ([]plan.OpenedWeek, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return plan.OpenedWeeksOf(f.weeks, q), nil
}

func (f *planFake) LowSafety(_ context.Context, _, planUserID string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.low[planUserID], nil
}

func (f *planFake) set(fn func(f *planFake)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func planIP(v int) *int { return &v }

// planWeeks returns opened weeks ending the week before now, one per (a, b) trust pair; connection is
// trust+1, a's safety is aSafety and b's is bSafety.
func planWeeks(now time.Time, a, b string, trust [][2]int, aSafety, bSafety int) []plan.WeekSummary {
	var out []plan.WeekSummary
	for i, tr := range trust {
		at := now.AddDate(0, 0, -7*(len(trust)-i))
		out = append(out, plan.WeekSummary{Week: plan.WeekKey(at, time.UTC), OpenedAt: at, People: map[string]plan.Ratings{
			a: {Trust: planIP(tr[0]), Connection: planIP(tr[0] + 1), Safety: planIP(aSafety)},
			b: {Trust: planIP(tr[1]), Connection: planIP(tr[1] + 1), Safety: planIP(bSafety)},
		}})
	}
	return out
}

// planSetup is a test app whose plan reads from a fake, with one couple.
type planSetup struct {
	app      *testutil.App
	cp       testutil.Couple
	fake     *planFake
	aID, bID string
}

func planUserID(t *testing.T, cl *testutil.Client) string {
	t.Helper()
	var got struct {
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	r := cl.JSON(http.MethodGet, "/api/v1/me", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /me: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &got)
	return got.User.ID
}

func newPlanSetup(t *testing.T, prefix string) *planSetup {
	t.Helper()
	fake := &planFake{low: map[string]bool{}}
	app := testutil.NewAppWith(t, server.Deps{PlanFacts: fake})
	cp := app.NewCouple(prefix)
	return &planSetup{app: app, cp: cp, fake: fake, aID: planUserID(t, cp.A), bID: planUserID(t, cp.B)}
}

// must2xx fails the test unless r has status want.
func planWantStatus(t *testing.T, r *testutil.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %d %s, want %d", what, r.Status, r.Body, want)
	}
}

// browser signs cl in with a cookie session as well, for pages (API clients use a bearer token).
func planBrowser(t *testing.T, app *testutil.App, prefix, who string) *testutil.Client {
	t.Helper()
	cl := app.Client()
	cl.LoginBrowser(prefix+"-"+who+"@example.org", testutil.Password)
	return cl
}

var planFullAck = map[string]any{
	"what_happened": "I hid messages from a colleague for three months.", "responsibility": "It was my choice and mine alone.",
	"impact": "You stopped trusting what I say.", "commitments": []string{"Tell you about any contact within a day"}, "share": true,
}

package plan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
)

func TestTherapyPrompt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	flat := [][2]int{{4, 5}, {5, 4}, {4, 5}, {5, 4}, {4, 5}, {5, 4}}
	improving := [][2]int{{2, 3}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}}
	cases := []struct {
		name   string
		set    func(t *testing.T, f *fixture)
		show   bool
		reason string
	}{
		{"no history", func(*testing.T, *fixture) {}, false, ""},
		{"flat trust over six opened weeks", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, flat, 7)
		}, true, "Trust ratings have not risen"},
		{"flat trust over only five weeks", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, flat[:5], 7)
		}, false, ""},
		{"improving trust", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, improving, 7)
		}, false, ""},
		{"falling trust", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, [][2]int{{7, 7}, {6, 6}, {5, 5}, {4, 4}, {3, 3}, {2, 2}}, 7)
		}, true, "Trust ratings have not risen"},
		{"agreements not kept in three of six weeks", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, improving, 7)
			for _, i := range []int{1, 3, 5} {
				f.src.weeks[i].NotKept = 1
			}
		}, true, "In 3 of the last six weeks"},
		{"withdrawals and not kept in three weeks", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, improving, 7)
			f.src.weeks[5].NotKept = 2
			f.src.agreements.Withdrawals = []time.Time{start, start.AddDate(0, 0, -14), start.AddDate(0, 0, -13)}
		}, true, "In 3 of the last six weeks"},
		{"not kept in only two of six weeks", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, improving, 7)
			f.src.weeks[4].NotKept, f.src.weeks[5].NotKept = 1, 3
			f.src.weeks[3].Partly = 2
		}, false, ""},
		{"withdrawals long ago", func(t *testing.T, f *fixture) {
			f.src.agreements.Withdrawals = []time.Time{start.AddDate(0, 0, -70), start.AddDate(0, 0, -77), start.AddDate(0, 0, -84)}
		}, false, ""},
		{"only one asks", func(t *testing.T, f *fixture) { ask(t, f, f.a, true) }, false, ""},
		{"both ask", func(t *testing.T, f *fixture) { ask(t, f, f.a, true); ask(t, f, f.b, true) }, true, "You both said"},
		{"both asked, one took it back", func(t *testing.T, f *fixture) {
			ask(t, f, f.a, true)
			ask(t, f, f.b, true)
			ask(t, f, f.b, false)
		}, false, ""},
		{"flat trust but already seeing someone", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, flat, 7)
			decide(t, f, plan.TherapySeeing, "")
		}, false, ""},
		{"flat trust, not now until a later date", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, flat, 7)
			decide(t, f, plan.TherapyNotNow, "2027-01-10")
		}, false, ""},
		{"flat trust, revisit date has come", func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, flat, 7)
			decide(t, f, plan.TherapyNotNow, "2026-12-01")
			f.clock.Advance(7 * 24 * time.Hour)
			f.src.weeks = weeksOf(f.clock.Now(), f.a.Me.UserID, f.b.Me.UserID, flat, 7)
		}, true, "Trust ratings have not risen"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			tc.set(t, f)
			for _, sc := range []*couple.Membership{f.a, f.b} {
				p := must[*plan.ProgressView](t)(f.svc.Progress(ctx, sc)).Prompt
				if p.Show != tc.show || p.Variant != plan.PromptCouple {
					t.Fatalf("prompt = %+v, want show %v (couple variant)", p, tc.show)
				}
				if tc.reason != "" && !strings.Contains(strings.Join(p.Reasons, " "), tc.reason) {
					t.Errorf("reasons %q lack %q", p.Reasons, tc.reason)
				}
				if pl := must[*plan.PlanView](t)(f.svc.Plan(ctx, sc)); pl.Prompt.Show != tc.show {
					t.Errorf("plan's prompt disagrees: %+v", pl.Prompt)
				}
			}
		})
	}
}

func ask(t *testing.T, f *fixture, sc *couple.Membership, v bool) {
	t.Helper()
	must[*plan.TherapyView](t)(f.svc.RecordTherapy(context.Background(), sc, plan.TherapyInput{Ask: &v}))
}

func decide(t *testing.T, f *fixture, d, revisit string) {
	t.Helper()
	must[*plan.TherapyView](t)(f.svc.RecordTherapy(context.Background(), f.a, plan.TherapyInput{Decision: &d, RevisitOn: revisit}))
}

func TestLowSafetyVariantReachesOnlyItsAuthor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, [][2]int{{4, 5}, {5, 4}, {4, 5}, {5, 4}, {4, 5}, {5, 4}}, 2)
	f.src.low[f.a.Me.UserID] = true
	pa := must[*plan.ProgressView](t)(f.svc.Progress(ctx, f.a)).Prompt
	if !pa.Show || pa.Variant != plan.PromptIndividual || !strings.Contains(strings.Join(pa.Reasons, " "), "unsafe where there is abuse") {
		t.Errorf("A (low safety) sees %+v, want the individual variant", pa)
	}
	pb := must[*plan.ProgressView](t)(f.svc.Progress(ctx, f.b)).Prompt
	if pb.Variant != plan.PromptCouple || !pb.Show || strings.Contains(strings.Join(pb.Reasons, " "), "abuse") {
		t.Errorf("B sees %+v, want the ordinary couple prompt with nothing of A's safety", pb)
	}
	if d := must[*plan.DashboardView](t)(f.svc.Dashboard(ctx, f.a)); d.Prompt.Variant != plan.PromptIndividual || d.Next != nil || d.Guidance.Href != plan.GuideHelp {
		t.Errorf("A's dashboard: %+v", d)
	}
	if d := must[*plan.DashboardView](t)(f.svc.Dashboard(ctx, f.b)); d.Prompt.Variant != plan.PromptCouple || d.Next == nil || d.Guidance.Href == plan.GuideHelp {
		t.Errorf("B's dashboard: %+v", d)
	}
}

func TestTherapyInputValidation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	bad, ok := "maybe", plan.TherapyConsidering
	cases := []struct {
		name  string
		in    plan.TherapyInput
		field string
	}{
		{"nothing", plan.TherapyInput{}, "decision"},
		{"unknown decision", plan.TherapyInput{Decision: &bad}, "decision"},
		{"not a date", plan.TherapyInput{Decision: &ok, RevisitOn: "10/01/2027"}, "revisit_on"},
		{"in the past", plan.TherapyInput{Decision: &ok, RevisitOn: "2026-11-01"}, "revisit_on"},
		{"today", plan.TherapyInput{Decision: &ok, RevisitOn: "2026-11-25"}, "revisit_on"},
		{"too far", plan.TherapyInput{Decision: &ok, RevisitOn: "2028-01-01"}, "revisit_on"},
	}
	for _, tc := range cases {
		_, err := f.svc.RecordTherapy(ctx, f.a, tc.in)
		if e := apperr.As(err); e == nil || e.Fields[tc.field] == "" {
			t.Errorf("%s: %v, want a message on %s", tc.name, err, tc.field)
		}
	}
	v := must[*plan.TherapyView](t)(f.svc.RecordTherapy(ctx, f.a, plan.TherapyInput{Decision: &ok, RevisitOn: "2027-02-01"}))
	if v.Decision != ok || v.RevisitOn != "2027-02-01" || !v.DecidedByMe {
		t.Errorf("recorded %+v", v)
	}
	ask(t, f, f.a, true)
	if got := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.b)).Therapy; got.Asked || got.BothAsked || got.Decision != ok || got.DecidedByMe {
		t.Errorf("B sees %+v: A's private ask must not show", got)
	}
}

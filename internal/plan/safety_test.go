package plan_test

import (
	"context"
	"testing"

	"github.com/mendhq/mend/internal/plan"
)

// TestLowSafetyQuietsThePlansSuggestions: while A's latest safety answer is low, A's plan names no next
// item and carries no line or link pushing a joint exercise, and A's progress has no "worth a check-in"
// note; the items stay, with their guide links and marks. B, in the same couple, keeps them all.
func TestLowSafetyQuietsThePlansSuggestions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	f.src.low[f.a.UserID] = true
	f.src.weeks = weeksOf(start, f.a.UserID, f.b.UserID, [][2]int{{2, 8}, {2, 8}}, 2)

	pa := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.a))
	if !pa.LowSafety || pa.Next != nil || len(pa.Items) != 5 {
		t.Fatalf("A's plan: low %v, next %v, %d items", pa.LowSafety, pa.Next, len(pa.Items))
	}
	for _, it := range pa.Items {
		if it.ForYou != "" || it.Action != "" || it.ActionLabel != "" || it.Guide == "" {
			t.Errorf("A's %s: for you %q, action %q; guide %q", it.ID, it.ForYou, it.Action, it.Guide)
		}
	}
	pb := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.b))
	if pb.LowSafety || pb.Next == nil || pb.Items[0].ForYou == "" || pb.Items[0].Action == "" {
		t.Errorf("B's plan lost its suggestions: next %v, first item %+v", pb.Next, pb.Items[0])
	}
	if d := must[*plan.ProgressView](t)(f.svc.Progress(ctx, f.a)).Diverging; len(d) != 0 {
		t.Errorf("A's progress suggests a check-in on %v", d)
	}
	if d := must[*plan.ProgressView](t)(f.svc.Progress(ctx, f.b)).Diverging; len(d) != 2 {
		t.Errorf("B's progress: diverging %v, want trust and connection", d)
	}
	if g := must[*plan.DashboardView](t)(f.svc.Dashboard(ctx, f.a)); g.Next != nil || g.Guidance.Joint || g.Guidance.Href != plan.GuideHelp {
		t.Errorf("A's home card: next %v, guidance %+v", g.Next, g.Guidance)
	}
}

// TestLowSafetyIsAskedOncePerRequest: within a request given a memo, the home page's cards ask the
// check-ins about safety once between them; each person and each request asks afresh.
func TestLowSafetyIsAskedOncePerRequest(t *testing.T) {
	t.Parallel()
	ctx := plan.WithSafetyMemo(context.Background())
	f := newFixture(t)
	f.src.low[f.a.UserID] = true
	if low := must[bool](t)(f.svc.LowSafety(ctx, f.a)); !low {
		t.Fatal("A's low answer not seen")
	}
	must[*plan.DashboardView](t)(f.svc.Dashboard(ctx, f.a))
	if f.src.lowAsked != 1 {
		t.Errorf("asked %d times within one request, want 1", f.src.lowAsked)
	}
	if low := must[bool](t)(f.svc.LowSafety(ctx, f.b)); low || f.src.lowAsked != 2 {
		t.Errorf("B: low %v after %d asks; the memo must not answer for another person", low, f.src.lowAsked)
	}
	must[*plan.DashboardView](t)(f.svc.Dashboard(context.Background(), f.a))
	if f.src.lowAsked != 3 {
		t.Errorf("a request without the memo asked %d times in all, want 3", f.src.lowAsked)
	}
}

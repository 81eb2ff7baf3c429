package plan_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/plan"
)

func pathRoles(p *plan.PlanView) []string {
	var out []string
	for _, pa := range p.Paths {
		out = append(out, pa.Role)
	}
	return out
}

func hrefs(pa plan.Path) string {
	var out []string
	for _, s := range pa.Suggestions {
		out = append(out, s.Href)
	}
	return strings.Join(out, " ")
}

// TestPlanSuggestsByRole: the plan suggests a path for the person's role, both paths without one (or
// with "prefer not to say"); what it suggests follows where the couple is, and never presses a joint
// step on someone whose latest safety answer is low.
func TestPlanSuggestsByRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		role      string
		low       bool
		wantRoles string
		want      []string // hrefs that must be suggested, in the first path
		never     []string // hrefs that must not be, in any path
	}{
		{"hurt", false, "hurt", []string{"/agreements/new", "/triggers", "/questions"}, []string{"/acknowledgment"}},
		{"broke_trust", false, "broke_trust", []string{"/acknowledgment", "/questions", "/agreements/new"}, []string{"/forgiveness-after-betrayal"}},
		{"", false, "hurt broke_trust", []string{"/triggers"}, nil},
		{"prefer_not", false, "hurt broke_trust", []string{"/triggers"}, nil},
		{"hurt", true, "hurt", []string{"/safety#where-to-find-help", "/triggers", "/forgiveness-after-betrayal"}, []string{"/questions", "/agreements/new"}},
		{"broke_trust", true, "broke_trust", []string{"/safety#where-to-find-help"}, []string{"/questions", "/agreements/new", "/triggers"}},
		{"", true, "hurt broke_trust", []string{"/safety#where-to-find-help"}, []string{"/questions", "/agreements/new"}},
	}
	for _, tc := range cases {
		name := tc.role
		if name == "" {
			name = "no role"
		}
		if tc.low {
			name += ", safety low"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.a.Me.Role = tc.role
			f.src.low[f.a.Me.UserID] = tc.low
			p := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.a))
			if got := strings.Join(pathRoles(p), " "); got != tc.wantRoles {
				t.Fatalf("paths %q, want %q", got, tc.wantRoles)
			}
			first := hrefs(p.Paths[0])
			for _, h := range tc.want {
				if !strings.Contains(" "+first+" ", " "+h+" ") {
					t.Errorf("first path suggests %q, want %s among them", first, h)
				}
			}
			for _, pa := range p.Paths {
				if pa.Guide == "" || len(pa.Suggestions) == 0 || len(pa.Suggestions) > plan.MaxSuggestions {
					t.Errorf("path %s: guide %q, %d suggestions", pa.Role, pa.Guide, len(pa.Suggestions))
				}
				for _, s := range pa.Suggestions {
					if tc.low && s.Joint {
						t.Errorf("path %s suggests a joint step while safety is low: %+v", pa.Role, s)
					}
					for _, h := range tc.never {
						if s.Href == h {
							t.Errorf("path %s suggests %s", pa.Role, h)
						}
					}
				}
			}
		})
	}
}

// TestPlanSuggestionsFollowWhereTheCoupleIs: once an acknowledgment has been read, the one who broke
// trust is no longer sent to write one; once an agreement is active, nobody is sent to write the first.
func TestPlanSuggestionsFollowWhereTheCoupleIs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	f.a.Me.Role, f.b.Me.Role = "broke_trust", "hurt"
	shareAck(t, f, f.a)
	must[*plan.AckResponse](t)(f.svc.Respond(ctx, f.b, plan.ResponseRead, ""))
	f.src.agreements.Active = 1
	a := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.a))
	if h := hrefs(a.Paths[0]); strings.Contains(h, "/acknowledgment") {
		t.Errorf("after the acknowledgment was read, A is still sent to write one: %s", h)
	}
	b := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.b))
	if h := hrefs(b.Paths[0]); strings.Contains(h, "/agreements/new") || h != "/triggers /questions" {
		t.Errorf("B's path after a read acknowledgment and an active agreement: %s", h)
	}
}

// TestAckSharedIsTheAskersOwn: a draft is not shared; a shared version is, for its author only.
func TestAckSharedIsTheAskersOwn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	shared := func(what string, want bool) {
		t.Helper()
		got, err := f.svc.AckShared(ctx, f.a)
		if err != nil || got != want {
			t.Fatalf("%s: shared %v (%v), want %v", what, got, err, want)
		}
	}
	shared("nothing written", false)
	must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, plan.AckText{WhatHappened: "A draft."}, false))
	shared("a draft", false)
	shareAck(t, f, f.a)
	shared("shared", true)
	if b, err := f.svc.AckShared(ctx, f.b); err != nil || b {
		t.Fatalf("the partner's own: %v (%v), want false", b, err)
	}
}

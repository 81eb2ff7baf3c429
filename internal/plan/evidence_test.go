package plan_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
)

var allStarters = []string{plan.ItemAcknowledge, plan.ItemBoundaries, plan.ItemCheckins, plan.ItemListening, plan.ItemTherapy}

func shareAck(t *testing.T, f *fixture, sc *couple.Membership) {
	t.Helper()
	text := plan.AckText{WhatHappened: "I hid messages for months.", Responsibility: "It was my choice.", Impact: "You stopped sleeping.", Commitments: []string{"Tell you first"}}
	must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(context.Background(), sc, text, true))
}

func TestEachEvidenceRuleTicksItsItemAndOnlyThen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name  string
		items []string // the items whose evidence is met; none for nothing
		set   func(t *testing.T, f *fixture)
	}{
		{"nothing yet", nil, func(*testing.T, *fixture) {}},
		{"acknowledgment shared but not answered", nil, func(t *testing.T, f *fixture) { shareAck(t, f, f.a) }},
		{"acknowledgment answered need more", nil, func(t *testing.T, f *fixture) {
			shareAck(t, f, f.a)
			must[*plan.AckResponse](t)(f.svc.Respond(ctx, f.b, plan.ResponseNeedMore, ""))
		}},
		{"acknowledgment marked read", []string{plan.ItemAcknowledge}, func(t *testing.T, f *fixture) {
			shareAck(t, f, f.a)
			must[*plan.AckResponse](t)(f.svc.Respond(ctx, f.b, plan.ResponseRead, ""))
		}},
		{"withdrawn agreement only", nil, func(t *testing.T, f *fixture) { f.src.agreements.Withdrawals = []time.Time{start} }},
		{"an active agreement", []string{plan.ItemBoundaries}, func(t *testing.T, f *fixture) { f.src.agreements.Active = 1 }},
		{"a check-in opened", []string{plan.ItemCheckins}, func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, [][2]int{{5, 5}}, 7)
		}},
		{"a confirmed reflection", []string{plan.ItemListening, plan.ItemCheckins}, func(t *testing.T, f *fixture) {
			f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, [][2]int{{5, 5}}, 7) // reflections are of opened weeks
			f.src.weeks[0].Confirmed = 1
		}},
		{"only an ask about therapy", nil, func(t *testing.T, f *fixture) {
			yes := true
			must[*plan.TherapyView](t)(f.svc.RecordTherapy(ctx, f.a, plan.TherapyInput{Ask: &yes}))
		}},
		{"a therapy decision", []string{plan.ItemTherapy}, func(t *testing.T, f *fixture) {
			d := plan.TherapyNotNow
			must[*plan.TherapyView](t)(f.svc.RecordTherapy(ctx, f.a, plan.TherapyInput{Decision: &d, RevisitOn: "2027-01-10"}))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			tc.set(t, f)
			for _, sc := range []*couple.Membership{f.a, f.b} {
				p := must[*plan.PlanView](t)(f.svc.Plan(ctx, sc))
				for _, id := range allStarters {
					it := item(t, p, id)
					if it.Evidence == nil || it.Evidence.Text == "" {
						t.Fatalf("%s has no evidence line", id)
					}
					if want := slices.Contains(tc.items, id); it.Evidence.Met != want {
						t.Errorf("%s: evidence met = %v, want %v (%q)", id, it.Evidence.Met, want, it.Evidence.Text)
					}
					if it.Done {
						t.Errorf("%s: evidence must not mark the item done by itself", id)
					}
				}
			}
			// Another couple's plan never sees this couple's evidence.
			p := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.c))
			for _, id := range []string{plan.ItemAcknowledge, plan.ItemTherapy} {
				if item(t, p, id).Evidence.Met {
					t.Errorf("another couple's %s evidence is met", id)
				}
			}
		})
	}
}

// TestMarksDoneAndHistory: "done" is each person's own mark; an item is done once both have marked it,
// either can take theirs back, and every change is in the item's history.
func TestMarksDoneAndHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	yes, no := true, false
	it := must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.a, plan.ItemCheckins, plan.ItemChange{DidMyPart: &yes}))
	if !it.Mine.DidMyPart || it.Partner == nil || it.Partner.DidMyPart || it.Done {
		t.Fatalf("after A's mark: %+v", it)
	}
	f.clock.Advance(time.Hour)
	must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.b, plan.ItemCheckins, plan.ItemChange{Noticed: &yes}))
	f.clock.Advance(time.Hour)
	it = must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.b, plan.ItemCheckins, plan.ItemChange{Done: &yes}))
	if !it.Mine.Noticed || !it.Mine.Done || !it.Partner.DidMyPart || it.Partner.Done || it.Done || it.DoneAt != nil {
		t.Fatalf("after B alone marked it done, seen by B: %+v", it)
	}
	if p := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.a)); p.Done != 0 || !item(t, p, plan.ItemCheckins).Partner.Done {
		t.Fatalf("one mark closed the item for A: %d done", p.Done)
	}
	f.clock.Advance(time.Hour)
	it = must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.a, plan.ItemCheckins, plan.ItemChange{Done: &yes}))
	if !it.Done || it.DoneAt == nil || !it.DoneAt.Equal(f.clock.Now()) || !it.Mine.Done || !it.Partner.Done {
		t.Fatalf("after both marked it done, seen by A: %+v", it)
	}
	if p := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.b)); p.Done != 1 {
		t.Errorf("tally after both marked it: %d, want 1", p.Done)
	}
	f.clock.Advance(time.Hour)
	it = must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.b, plan.ItemCheckins, plan.ItemChange{Done: &no}))
	if it.Done || it.DoneAt != nil || it.Mine.Done || !it.Partner.Done {
		t.Fatalf("after B took theirs back, seen by B: %+v", it)
	}
	p := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.a))
	got := item(t, p, plan.ItemCheckins)
	var whats []string
	for _, h := range got.History {
		whats = append(whats, fmt.Sprintf("%s/%v", h.What, h.ByMe))
	}
	if want := "did_my_part/true noticed/false done/false done/true undone/false"; strings.Join(whats, " ") != want {
		t.Errorf("history seen by A = %q, want %q", strings.Join(whats, " "), want)
	}
	if got.Done || !got.Mine.Done || p.Done != 0 || p.Total != 5 {
		t.Errorf("done = %v, A's mark %v, tally %d/%d", got.Done, got.Mine.Done, p.Done, p.Total)
	}
	// Sending the same value again records nothing new.
	must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.a, plan.ItemCheckins, plan.ItemChange{DidMyPart: &yes, Done: &yes}))
	if n := len(item(t, must[*plan.PlanView](t)(f.svc.Plan(ctx, f.a)), plan.ItemCheckins).History); n != 5 {
		t.Errorf("history has %d entries after a no-op, want 5", n)
	}
	if _, err := f.svc.ChangeItem(ctx, f.a, plan.ItemCheckins, plan.ItemChange{}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("empty change: %v, want invalid", err)
	}
	// Someone still waiting for their partner can mark an item, and it stays open.
	if it := must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.c, plan.ItemTherapy, plan.ItemChange{Done: &yes})); it.Done || !it.Mine.Done || it.Partner != nil {
		t.Errorf("a lone mark in a waiting couple: %+v", it)
	}
}

func TestCustomItemsBelongToTheirCouple(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	it := must[*plan.ItemView](t)(f.svc.AddItem(ctx, f.a, plan.ItemInput{Title: "Walk on Sundays", Notes: "After lunch"}))
	if !it.CreatedByMe || it.Evidence != nil || it.Position <= 5 {
		t.Fatalf("custom item: %+v", it)
	}
	p := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.b))
	if b := item(t, p, it.ID); b.CreatedByMe || b.Title != "Walk on Sundays" || p.Total != 6 {
		t.Errorf("B sees %+v, total %d", b, p.Total)
	}
	yes := true
	if _, err := f.svc.ChangeItem(ctx, f.c, it.ID, plan.ItemChange{Done: &yes}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another couple changing the item: %v, want not found", err)
	}
	if _, err := f.svc.ChangeItem(ctx, f.a, "no-such-item", plan.ItemChange{Done: &yes}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown item: %v, want not found", err)
	}
	if after := item(t, must[*plan.PlanView](t)(f.svc.Plan(ctx, f.a)), it.ID); after.Done {
		t.Error("another couple's attempt changed the item")
	}
	for _, in := range []plan.ItemInput{{Title: " "}, {Title: strings.Repeat("x", plan.MaxTitle+1)}, {Title: "ok", Notes: strings.Repeat("n", plan.MaxNotes+1)}} {
		if _, err := f.svc.AddItem(ctx, f.a, in); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("AddItem(%q…): %v, want invalid", in.Title[:1], err)
		}
	}
}

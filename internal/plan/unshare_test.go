package plan_test

import (
	"context"
	"testing"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/plan"
)

// TestUnshareMoment: the author can take a shared moment back; the partner and another couple cannot.
func TestUnshareMoment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	m := must[*plan.Moment](t)(f.svc.AddMoment(ctx, f.a, plan.MomentInput{Kind: "kindness", Note: "tea", Shared: true}))
	sees := func() bool {
		for _, x := range must[[]plan.Moment](t)(f.svc.Moments(ctx, f.b)) {
			if x.ID == m.ID {
				return true
			}
		}
		return false
	}
	if !sees() {
		t.Fatal("shared moment not visible to the partner")
	}
	if _, err := f.svc.UnshareMoment(ctx, f.b, m.ID); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("partner un-sharing: %v, want forbidden", err)
	}
	if _, err := f.svc.UnshareMoment(ctx, f.c, m.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("other couple un-sharing: %v, want not found", err)
	}
	got := must[*plan.Moment](t)(f.svc.UnshareMoment(ctx, f.a, m.ID))
	if got.Shared || sees() {
		t.Error("the partner still sees an un-shared moment")
	}
}

// TestUnshareAcknowledgment: after un-sharing, the partner reads nothing; the author keeps the text.
func TestUnshareAcknowledgment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	if err := f.svc.UnshareAcknowledgment(ctx, f.a); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("un-share with nothing written: %v, want not found", err)
	}
	full := plan.AckText{WhatHappened: "What I did.", Responsibility: "All mine.", Impact: "You felt alone.", Commitments: []string{"Tell you first"}}
	must[*plan.AckPage](t)(f.svc.SaveAcknowledgment(ctx, f.a, full, true))
	if p := must[*plan.AckPage](t)(f.svc.Acknowledgment(ctx, f.b)); p.Partner == nil {
		t.Fatal("shared acknowledgment not visible")
	}
	if err := f.svc.UnshareAcknowledgment(ctx, f.b); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("the partner un-sharing (has none of their own): %v, want not found", err)
	}
	if err := f.svc.UnshareAcknowledgment(ctx, f.a); err != nil {
		t.Fatal(err)
	}
	if p := must[*plan.AckPage](t)(f.svc.Acknowledgment(ctx, f.b)); p.Partner != nil {
		t.Errorf("the partner still reads an un-shared acknowledgment: %+v", p.Partner)
	}
	p := must[*plan.AckPage](t)(f.svc.Acknowledgment(ctx, f.a))
	if p.Mine == nil || p.Mine.Shared != nil || p.Mine.Text.WhatHappened != "What I did." {
		t.Errorf("author's acknowledgment after un-sharing: %+v", p.Mine)
	}
}

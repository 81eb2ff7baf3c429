package plan_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/testutil"
)

// TestAcknowledgmentAndTherapyReadOneStatementEach checks that the acknowledgment page finds both
// people's acknowledgments in one statement (none yet written: that is the whole read), and that the
// therapy view, decision and asks together, is one statement, with the same answers as before.
func TestAcknowledgmentAndTherapyReadOneStatementEach(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	m := must[*plan.AckPage](t)
	q := testutil.CountStatements(t, f.db)

	var page *plan.AckPage
	sql := q.During(func() { page = m(f.svc.Acknowledgment(ctx, f.a)) })
	if page.Mine != nil || page.Partner != nil {
		t.Fatalf("empty page = %+v", page)
	}
	if len(sql) != 1 {
		t.Errorf("the acknowledgment page with nothing written ran %d statements, want 1:\n%s", len(sql), strings.Join(sql, "\n"))
	}

	m(f.svc.SaveAcknowledgment(ctx, f.a, plan.AckText{WhatHappened: "What A did", Responsibility: "Mine", Impact: "Hurt",
		Commitments: []string{"Tell the truth"}}, true))
	m(f.svc.SaveAcknowledgment(ctx, f.b, plan.AckText{WhatHappened: "What B did"}, false))
	sql = q.During(func() { page = m(f.svc.Acknowledgment(ctx, f.b)) })
	if page.Mine == nil || page.Mine.Text.WhatHappened != "What B did" || page.Partner == nil || page.Partner.Text.WhatHappened != "What A did" ||
		page.Partner.Text.Commitments[0] != "Tell the truth" {
		t.Fatalf("page = %+v", page)
	}
	acks := 0
	for _, s := range sql {
		if strings.Contains(s, "FROM acknowledgments") || strings.Contains(s, "FROM \"acknowledgments\"") || strings.Contains(s, "FROM `acknowledgments`") {
			acks++
		}
	}
	if acks != 1 {
		t.Errorf("the acknowledgment page read the acknowledgments in %d statements, want 1:\n%s", acks, strings.Join(sql, "\n"))
	}

	// The therapy view, after a decision and both asks.
	mt := must[*plan.TherapyView](t)
	tv := func(ms *plan.TherapyView, err error) *plan.TherapyView { return mt(ms, err) }
	yes, notNow := true, plan.TherapyNotNow
	tv(f.svc.RecordTherapy(ctx, f.a, plan.TherapyInput{Ask: &yes}))
	tv(f.svc.RecordTherapy(ctx, f.b, plan.TherapyInput{Decision: &notNow, RevisitOn: "2027-01-15", Ask: &yes}))
	var view *plan.TherapyView
	sql = q.During(func() { view = tv(f.svc.RecordTherapy(ctx, f.a, plan.TherapyInput{Ask: &yes})) })
	if view.Decision != plan.TherapyNotNow || view.RevisitOn != "2027-01-15" || view.DecidedByMe || view.DecidedAt == nil ||
		!view.DecidedAt.Equal(start) || !view.Asked || !view.BothAsked {
		t.Fatalf("therapy view = %+v", view)
	}
	therapy := 0
	for _, s := range sql {
		if strings.Contains(s, "plan_therapy_") && strings.HasPrefix(strings.TrimSpace(s), "SELECT") {
			therapy++
		}
	}
	if therapy != 1 {
		t.Errorf("the therapy view ran %d statements, want 1:\n%s", therapy, strings.Join(sql, "\n"))
	}
}

package plan_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
)

func TestMomentsArePrivateUnlessShared(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	priv := must[*plan.Moment](t)(f.svc.AddMoment(ctx, f.a, plan.MomentInput{Kind: "kindness", Note: "PRIVATE-NOTE"}))
	shared := must[*plan.Moment](t)(f.svc.AddMoment(ctx, f.a, plan.MomentInput{Kind: "routine", On: "2026-11-20", Note: "walk", Shared: true}))
	if priv.OnDate != "2026-11-25" {
		t.Errorf("default date %s, want today", priv.OnDate)
	}
	seen := func(sc *couple.Membership) map[string]bool {
		out := map[string]bool{}
		for _, m := range must[[]plan.Moment](t)(f.svc.Moments(ctx, sc)) {
			out[m.ID] = true
		}
		return out
	}
	if a := seen(f.a); !a[priv.ID] || !a[shared.ID] {
		t.Errorf("A sees %v", a)
	}
	if b := seen(f.b); b[priv.ID] || !b[shared.ID] || len(b) != 1 {
		t.Errorf("B sees %v, want only the shared one", b)
	}
	if c := seen(f.c); len(c) != 0 {
		t.Errorf("another couple sees %v", c)
	}
	// Counts on the progress page follow the same rule.
	countFor := func(sc *couple.Membership) int {
		n := 0
		for _, w := range must[*plan.ProgressView](t)(f.svc.Progress(ctx, sc)).Weeks {
			n += w.Moments
		}
		return n
	}
	if a, b := countFor(f.a), countFor(f.b); a != 2 || b != 1 {
		t.Errorf("moment counts: A %d, B %d; want 2 and 1", a, b)
	}
	cases := []struct {
		name string
		sc   *couple.Membership
		id   string
		kind apperr.Kind
	}{
		{"partner deletes a private moment", f.b, priv.ID, apperr.NotFound},
		{"partner deletes a shared moment", f.b, shared.ID, apperr.Forbidden},
		{"other couple deletes", f.c, shared.ID, apperr.NotFound},
		{"missing", f.a, "nope", apperr.NotFound},
	}
	for _, tc := range cases {
		if err := f.svc.DeleteMoment(ctx, tc.sc, tc.id); !apperr.Is(err, tc.kind) {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.kind)
		}
	}
	if _, err := f.svc.ShareMoment(ctx, f.b, priv.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("partner sharing A's private moment: %v", err)
	}
	if len(seen(f.a)) != 2 {
		t.Fatal("a refused delete removed something")
	}
	must[*plan.Moment](t)(f.svc.ShareMoment(ctx, f.a, priv.ID))
	if b := seen(f.b); !b[priv.ID] {
		t.Error("shared moment not visible to B")
	}
	if err := f.svc.DeleteMoment(ctx, f.a, priv.ID); err != nil {
		t.Fatalf("author delete: %v", err)
	}
	if a := seen(f.a); a[priv.ID] {
		t.Error("deleted moment still listed")
	}
	for _, in := range []plan.MomentInput{{Kind: "hug"}, {Kind: "other", On: "2026-11-26"}, {Kind: "other", On: "26/11/2026"}, {Kind: "other", On: "2020-01-01"}} {
		if _, err := f.svc.AddMoment(ctx, f.a, in); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("AddMoment(%+v): %v, want invalid", in, err)
		}
	}
}

func TestProgressSeries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	trust := [][2]int{{2, 8}, {3, 8}, {4, 9}, {5, 9}}
	f.src.weeks = weeksOf(start, f.a.Me.UserID, f.b.Me.UserID, trust, 3)
	f.src.weeks[1].Kept, f.src.weeks[1].NotKept = 2, 1
	f.src.agreements.FirstBothAccepted = start.AddDate(0, 0, -20)
	f.src.agreements.Withdrawals = []time.Time{start.AddDate(0, 0, -8)}
	yes := true
	// An item counts from the week the second of you marked it; one mark alone never counts.
	f.clock.Set(start.AddDate(0, 0, -21))
	must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.a, plan.ItemCheckins, plan.ItemChange{Done: &yes}))
	f.clock.Set(start.AddDate(0, 0, -14))
	must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.b, plan.ItemCheckins, plan.ItemChange{Done: &yes}))
	f.clock.Set(start.AddDate(0, 0, -7))
	must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.a, plan.ItemListening, plan.ItemChange{Done: &yes}))
	f.clock.Set(start)
	must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.b, plan.ItemBoundaries, plan.ItemChange{Done: &yes}))
	must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.a, plan.ItemBoundaries, plan.ItemChange{Done: &yes}))

	pa := must[*plan.ProgressView](t)(f.svc.Progress(ctx, f.a))
	if len(pa.Weeks) != 5 || pa.Weeks[4].Week != "2026-W48" || pa.Weeks[4].Opened || len(pa.Opened) != 4 {
		t.Fatalf("weeks: %+v", pa.Weeks)
	}
	w1 := pa.Opened[1]
	if *w1.MyTrust != 3 || *w1.PartnerTrust != 8 || *w1.MyConnection != 4 || *w1.MySafety != 3 || w1.Kept != 2 || w1.NotKept != 1 {
		t.Errorf("week 2 for A: %+v", w1)
	}
	if got := []int{pa.Weeks[0].PlanDone, pa.Weeks[1].PlanDone, pa.Weeks[2].PlanDone, pa.Weeks[3].PlanDone, pa.Weeks[4].PlanDone}; got[1] != 0 || got[2] != 1 || got[3] != 1 || got[4] != 2 {
		t.Errorf("plan done per week %v, want [0 0 1 1 2]", got)
	}
	if pa.Weeks[3].Withdrawn != 1 || pa.Done != 2 || pa.Total != 5 {
		t.Errorf("withdrawn %d, tally %d/%d", pa.Weeks[3].Withdrawn, pa.Done, pa.Total)
	}
	if len(pa.Diverging) != 2 {
		t.Errorf("diverging = %v, want trust and connection (gaps of 4+ in the last two weeks)", pa.Diverging)
	}
	var keys []string
	for _, w := range pa.Wins {
		keys = append(keys, w.Key)
	}
	if len(keys) != 3 || keys[0] != "first_checkin" || keys[1] != "first_agreement" || keys[2] != "month_of_checkins" {
		t.Errorf("wins %v", keys)
	}
	pb := must[*plan.ProgressView](t)(f.svc.Progress(ctx, f.b))
	for _, w := range pb.Opened {
		if w.MySafety == nil || *w.MySafety != 9 {
			t.Errorf("B's own safety missing or wrong in %s: %v", w.Week, w.MySafety)
		}
		if *w.MyTrust < 8 || *w.PartnerTrust > 5 {
			t.Errorf("B's view mixes up whose rating is whose: %+v", w)
		}
	}
	// One more opened week where they agree: the note goes away.
	f.src.weeks = append(f.src.weeks, weeksOf(start.AddDate(0, 0, 7), f.a.Me.UserID, f.b.Me.UserID, [][2]int{{7, 7}}, 5)...)
	if pa := must[*plan.ProgressView](t)(f.svc.Progress(ctx, f.a)); len(pa.Diverging) != 0 {
		t.Errorf("diverging after a week of agreement = %v", pa.Diverging)
	}
}

func TestDeletingAnAccountRemovesWhatItWrote(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	shareAck(t, f, f.a)
	must[*plan.AckResponse](t)(f.svc.Respond(ctx, f.b, plan.ResponseRead, "thank you"))
	shareAck(t, f, f.b)
	must[*plan.AckResponse](t)(f.svc.Respond(ctx, f.a, plan.ResponseNeedMore, "more"))
	must[*plan.Moment](t)(f.svc.AddMoment(ctx, f.a, plan.MomentInput{Kind: "kindness", Note: "a"}))
	must[*plan.Moment](t)(f.svc.AddMoment(ctx, f.b, plan.MomentInput{Kind: "kindness", Note: "b"}))
	it := must[*plan.ItemView](t)(f.svc.AddItem(ctx, f.a, plan.ItemInput{Title: "A's item"}))
	yes := true
	must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.b, it.ID, plan.ItemChange{Done: &yes, Noticed: &yes}))
	must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.a, plan.ItemTherapy, plan.ItemChange{DidMyPart: &yes}))
	decide(t, f, plan.TherapyConsidering, "")
	ask(t, f, f.a, true)

	if err := f.db.Exec("DELETE FROM users WHERE id = ?", f.a.Me.UserID).Error; err != nil {
		t.Fatalf("delete user: %v", err)
	}
	checks := map[string]string{
		"acknowledgments":          "author_id = ?",
		"acknowledgment_responses": "responder_id = ?",
		"moments":                  "author_id = ?",
		"plan_items":               "created_by = ?",
		"plan_marks":               "user_id = ?",
		"plan_events":              "user_id = ?",
		"plan_therapy_decisions":   "user_id = ?",
		"plan_therapy_asks":        "user_id = ?",
	}
	for table, where := range checks {
		var n int64
		if err := f.db.Table(table).Where(where, f.a.Me.UserID).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%s still holds %d rows of the deleted user (%v)", table, n, err)
		}
	}
	var versions, marksOnItem int64
	f.db.Table("acknowledgment_versions").Count(&versions)
	f.db.Table("plan_marks").Where("item_id = ?", it.ID).Count(&marksOnItem)
	if versions != 1 || marksOnItem != 0 {
		t.Errorf("versions left %d (want B's 1), marks on A's removed item %d", versions, marksOnItem)
	}
	var responses int64
	f.db.Table("acknowledgment_responses").Count(&responses)
	if responses != 0 {
		t.Errorf("responses left: %d (A's own went with A, B's answered A's removed acknowledgment)", responses)
	}
}

// TestProgressKeepsAnOpenedWeekFromBeforeTheCoupleStarted: a couple started on a Wednesday answers last
// week and this week, and both open on that day. Last week began before the couple existed; it is still a
// week they answered, so it is in the series and among the chart's points, whatever the time zone.
func TestProgressKeepsAnOpenedWeekFromBeforeTheCoupleStarted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, zone := range []string{"UTC", "America/New_York", "Pacific/Auckland"} {
		t.Run(zone, func(t *testing.T) {
			t.Parallel()
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			f := newFixture(t)
			copied := *f.a
			sc := &copied
			sc.Location = loc
			for _, w := range []string{"2026-W47", "2026-W48"} {
				f.src.weeks = append(f.src.weeks, plan.WeekSummary{Week: w, OpenedAt: start, People: map[string]plan.Ratings{
					f.a.Me.UserID: {Trust: intp(4), Connection: intp(5)}, f.b.Me.UserID: {Trust: intp(6), Connection: intp(7)}}})
			}
			p := must[*plan.ProgressView](t)(f.svc.Progress(ctx, sc))
			var weeks, opened []string
			for _, w := range p.Weeks {
				weeks = append(weeks, w.Week)
			}
			for _, w := range p.Opened {
				opened = append(opened, w.Week)
			}
			if strings.Join(weeks, " ") != "2026-W47 2026-W48" || strings.Join(opened, " ") != "2026-W47 2026-W48" {
				t.Errorf("series %v, opened %v; want both weeks in each", weeks, opened)
			}
			if w := p.Opened[0]; w.MyTrust == nil || *w.MyTrust != 4 || w.PartnerTrust == nil || *w.PartnerTrust != 6 {
				t.Errorf("last week's ratings: %+v", w)
			}
		})
	}
}

// TestProgressCountsAnItemUntilEitherTakesTheirDoneBack: an item counts in the series from the week the
// second of you marked it done, stops counting in the week either takes theirs back, and counts again
// once both have it marked again.
func TestProgressCountsAnItemUntilEitherTakesTheirDoneBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	yes, no := true, false
	for _, step := range []struct {
		days int
		who  *couple.Membership
		done *bool
	}{
		{-21, f.a, &yes}, {-14, f.b, &yes}, {-7, f.a, &no}, {-6, f.b, &no}, {-5, f.b, &yes}, {0, f.a, &yes},
	} {
		f.clock.Set(start.AddDate(0, 0, step.days))
		must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, step.who, plan.ItemCheckins, plan.ItemChange{Done: step.done}))
	}
	sc := *f.a
	sc.Couple.CreatedAt = start.AddDate(0, 0, -28) // the series starts in 2026-W44
	p := must[*plan.ProgressView](t)(f.svc.Progress(ctx, &sc))
	var got []int
	for _, w := range p.Weeks {
		got = append(got, w.PlanDone)
	}
	if want := []int{0, 0, 1, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("plan done per week %v, want %v", got, want)
	}
}

package checkin_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/database"
)

// statePassed is the state of a week both shared in which one of them (or both) chose "not this week".
const statePassed = checkin.State("passed")

// skipped is a shared "not this week".
var skipped = checkin.AnswerInput{Skip: true, Submit: true}

// TestSkippedWeekOpensNothing: when one partner shares full answers and the other shares "not this
// week", in either order, or both skip, neither reads the other's answers (DESIGN §2.4). The week has
// passed: the same state for both, nothing to restate, and the answers are fixed.
func TestSkippedWeekOpensNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		first, later func(tag string) checkin.AnswerInput
	}{
		{"the sharer first", func(tag string) checkin.AnswerInput { return full(tag, 6, 6, 6, true) },
			func(string) checkin.AnswerInput { return skipped }},
		{"the skipper first", func(string) checkin.AnswerInput { return skipped },
			func(tag string) checkin.AnswerInput { return full(tag, 6, 6, 6, true) }},
		{"both skip", func(string) checkin.AnswerInput { return skipped },
			func(string) checkin.AnswerInput { return skipped }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			p := f.couple("Europe/London")
			const week = "2026-W48"
			f.save(p.a, week, tc.first("SKIP-A"))
			v := f.save(p.b, week, tc.later("SKIP-B"))
			if v.State != statePassed || v.Partner != nil || v.Editable || len(v.Reflections) != 0 {
				t.Fatalf("the share that completes a skipped week: state %s, partner %+v, editable %v", v.State, v.Partner, v.Editable)
			}
			for _, me := range []string{p.a, p.b} {
				v := f.week(me, week)
				if v.State != statePassed || v.Partner != nil || v.PartnerGone || v.Editable || v.Mine == nil {
					t.Errorf("the skipped week as %s: state %s, partner %+v, gone %v, editable %v", me, v.State, v.Partner, v.PartnerGone, v.Editable)
				}
				_, list, err := f.svc.Weeks(f.ctx, f.m(me))
				if err != nil || list[0].Week.String() != week || list[0].State != statePassed {
					t.Errorf("the week list as %s: %+v %v", me, list, err)
				}
				g, err := f.svc.Glance(f.ctx, f.m(me))
				if err != nil || g.Week.State != statePassed {
					t.Errorf("the dashboard's glance as %s: %+v %v", me, g, err)
				}
				_, err = f.svc.Reflect(f.ctx, f.m(me), week, "I heard you.")
				wantKind(t, err, apperr.Conflict)
				_, err = f.svc.SaveAnswer(f.ctx, f.m(me), week, full("LATE", 1, 1, 1, true))
				wantKind(t, err, apperr.Conflict)
				ex, err := f.svc.Export(f.ctx, me, f.m(me))
				if err != nil || len(ex.Partner) != 0 {
					t.Errorf("export as %s carries the other's answers of a skipped week: %+v %v", me, ex.Partner, err)
				}
				raw, _ := json.Marshal(ex)
				other := "SKIP-B"
				if me == p.b {
					other = "SKIP-A"
				}
				if strings.Contains(string(raw), other) {
					t.Errorf("export as %s contains the other's %s", me, other)
				}
			}
			if weeks, err := f.svc.OpenedWeeks(f.ctx, checkin.OpenedWeeksQuery{CoupleID: p.coupleID, ViewerID: p.a, PartnerID: p.b}); err != nil || len(weeks) != 0 {
				t.Errorf("a skipped week counted as an opened week: %+v %v", weeks, err)
			}
		})
	}
}

// TestSkipCanBeTakenBackBeforeTheWeekPasses: until both have shared, "not this week" is a draft like any
// other; answering in full then opens the week as usual.
func TestSkipCanBeTakenBackBeforeTheWeekPasses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	f.save(p.a, "2026-W48", skipped)
	f.save(p.a, "2026-W48", full("A", 5, 5, 5, false))
	f.save(p.a, "2026-W48", full("A", 5, 5, 5, true))
	if v := f.save(p.b, "2026-W48", full("B", 5, 5, 5, true)); v.State != checkin.StateOpened || v.Partner == nil {
		t.Fatalf("full answers after a skip taken back: %s %+v", v.State, v.Partner)
	}
}

// TestMigrationPassesWeeksOpenedWithASkip: a week opened before the rule, with a skip in it, passes
// when the database is migrated; a week both answered in full stays opened; migrating down and up again
// keeps both.
func TestMigrationPassesWeeksOpenedWithASkip(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	f.save(p.a, "2026-W48", full("A", 5, 5, 5, true))
	f.save(p.b, "2026-W48", skipped)
	f.save(p.a, "2026-W47", full("A", 5, 5, 5, true))
	f.save(p.b, "2026-W47", full("B", 5, 5, 5, true))
	ctx := context.Background()
	if err := database.MigrateDownTo(ctx, f.db, 8); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := f.db.Table("checkin_weeks").Where("couple_id = ?", p.coupleID).Count(&n).Error; err != nil || n != 2 {
		t.Fatalf("before the rule, both weeks were opened: %d %v", n, err)
	}
	if err := database.Migrate(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	if v := f.week(p.b, "2026-W48"); v.State != statePassed || v.Partner != nil {
		t.Errorf("the week with a skip after migrating: %s %+v", v.State, v.Partner)
	}
	if v := f.week(p.b, "2026-W47"); v.State != checkin.StateOpened || v.Partner == nil {
		t.Errorf("the week answered in full after migrating: %s %+v", v.State, v.Partner)
	}
}

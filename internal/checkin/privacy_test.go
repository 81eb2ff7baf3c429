package checkin_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/checkin"
)

func TestLowSafetyIsPerPersonAndLifts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	if f.svc.LowSafety(f.ctx, p.coupleID, p.a) {
		t.Fatal("low safety before any answer")
	}
	v := f.save(p.a, "2026-W48", full("A", 5, 5, 3, false)) // a draft counts: it may never be shared
	if !v.LowSafety || !f.svc.LowSafety(f.ctx, p.coupleID, p.a) {
		t.Fatal("a safety answer of 3 did not turn joint suggestions off")
	}
	if f.svc.LowSafety(f.ctx, p.coupleID, p.b) || f.week(p.b, "2026-W48").LowSafety {
		t.Fatal("A's low safety answer affected B")
	}
	f.save(p.a, "2026-W47", full("A", 5, 5, 9, false)) // an older week does not lift it
	if !f.svc.LowSafety(f.ctx, p.coupleID, p.a) {
		t.Fatal("an older, higher answer lifted the flag")
	}
	f.save(p.a, "2026-W48", checkin.AnswerInput{Skip: true}) // "not this week" says nothing about safety
	if f.svc.LowSafety(f.ctx, p.coupleID, p.a) {
		t.Fatal("flag kept after the low answer was replaced; the latest rating is 9")
	}
	f.save(p.a, "2026-W48", full("A", 5, 5, 4, true))
	if f.svc.LowSafety(f.ctx, p.coupleID, p.a) {
		t.Fatal("an answer of 4 kept joint suggestions off")
	}
}

func TestExportKeepsThePartnersSafetyOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := opened(f)
	r, err := f.svc.Reflect(f.ctx, f.m(p.b), "2026-W48", "B heard A")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Respond(f.ctx, f.m(p.a), "2026-W48", r.ID, true, "A confirms"); err != nil {
		t.Fatal(err)
	}
	f.save(p.a, "2026-W47", full("A-sealed", 1, 1, 1, true)) // shared but never opened
	if _, err := f.svc.StartTimeout(f.ctx, f.m(p.a), f.clock.Now().Add(time.Hour), "A's pause note"); err != nil {
		t.Fatal(err)
	}

	ex, err := f.svc.Export(f.ctx, p.b, f.m(p.b))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Mine) != 1 || *ex.Mine[0].Safety != 6 {
		t.Errorf("B's own answers: %+v", ex.Mine)
	}
	if len(ex.Partner) != 1 || ex.Partner[0].Week != "2026-W48" || ex.Partner[0].Safety != nil || ex.Partner[0].Trust == nil {
		t.Errorf("B's export of A's answers: %+v", ex.Partner)
	}
	raw, _ := json.Marshal(ex)
	if strings.Contains(string(raw), "A-sealed") {
		t.Error("B's export contains A's unopened answers")
	}
	if len(ex.Reflections) != 1 || ex.Reflections[0].Note != "A confirms" || len(ex.Timeouts) != 1 {
		t.Errorf("B's export: reflections %+v timeouts %+v", ex.Reflections, ex.Timeouts)
	}

	// After the couple ends, each keeps only what they wrote themselves.
	if err := f.db.Exec("UPDATE couple_members SET left_at = ? WHERE couple_id = ?", f.clock.Now(), p.coupleID).Error; err != nil {
		t.Fatal(err)
	}
	ex, err = f.svc.Export(f.ctx, p.b, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = json.Marshal(ex)
	for _, gone := range []string{"A-appreciation", "A confirms", "A's pause note"} {
		if strings.Contains(string(raw), gone) {
			t.Errorf("former partner's %q in B's export", gone)
		}
	}
	if len(ex.Mine) != 1 || len(ex.Reflections) != 1 || ex.Reflections[0].Text != "B heard A" {
		t.Errorf("B's own writing missing after the couple ended: %+v", ex)
	}
}

func TestDeletingAUserCascades(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := opened(f)
	r, err := f.svc.Reflect(f.ctx, f.m(p.b), "2026-W48", "B heard A")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Respond(f.ctx, f.m(p.a), "2026-W48", r.ID, true, "A's clarification"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Validate(f.ctx, f.m(p.b), "2026-W48", r.ID, "B validates"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Reflect(f.ctx, f.m(p.a), "2026-W48", "A heard B"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.StartTimeout(f.ctx, f.m(p.a), f.clock.Now().Add(time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	err = f.db.Transaction(func(tx *gorm.DB) error {
		if err := checkin.Erase(f.ctx, tx, p.a); err != nil {
			return err
		}
		return tx.Exec("DELETE FROM users WHERE id = ?", p.a).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]string{
		"checkin_answers":     "user_id = '" + p.a + "'",
		"checkin_reflections": "listener_id = '" + p.a + "' OR author_id = '" + p.a + "' OR text LIKE 'A %' OR note <> ''",
		"checkin_timeouts":    "user_id = '" + p.a + "'",
	}
	for table, where := range counts {
		var n int64
		if err := f.db.Table(table).Where(where).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%s: %d rows of the deleted user's writing left (%v)", table, n, err)
		}
	}
	var b int64
	f.db.Table("checkin_answers").Where("user_id = ?", p.b).Count(&b)
	if b != 1 {
		t.Errorf("B's own answers were removed with A's account: %d", b)
	}
	v := f.week(p.b, "2026-W48")
	if v.State != checkin.StateOpened || v.Partner != nil || !v.PartnerGone || v.Mine == nil {
		t.Errorf("B's view of the opened week after A's deletion: %+v", v)
	}
	if len(v.Reflections) != 1 || v.Reflections[0].Text != "B heard A" || v.Reflections[0].Validation != "B validates" ||
		v.Reflections[0].Accurate != nil || v.Reflections[0].Note != "" {
		t.Errorf("B's own reflection after A's deletion: %+v", v.Reflections)
	}
}

func TestFactsForOtherFeatures(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.active = []checkin.AgreementRef{{ID: "ag", Title: "Sunday talk"}}
	p := f.couple("Europe/London")
	a := full("A", 3, 4, 7, true)
	a.Agreements = []checkin.KeptInput{{AgreementID: "ag", Kept: "kept"}}
	f.save(p.a, "2026-W48", a)
	f.save(p.a, "2026-W47", full("A", 1, 1, 1, true)) // never opened: not summarised
	b := full("B", 8, 9, 6, true)
	b.Agreements = []checkin.KeptInput{{AgreementID: "ag", Kept: "not_sure"}}
	f.save(p.b, "2026-W48", b)
	weeks, err := f.svc.OpenedWeeks(f.ctx, checkin.OpenedWeeksQuery{CoupleID: p.coupleID, ViewerID: p.b, PartnerID: p.a})
	if err != nil || len(weeks) != 1 {
		t.Fatalf("opened weeks: %+v %v", weeks, err)
	}
	w := weeks[0]
	if w.Week.String() != "2026-W48" || w.Kept != 1 || w.NotSure != 1 || *w.Partner.Trust != 3 || *w.Me.Trust != 8 || *w.Me.Safety != 6 || !w.OpenedAt.IsZero() {
		t.Errorf("summary: %+v", w)
	}
	if w.Partner.Safety != nil {
		t.Errorf("B's summary carries A's safety rating %d", *w.Partner.Safety)
	}
	// Kept counts are read only from KeptFrom on; the ratings still come for every opened week, and
	// when it opened when asked.
	later, err := f.svc.OpenedWeeks(f.ctx, checkin.OpenedWeeksQuery{CoupleID: p.coupleID, ViewerID: p.b, PartnerID: p.a,
		KeptFrom: checkin.Week{Year: 2026, Num: 49}, OpenedAt: 1})
	if err != nil || len(later) != 1 || later[0].Kept+later[0].NotSure != 0 || *later[0].Partner.Trust != 3 || later[0].OpenedAt.IsZero() {
		t.Errorf("opened weeks with kept counts from W49: %+v %v", later, err)
	}
	// Without a partner named, B reads only their own ratings.
	alone, err := f.svc.OpenedWeeks(f.ctx, checkin.OpenedWeeksQuery{CoupleID: p.coupleID, ViewerID: p.b})
	if err != nil || len(alone) != 1 || alone[0].Partner != (checkin.PersonRatings{}) || *alone[0].Me.Trust != 8 {
		t.Errorf("opened weeks without a partner: %+v %v", alone, err)
	}
	// A's latest safety answer is W48's 7; the 1 of the older W47 does not count.
	if low, err := f.svc.CheckLowSafety(f.ctx, p.coupleID, p.a); err != nil || low {
		t.Errorf("low safety = %v %v, want false", low, err)
	}
}

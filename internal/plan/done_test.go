package plan_test

import (
	"context"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/plan"
)

// TestMigrationKeepsEachEarlierDoneMarkWithWhoeverMadeIt: before migration 00006 one person's "done"
// closed an item and anyone's "not done" reopened it. Each person keeps the "done" they said last on each
// item, so an item done then keeps counting as marked by whoever marked it and is done again once the other
// confirms, and the progress series (read from the same history) agrees with the tally. Migrating down puts
// back the one-person "done" for every item someone has marked.
func TestMigrationKeepsEachEarlierDoneMarkWithWhoeverMadeIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	if err := database.MigrateDownTo(ctx, f.db, 5); err != nil {
		t.Fatal(err)
	}
	t1, t2, t3 := start.Add(-3*time.Hour), start.Add(-2*time.Hour), start.Add(-time.Hour)
	exec := func(q string, args ...any) {
		t.Helper()
		if err := f.db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	addItem := func(id string, doneAt *time.Time) {
		exec("INSERT INTO plan_items (couple_id, id, starter, position, created_at, done_at) VALUES (?, ?, ?, 1, ?, ?)", f.a.Couple.ID, id, id, t1, doneAt)
	}
	n := 0
	event := func(id, user, what string, at time.Time) {
		n++
		exec("INSERT INTO plan_events (id, couple_id, item_id, user_id, what, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			id+"-"+what+string(rune('a'+n)), f.a.Couple.ID, id, user, what, at)
	}
	// A marked check-ins done (and had said "I did my part"). A marked boundaries done, B reopened it and
	// marked it done again: each said "done" last. A marked listening done and took it back. A marked
	// therapy done and B reopened it.
	addItem(plan.ItemCheckins, &t1)
	event(plan.ItemCheckins, f.a.Me.UserID, "done", t1)
	exec("INSERT INTO plan_marks (couple_id, item_id, user_id, did_my_part, noticed, updated_at) VALUES (?, ?, ?, ?, ?, ?)", f.a.Couple.ID, plan.ItemCheckins, f.a.Me.UserID, true, false, t1)
	addItem(plan.ItemBoundaries, &t3)
	event(plan.ItemBoundaries, f.a.Me.UserID, "done", t1)
	event(plan.ItemBoundaries, f.b.Me.UserID, "undone", t2)
	event(plan.ItemBoundaries, f.b.Me.UserID, "done", t3)
	addItem(plan.ItemListening, nil)
	event(plan.ItemListening, f.a.Me.UserID, "done", t1)
	event(plan.ItemListening, f.a.Me.UserID, "undone", t2)
	addItem(plan.ItemTherapy, nil)
	event(plan.ItemTherapy, f.a.Me.UserID, "done", t1)
	event(plan.ItemTherapy, f.b.Me.UserID, "undone", t2)
	if err := database.Migrate(ctx, f.db); err != nil {
		t.Fatal(err)
	}

	p := must[*plan.PlanView](t)(f.svc.Plan(ctx, f.b))
	cases := []struct {
		id                  string
		mine, partner, done bool
	}{
		{plan.ItemCheckins, false, true, false},
		{plan.ItemBoundaries, true, true, true},
		{plan.ItemListening, false, false, false},
		{plan.ItemTherapy, false, true, false},
	}
	for _, tc := range cases {
		it := item(t, p, tc.id)
		if it.Mine.Done != tc.mine || it.Partner.Done != tc.partner || it.Done != tc.done {
			t.Errorf("%s seen by B after the migration: mine %v, partner %v, done %v; want %v, %v, %v",
				tc.id, it.Mine.Done, it.Partner.Done, it.Done, tc.mine, tc.partner, tc.done)
		}
	}
	if b := item(t, p, plan.ItemBoundaries); p.Done != 1 || b.DoneAt == nil || !b.DoneAt.Equal(t3) {
		t.Errorf("%d items done after the migration (boundaries done at %v), want 1, at %v", p.Done, b.DoneAt, t3)
	}
	pr := must[*plan.ProgressView](t)(f.svc.Progress(ctx, f.b))
	if last := pr.Weeks[len(pr.Weeks)-1]; last.PlanDone != 1 || pr.Done != 1 {
		t.Errorf("progress after the migration: %d done this week, tally %d; want 1 and 1", last.PlanDone, pr.Done)
	}
	if a := item(t, must[*plan.PlanView](t)(f.svc.Plan(ctx, f.a)), plan.ItemCheckins); !a.Mine.DidMyPart || !a.Mine.Done {
		t.Errorf("A's own marks on check-ins after the migration: %+v", a.Mine)
	}
	yes := true
	if it := must[*plan.ItemView](t)(f.svc.ChangeItem(ctx, f.b, plan.ItemCheckins, plan.ItemChange{Done: &yes})); !it.Done {
		t.Errorf("B's confirmation does not close the migrated item: %+v", it)
	}

	if err := database.MigrateDownTo(ctx, f.db, 5); err != nil {
		t.Fatal(err)
	}
	var done []string
	if err := f.db.Raw("SELECT id FROM plan_items WHERE couple_id = ? AND done_at IS NOT NULL ORDER BY id", f.a.Couple.ID).Scan(&done).Error; err != nil {
		t.Fatal(err)
	}
	if len(done) != 3 || done[0] != plan.ItemBoundaries || done[1] != plan.ItemCheckins || done[2] != plan.ItemTherapy {
		t.Errorf("done after migrating down: %v, want boundaries, checkins and therapy", done)
	}
}

package agreement_test

import (
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/agreement"
)

func TestDeletingAnAccountRemovesWhatItWrote(t *testing.T) {
	t.Parallel()
	for _, hookFirst := range []bool{true, false} {
		name := "hook then user row"
		if !hookFirst {
			name = "user row then hook"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, false)
			x := f.create(t, f.a, input("A's, then edited by B"))
			must(t)(f.svc.Accept(ctx, f.b, x.ID, 1, "B's note"))
			must(t)(f.svc.Edit(ctx, f.b, x.ID, 1, input("B's edit")))
			must(t)(f.svc.Accept(ctx, f.a, x.ID, 2, ""))
			y := f.create(t, f.b, input("B's own"))
			must(t)(f.svc.Accept(ctx, f.a, y.ID, 1, ""))
			z := f.create(t, f.a, input("A's own"))
			must(t)(f.svc.Accept(ctx, f.b, z.ID, 1, ""))

			err := f.db.Transaction(func(tx *gorm.DB) error {
				if !hookFirst {
					if err := tx.Exec("DELETE FROM users WHERE id = ?", f.b.UserID).Error; err != nil {
						return err
					}
				}
				if err := agreement.DeleteUser(ctx, tx, f.b.UserID); err != nil {
					return err
				}
				return tx.Exec("DELETE FROM users WHERE id = ?", f.b.UserID).Error
			})
			if err != nil {
				t.Fatalf("delete: %v", err)
			}
			for _, table := range []string{"agreement_versions WHERE author_id = ?", "agreement_events WHERE actor_id = ?"} {
				var n int64
				f.db.Raw("SELECT COUNT(*) FROM "+table, f.b.UserID).Scan(&n)
				if n != 0 {
					t.Errorf("%d rows left in %s", n, table)
				}
			}
			gx := must(t)(f.svc.Get(ctx, f.a, x.ID))
			if len(gx.Versions) != 1 || gx.Current.Title != "A's, then edited by B" || len(gx.Log) != 1 || gx.Log[0].ActorID != f.a.UserID {
				t.Errorf("x = versions %+v log %+v", gx.Versions, gx.Log)
			}
			if _, err := f.svc.Get(ctx, f.a, y.ID); err == nil {
				t.Error("an agreement only B wrote survived")
			}
			var n int64
			f.db.Raw("SELECT COUNT(*) FROM agreements WHERE id = ?", y.ID).Scan(&n)
			if n != 0 {
				t.Error("the empty agreement row survived")
			}
			gz := must(t)(f.svc.Get(ctx, f.a, z.ID))
			if len(gz.Versions) != 1 || len(gz.Log) != 1 {
				t.Errorf("z = %+v", gz)
			}
		})
	}
}

func TestForUserIncludesTheArchiveOfFormerCouples(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	mine := f.create(t, f.a, input("Written by A"))
	theirs := f.create(t, f.b, input("Written by B, accepted by A"))
	must(t)(f.svc.Accept(ctx, f.a, theirs.ID, 1, ""))
	untouched := f.create(t, f.b, input("Written by B only"))
	got, err := f.svc.ForUser(ctx, f.a)
	if err != nil || len(got) != 3 {
		t.Fatalf("current couple: %d agreements, %v", len(got), err)
	}
	// The couple ends: A's archive keeps what A wrote or accepted.
	if err := f.db.Exec("UPDATE couple_members SET left_at = CURRENT_TIMESTAMP WHERE couple_id = ?", f.a.CoupleID).Error; err != nil {
		t.Fatal(err)
	}
	got, err = f.svc.ForUser(ctx, agreement.Scope{UserID: f.a.UserID})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, v := range got {
		ids[v.ID] = true
	}
	if len(got) != 2 || !ids[mine.ID] || !ids[theirs.ID] || ids[untouched.ID] {
		t.Fatalf("archive = %v", ids)
	}
}

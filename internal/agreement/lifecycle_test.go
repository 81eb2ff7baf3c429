package agreement_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/agreement"
)

// deleteB deletes B's account inside one transaction, running the hook before the users row goes (as
// couple.DeleteAccount does) or, with hookFirst false, after the cascade has already run.
func deleteB(t *testing.T, f *fixture, hookFirst bool) {
	t.Helper()
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
}

// noneOfB checks that no agreement row names B and that none of B's own words outside joint texts are left.
func noneOfB(t *testing.T, f *fixture, words ...string) {
	t.Helper()
	for _, table := range []string{"agreement_versions WHERE author_id = ?", "agreement_events WHERE actor_id = ?"} {
		var n int64
		f.db.Raw("SELECT COUNT(*) FROM "+table, f.b.UserID).Scan(&n)
		if n != 0 {
			t.Errorf("%d rows left in %s", n, table)
		}
	}
	for _, w := range words {
		var n int64
		f.db.Raw("SELECT (SELECT COUNT(*) FROM agreement_versions WHERE title = ? OR body = ?) + (SELECT COUNT(*) FROM agreement_events WHERE note = ?)", w, w, w).Scan(&n)
		if n != 0 {
			t.Errorf("%q is still in the agreement tables", w)
		}
	}
}

// TestDeletingAnAccountKeepsOnlyJointTexts covers DESIGN §2.9: when B deletes their account, every
// version both partners accepted stays for A, without B's id (author and B's consent become "a former
// partner"), so its status reads as before; a version only B accepted goes, and so do B's notes and
// every log entry of B's on a version that was not joint.
func TestDeletingAnAccountKeepsOnlyJointTexts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	m := must(t)
	x := f.create(t, f.a, input("A's, then edited by B"))
	m(f.svc.Accept(ctx, f.b, x.ID, 1, "B's note"))
	m(f.svc.Edit(ctx, f.b, x.ID, 1, input("B's edit")))
	m(f.svc.Accept(ctx, f.a, x.ID, 2, ""))
	y := f.create(t, f.b, input("B's own, accepted by A"))
	m(f.svc.Accept(ctx, f.a, y.ID, 1, ""))
	z := f.create(t, f.a, input("A's own, then withdrawn by B"))
	m(f.svc.Accept(ctx, f.b, z.ID, 1, ""))
	m(f.svc.Withdraw(ctx, f.b, z.ID, "B's withdrawal note"))
	w := f.create(t, f.b, input("B's alone"))
	u := f.create(t, f.a, input("A's, with an edit only B accepted"))
	m(f.svc.Accept(ctx, f.b, u.ID, 1, ""))
	m(f.svc.Edit(ctx, f.b, u.ID, 1, input("B's unaccepted edit")))
	r := f.create(t, f.a, input("A's, reviewed by B"))
	m(f.svc.Accept(ctx, f.b, r.ID, 1, ""))
	m(f.svc.Review(ctx, f.b, r.ID, "2027-02-01", "B's review note"))
	alone := f.create(t, f.a, input("A's alone"))

	deleteB(t, f, true)
	noneOfB(t, f, "B's note", "B's withdrawal note", "B's review note", "B's alone", "B's unaccepted edit")

	gx := m(f.svc.Get(ctx, f.a, x.ID))
	if len(gx.Versions) != 2 || gx.Current.Title != "B's edit" || gx.Current.AuthorID != "" || gx.Versions[0].AuthorID != f.a.UserID {
		t.Errorf("x versions = %+v", gx.Versions)
	}
	wantStatus(t, gx, agreement.StatusActive)
	if len(gx.Log) != 4 || gx.Log[1].ActorID != "" || gx.Log[1].Note != "" || gx.Log[2].ActorID != "" || gx.Log[3].ActorID != f.a.UserID {
		t.Errorf("x log = %+v", gx.Log)
	}
	gy := m(f.svc.Get(ctx, f.a, y.ID))
	wantStatus(t, gy, agreement.StatusActive)
	if gy.Current.AuthorID != "" || gy.Current.Title != "B's own, accepted by A" {
		t.Errorf("y = %+v", gy.Current)
	}
	gz := m(f.svc.Get(ctx, f.a, z.ID))
	wantStatus(t, gz, agreement.StatusWithdrawn)
	if last := gz.Log[len(gz.Log)-1]; last.Action != agreement.ActionWithdrawn || last.ActorID != "" || last.Note != "" {
		t.Errorf("z's withdrawal = %+v", last)
	}
	if _, err := f.svc.Get(ctx, f.a, w.ID); err == nil {
		t.Error("an agreement only B accepted survived")
	}
	gu := m(f.svc.Get(ctx, f.a, u.ID))
	if len(gu.Versions) != 1 || gu.Current.Number != 1 {
		t.Errorf("u kept versions %+v, want only the joint version 1", gu.Versions)
	}
	wantStatus(t, gu, agreement.StatusActive)
	gr := m(f.svc.Get(ctx, f.a, r.ID))
	if gr.ReviewOn != "2027-02-01" {
		t.Errorf("r's review date = %s, want the one recorded in the review", gr.ReviewOn)
	}
	if got := m(f.svc.Get(ctx, f.a, alone.ID)); len(got.Log) != 1 {
		t.Errorf("A's own agreement changed: %+v", got.Log)
	}
}

// With the users row gone first, the cascade has already taken everything of B's, joint texts included:
// the hook must run before the users row is deleted (couple.DeleteAccount does), and after it nothing of
// B's is left either way.
func TestDeletingTheUserRowFirstLeavesNothingOfTheirs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	y := f.create(t, f.b, input("B's own, accepted by A"))
	must(t)(f.svc.Accept(ctx, f.a, y.ID, 1, ""))
	z := f.create(t, f.a, input("A's own"))
	must(t)(f.svc.Accept(ctx, f.b, z.ID, 1, "B's note"))
	deleteB(t, f, false)
	noneOfB(t, f, "B's note", "B's own, accepted by A")
	if got := must(t)(f.svc.Get(ctx, f.a, z.ID)); len(got.Log) != 1 || got.Log[0].ActorID != f.a.UserID {
		t.Errorf("z log = %+v", got.Log)
	}
}

// TestArchiveKeepsJointTextsOfADeletedPartner: B deletes their account while the couple is active; the
// couple ends and A's archive of it holds every agreement at the version A accepted, B's texts included,
// with no author id for them.
func TestArchiveKeepsJointTextsOfADeletedPartner(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	m := must(t)
	x := f.create(t, f.b, input("B's, accepted by A"))
	m(f.svc.Accept(ctx, f.a, x.ID, 1, ""))
	m(f.svc.Edit(ctx, f.b, x.ID, 1, input("B's second thought")))
	y := f.create(t, f.a, input("A's, accepted by B"))
	m(f.svc.Accept(ctx, f.b, y.ID, 1, ""))
	err := f.couples.DeleteAccount(ctx, f.b.UserID, func(ctx context.Context, tx *gorm.DB, userID string) error {
		return agreement.DeleteUser(ctx, tx, userID)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Archive(ctx, f.a.UserID, f.a.CoupleID)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, it := range got {
		titles[it.Version.Title] = it.Version.AuthorID
	}
	if len(got) != 2 || titles["B's, accepted by A"] != "" || titles["A's, accepted by B"] != f.a.UserID {
		t.Fatalf("archive = %v", titles)
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

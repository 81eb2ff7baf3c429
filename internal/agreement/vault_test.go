package agreement_test

import (
	"errors"
	"io"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// sealedColumns are the agreements' sealed columns (agreement.Columns).
var sealedColumns = [][2]string{{"agreement_versions", "title"}, {"agreement_versions", "body"}, {"agreement_events", "note"}}

// TestTextIsSealedAtRest checks that the agreements' texts are stored sealed (internal/vault) and read
// back as written through every read of the service: a version's title and body, and the notes of an
// acceptance, a review and a withdrawal.
func TestTextIsSealedAtRest(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, testutil.NewDBOn(t, engine), false)
			const canary = "canary-a9e1"
			in := input(canary + " title")
			in.Body = canary + " body"
			x := f.create(t, f.a, in)
			if x.Current.Title != in.Title || x.Current.Body != in.Body {
				t.Fatalf("created %+v", x.Current)
			}
			must(t)(f.svc.Accept(ctx, f.b, x.ID, 1, canary+" accepted"))
			must(t)(f.svc.Review(ctx, f.a, x.ID, "2027-02-01", canary+" reviewed"))
			in2 := input(canary + " title 2")
			in2.Body = canary + " body 2"
			must(t)(f.svc.Edit(ctx, f.b, x.ID, 1, in2))
			must(t)(f.svc.Accept(ctx, f.a, x.ID, 2, ""))
			got := must(t)(f.svc.Withdraw(ctx, f.a, x.ID, canary+" withdrawn"))
			y := f.create(t, f.a, input(canary+" active"))
			must(t)(f.svc.Accept(ctx, f.b, y.ID, 1, ""))

			for _, c := range sealedColumns {
				testutil.RequireSealed(t, f.db, c[0], c[1], canary)
			}

			// Get: every version and every note.
			if len(got.Versions) != 2 || got.Versions[0].Title != in.Title || got.Versions[0].Body != in.Body ||
				got.Versions[1].Title != in2.Title || got.Versions[1].Body != in2.Body {
				t.Errorf("versions %+v", got.Versions)
			}
			var notes []string
			for _, e := range got.Log {
				if e.Note != "" {
					notes = append(notes, e.Note)
				}
			}
			if len(notes) != 3 || notes[0] != canary+" accepted" || notes[1] != canary+" reviewed" || notes[2] != canary+" withdrawn" {
				t.Errorf("notes %q", notes)
			}
			titles := func(what string, views []agreement.View, err error) map[string]string {
				t.Helper()
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				out := map[string]string{}
				for _, v := range views {
					out[v.ID] = v.Current.Title
				}
				return out
			}
			want := map[string]string{x.ID: in2.Title, y.ID: canary + " active"}
			for what, read := range map[string]func() ([]agreement.View, error){
				"list":      func() ([]agreement.View, error) { return f.svc.List(ctx, f.b) },
				"summaries": func() ([]agreement.View, error) { return f.svc.Summaries(ctx, f.b) },
				"for user":  func() ([]agreement.View, error) { return f.svc.ForUser(ctx, f.a.Me.UserID, f.a) },
			} {
				views, err := read()
				if got := titles(what, views, err); len(got) != 2 || got[x.ID] != want[x.ID] || got[y.ID] != want[y.ID] {
					t.Errorf("%s: titles %q, want %q", what, got, want)
				}
			}
			active, err := f.svc.Active(ctx, f.a)
			if got := titles("active", active, err); len(got) != 1 || got[y.ID] != want[y.ID] {
				t.Errorf("active: titles %q", got)
			}
			list, err := f.svc.List(ctx, f.a)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range list {
				if v.ID == x.ID && (v.Previous == nil || v.Previous.Body != in.Body || v.Current.Body != in2.Body) {
					t.Errorf("list: the versions to compare %+v, %+v", v.Previous, v.Current)
				}
			}
			archived, err := f.svc.Archive(ctx, f.a.Me.UserID, f.a.Couple.ID)
			if err != nil || len(archived) != 2 {
				t.Fatalf("archive %+v, %v", archived, err)
			}
			for _, a := range archived {
				if a.Version.Title != want[a.AgreementID] {
					t.Errorf("archive: %q, want %q", a.Version.Title, want[a.AgreementID])
				}
			}
		})
	}
}

// TestEncryptExistingSealsAgreements: mend keys encrypt-existing seals the agreements' texts written
// before encryption, each under the key it would have been sealed with: a version both accepted under
// the couple's key, a draft and every note under its writer's.
func TestEncryptExistingSealsAgreements(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, testutil.NewDBOn(t, engine), false)
			draft := f.create(t, f.a, input("draft"))
			joint := f.create(t, f.a, input("joint"))
			must(t)(f.svc.Accept(ctx, f.b, joint.ID, 1, "note"))
			// As rows written before encryption was on: the same texts, in the clear.
			for _, v := range []*agreement.View{draft, joint} {
				err := f.db.Exec("UPDATE agreement_versions SET title = ?, body = ? WHERE id = ?",
					"plain title "+v.Current.Title, "plain body "+v.Current.Title, v.Current.ID).Error
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := f.db.Exec("UPDATE agreement_events SET note = ? WHERE note <> ''", "plain note").Error; err != nil {
				t.Fatal(err)
			}
			v := vault.From(f.db)
			if n, err := v.EncryptExisting(ctx, f.db, agreement.Columns(), 1, io.Discard); err != nil || n != 5 {
				t.Fatalf("sealed %d, %v; want 5", n, err)
			}
			for _, c := range sealedColumns {
				testutil.RequireSealed(t, f.db, c[0], c[1], "plain")
			}
			got := must(t)(f.svc.Get(ctx, f.a, joint.ID))
			if got.Current.Title != "plain title joint" || got.Current.Body != "plain body joint" || got.Log[1].Note != "plain note" {
				t.Errorf("joint after encrypt-existing: %+v, %+v", got.Current, got.Log)
			}
			if got := must(t)(f.svc.Get(ctx, f.a, draft.ID)); got.Current.Title != "plain title draft" {
				t.Errorf("draft after encrypt-existing: %+v", got.Current)
			}
			// The author's key goes: the joint version still opens, their draft does not.
			if err := v.Shred(ctx, vault.Person(f.a.Me.UserID)); err != nil {
				t.Fatal(err)
			}
			if got, err := f.svc.Get(ctx, f.b, joint.ID); err != nil || got.Current.Title != "plain title joint" {
				t.Errorf("joint without its author's key: %+v, %v", got, err)
			}
			if got, err := f.svc.Get(ctx, f.b, draft.ID); !errors.Is(err, vault.ErrShredded) {
				t.Errorf("draft without its author's key: %+v, %v; want ErrShredded", got, err)
			}
		})
	}
}

// TestDeletionShredsAgreementsInBackups is crypto-shredding for agreements: a copy of the database taken
// before B deletes their account, read afterwards with the current key store, no longer opens B's
// draft, while the version B wrote that both accepted (a joint text, which the live database keeps for
// A) still opens for A, and so do A's own texts.
func TestDeletionShredsAgreementsInBackups(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			var db *gorm.DB
			var pgURL, dir string
			if engine == config.EnginePostgres {
				db, pgURL = testutil.NewPostgresDB(t)
			} else {
				db, dir = testutil.NewDB(t)
				dir = filepath.Dir(dir)
			}
			f := newFixtureOn(t, db, false)
			v := vault.From(db)
			bDraft := f.create(t, f.b, input("B's draft"))
			bJoint := f.create(t, f.b, input("B's joint text"))
			must(t)(f.svc.Accept(ctx, f.a, bJoint.ID, 1, "A's note"))
			aDraft := f.create(t, f.a, input("A's draft"))
			aJoint := f.create(t, f.a, input("A's joint text"))
			must(t)(f.svc.Accept(ctx, f.b, aJoint.ID, 1, ""))

			// The copy, taken before the deletion.
			db, backup := testutil.BackupBeforeDeletion(t, engine, db, pgURL, dir, v)

			if err := couple.NewService(db, f.clock.Now).DeleteAccount(ctx, f.b.Me.UserID, agreement.DeleteUser); err != nil {
				t.Fatal(err)
			}
			// The live database keeps the joint text B wrote for A.
			live := agreement.NewService(db, f.clock.Now)
			if got, err := live.Get(ctx, f.a, bJoint.ID); err != nil || got.Current.Title != "B's joint text" || got.Current.AuthorID != "" {
				t.Errorf("the joint text B wrote, live: %+v, %v", got, err)
			}
			// The copy is read as a restore would read it: a new process, the current key store.
			if err := vault.Attach(backup, vault.New(v.Store())); err != nil {
				t.Fatal(err)
			}
			restored := agreement.NewService(backup, f.clock.Now)
			if got, err := restored.Get(ctx, f.a, bDraft.ID); !errors.Is(err, vault.ErrShredded) {
				t.Errorf("B's draft in the copy: %+v, %v; want ErrShredded", got, err)
			}
			want := map[string]string{bJoint.ID: "B's joint text", aDraft.ID: "A's draft", aJoint.ID: "A's joint text"}
			for id, title := range want {
				got, err := restored.Get(ctx, f.a, id)
				if err != nil || got.Current.Title != title || got.Current.Body != input("").Body {
					t.Errorf("%s in the copy: %+v, %v", title, got, err)
				}
			}
			if got, err := restored.Get(ctx, f.a, bJoint.ID); err != nil || got.Log[1].Note != "A's note" {
				t.Errorf("A's note on B's joint text in the copy: %+v, %v", got, err)
			}
		})
	}
}

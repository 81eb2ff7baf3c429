package checkin_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// sealedCheckinColumns are the check-in's text columns sealed at rest, as table and column.
var sealedCheckinColumns = [][2]string{
	{"checkin_answers", "appreciation"}, {"checkin_answers", "went_well"}, {"checkin_answers", "was_hard"}, {"checkin_answers", "need"},
	{"checkin_agreement_answers", "title"},
	{"checkin_reflections", "text"}, {"checkin_reflections", "note"}, {"checkin_reflections", "validation"},
}

// checkAnswer fails the test unless a holds the texts of full(tag, ...) and the agreement titles want.
func checkAnswer(t *testing.T, how string, a *checkin.Answer, tag string, want ...string) {
	t.Helper()
	if a == nil {
		t.Fatalf("%s: no answers", how)
	}
	if a.Appreciation != tag+"-appreciation" || a.WentWell != tag+"-went-well" || a.WasHard != tag+"-was-hard" || a.Need != tag+"-need" {
		t.Errorf("%s: texts %q %q %q %q", how, a.Appreciation, a.WentWell, a.WasHard, a.Need)
	}
	var titles []string
	for _, k := range a.Agreements {
		titles = append(titles, k.Title)
	}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("%s: agreement titles %q, want %q", how, titles, want)
	}
}

// TestAnswersAndReflectionsAreSealedAtRest checks, on both engines, that a check-in's answers, the
// copies of agreement titles they keep and the reflections (what was heard, the response's note, the
// validating line) are stored sealed (internal/vault) and read back as written: in the week, the
// export and the archive, after a draft was saved again, and by the partner once the week opened.
func TestAnswersAndReflectionsAreSealedAtRest(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, engine)
			const c = "canary-c7k2"
			f.active = []checkin.AgreementRef{{ID: "ag1", Title: c + " phones away"}, {ID: "ag2", Title: c + " sunday talk"}}
			p := f.couple("Europe/London")
			const week = "2026-W48"
			a := full(c+"A", 3, 4, 7, false)
			a.Agreements = []checkin.KeptInput{{AgreementID: "ag1", Kept: "kept"}, {AgreementID: "ag2", Kept: "partly"}}
			checkAnswer(t, "A's first draft", f.save(p.a, week, a).Mine, c+"A", c+" phones away", c+" sunday talk")
			checkAnswer(t, "A's draft read", f.week(p.a, week).Mine, c+"A", c+" phones away", c+" sunday talk")
			a.Submit = true
			checkAnswer(t, "A shares", f.save(p.a, week, a).Mine, c+"A", c+" phones away", c+" sunday talk")
			b := full(c+"B", 8, 9, 6, true)
			b.Agreements = []checkin.KeptInput{{AgreementID: "ag2", Kept: "kept"}}
			v := f.save(p.b, week, b)
			if v.State != checkin.StateOpened {
				t.Fatalf("the week did not open: %s", v.State)
			}
			checkAnswer(t, "B's own", v.Mine, c+"B", c+" sunday talk")
			checkAnswer(t, "A, seen by B", v.Partner, c+"A", c+" phones away", c+" sunday talk")

			r, err := f.svc.Reflect(f.ctx, f.m(p.b), week, c+" B heard")
			if err != nil || r.Text != c+" B heard" {
				t.Fatalf("reflect: %+v, %v", r, err)
			}
			if r, err = f.svc.Respond(f.ctx, f.m(p.a), week, r.ID, true, c+" A's note"); err != nil || r.Note != c+" A's note" || r.Text != c+" B heard" {
				t.Fatalf("respond: %+v, %v", r, err)
			}
			if r, err = f.svc.Validate(f.ctx, f.m(p.b), week, r.ID, c+" B validates"); err != nil || r.Validation != c+" B validates" ||
				r.Note != c+" A's note" || r.Text != c+" B heard" {
				t.Fatalf("validate: %+v, %v", r, err)
			}
			checkReflection := func(how string, got []checkin.Reflection, note string) {
				t.Helper()
				if len(got) != 1 || got[0].Text != c+" B heard" || got[0].Note != note || got[0].Validation != c+" B validates" {
					t.Errorf("%s: reflections %+v", how, got)
				}
			}
			v = f.week(p.a, week)
			checkAnswer(t, "A's own, opened", v.Mine, c+"A", c+" phones away", c+" sunday talk")
			checkAnswer(t, "B, seen by A", v.Partner, c+"B", c+" sunday talk")
			checkReflection("A's week", v.Reflections, c+" A's note")

			ex, err := f.svc.Export(f.ctx, p.a, f.m(p.a))
			if err != nil || len(ex.Mine) != 1 || len(ex.Partner) != 1 {
				t.Fatalf("export: %+v, %v", ex, err)
			}
			checkAnswer(t, "A's export, own", &ex.Mine[0], c+"A", c+" phones away", c+" sunday talk")
			checkAnswer(t, "A's export, partner", &ex.Partner[0], c+"B", c+" sunday talk")
			checkReflection("A's export", ex.Reflections, c+" A's note")
			answers, heard, err := f.svc.Archive(f.ctx, p.b, p.coupleID)
			if err != nil || len(answers) != 1 {
				t.Fatalf("archive: %+v, %v", answers, err)
			}
			checkAnswer(t, "B's archive", &answers[0], c+"B", c+" sunday talk")
			checkReflection("B's archive", heard, "")

			for _, col := range sealedCheckinColumns {
				testutil.RequireSealed(t, f.db, col[0], col[1], c)
			}
		})
	}
}

// TestUnchangedTitleIsNotRewritten checks that saving a draft again with an agreement answered as
// before leaves its stored title as it was: a sealed title differs at every sealing, so comparing it
// in SQL would rewrite every row at every save.
func TestUnchangedTitleIsNotRewritten(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.active = []checkin.AgreementRef{{ID: "ag1", Title: "Phones away"}, {ID: "ag2", Title: "Sunday talk"}}
	p := f.couple("Europe/London")
	in := full("A", 3, 4, 7, false)
	in.Agreements = []checkin.KeptInput{{AgreementID: "ag1", Kept: "kept"}, {AgreementID: "ag2", Kept: "partly"}}
	f.save(p.a, "2026-W48", in)
	stored := func() map[string]string {
		var rows []struct{ AgreementID, Title string }
		if err := f.db.Table("checkin_agreement_answers").Select("agreement_id, title").Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range rows {
			out[r.AgreementID] = r.Title
		}
		return out
	}
	before := stored()
	in.Agreements[1].Kept = "kept"
	in.Need = "more time"
	v := f.save(p.a, "2026-W48", in)
	after := stored()
	if after["ag1"] != before["ag1"] || !vault.IsSealed(after["ag1"]) {
		t.Errorf("the unchanged title was written again: %q, then %q", before["ag1"], after["ag1"])
	}
	if len(v.Mine.Agreements) != 2 || v.Mine.Agreements[0].Title != "Phones away" || v.Mine.Agreements[1].Title != "Sunday talk" {
		t.Errorf("saved view: %+v", v.Mine.Agreements)
	}
	if w := f.week(p.a, "2026-W48"); len(w.Mine.Agreements) != 2 || w.Mine.Agreements[1].Title != "Sunday talk" ||
		w.Mine.Agreements[1].Kept != "kept" || w.Mine.Need != "more time" {
		t.Errorf("read back: %+v", w.Mine)
	}
}

// TestEncryptExistingSealsOldCheckins checks, on both engines, that mend keys encrypt-existing
// (vault.EncryptExisting over Columns) seals answers, agreement titles and reflections written in the
// clear before encryption was on, each under its owner's key, and that they then read as before.
func TestEncryptExistingSealsOldCheckins(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, engine)
			p := f.couple("Europe/London")
			const c = "canary-e5x1"
			now := f.clock.Now()
			err := f.db.Transaction(func(tx *gorm.DB) error {
				for _, row := range []struct{ id, user, tag string }{{"ans-a", p.a, c + "A"}, {"ans-b", p.b, c + "B"}} {
					if err := tx.Exec(`INSERT INTO checkin_answers (id, couple_id, week, user_id, skip, appreciation, went_well, was_hard, need,
						trust, connection, safety, created_at, updated_at, submitted_at) VALUES (?, ?, '2026-W48', ?, ?, ?, ?, ?, ?, 5, 5, 5, ?, ?, ?)`,
						row.id, p.coupleID, row.user, false, row.tag+"-appreciation", row.tag+"-went-well", row.tag+"-was-hard", row.tag+"-need",
						now, now, now).Error; err != nil {
						return err
					}
					if err := tx.Exec(`INSERT INTO checkin_agreement_answers (answer_id, agreement_id, title, kept, position) VALUES (?, 'ag1', ?, 'kept', 0)`,
						row.id, c+" phones away").Error; err != nil {
						return err
					}
				}
				if err := tx.Exec(`INSERT INTO checkin_weeks (couple_id, week, opened_at) VALUES (?, '2026-W48', ?)`, p.coupleID, now).Error; err != nil {
					return err
				}
				return tx.Exec(`INSERT INTO checkin_reflections (id, couple_id, week, listener_id, author_id, text, accurate, note, responded_at,
					validation, validated_at, created_at) VALUES ('refl', ?, '2026-W48', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					p.coupleID, p.b, p.a, c+" B heard", true, c+" A's note", now, c+" B validates", now, now).Error
			})
			if err != nil {
				t.Fatal(err)
			}
			n, err := vault.From(f.db).EncryptExisting(f.ctx, f.db, checkin.Columns(), 1, io.Discard)
			if err != nil || n != 2*5+3 {
				t.Fatalf("encrypt-existing sealed %d values, %v; want %d", n, err, 2*5+3)
			}
			for _, col := range sealedCheckinColumns {
				testutil.RequireSealed(t, f.db, col[0], col[1], c)
			}
			v := f.week(p.a, "2026-W48")
			checkAnswer(t, "A's own", v.Mine, c+"A", c+" phones away")
			checkAnswer(t, "B, seen by A", v.Partner, c+"B", c+" phones away")
			if len(v.Reflections) != 1 || v.Reflections[0].Text != c+" B heard" || v.Reflections[0].Note != c+" A's note" ||
				v.Reflections[0].Validation != c+" B validates" {
				t.Errorf("reflections %+v", v.Reflections)
			}
			// Each text is under its owner's key: the answers and what was heard under their writers',
			// the response's note under its author's, the title under the couple's. Shredding A's key
			// leaves exactly A's texts unreadable.
			if err := vault.From(f.db).Shred(f.ctx, vault.Person(p.a)); err != nil {
				t.Fatal(err)
			}
			for _, q := range []struct {
				sql, table, column, row string
				gone                    bool
			}{
				{"SELECT appreciation FROM checkin_answers WHERE id = 'ans-a'", "checkin_answers", "appreciation", "ans-a", true},
				{"SELECT need FROM checkin_answers WHERE id = 'ans-b'", "checkin_answers", "need", "ans-b", false},
				{"SELECT text FROM checkin_reflections WHERE id = 'refl'", "checkin_reflections", "text", "refl", false},
				{"SELECT note FROM checkin_reflections WHERE id = 'refl'", "checkin_reflections", "note", "refl", true},
				{"SELECT validation FROM checkin_reflections WHERE id = 'refl'", "checkin_reflections", "validation", "refl", false},
				{"SELECT title FROM checkin_agreement_answers WHERE answer_id = 'ans-a'", "checkin_agreement_answers", "title", vault.RowID("ans-a", "ag1"), false},
			} {
				var stored string
				if err := f.db.Raw(q.sql).Row().Scan(&stored); err != nil {
					t.Fatal(err)
				}
				_, err := vault.From(f.db).Open(f.ctx, vault.Field{Table: q.table, Column: q.column, Row: q.row}, stored)
				if gone := errors.Is(err, vault.ErrShredded); gone != q.gone || (!q.gone && err != nil) {
					t.Errorf("%s.%s of %s after A's key was shredded: %v (want shredded: %v)", q.table, q.column, q.row, err, q.gone)
				}
			}
		})
	}
}

// TestEraseReplacesTitlesNoVersionKeeps covers SECURITY H2 with sealed titles, on both engines: when B
// deletes their account, a copy of an agreement title in the answers of B's couple that no remaining
// version of that agreement has (B's words, gone with B's versions) becomes RemovedAgreementTitle,
// sealed; a copy that a remaining version still has stays, whether that version's title is sealed or
// not; another couple's answers are not touched.
func TestEraseReplacesTitlesNoVersionKeeps(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, engine)
			p, other := f.couple("Europe/London"), f.couple("Europe/London")
			ags := agreement.NewService(f.db, f.clock.Now)
			create := func(userID, title string) string {
				t.Helper()
				m := f.m(userID)
				v, err := ags.Create(f.ctx, m, agreement.Input{Title: title, Body: "body", Category: "honesty", ReviewOn: agreement.AddMonths(ags.Today(m), 3)})
				if err != nil {
					t.Fatal(err)
				}
				return v.ID
			}
			plain, sealed := create(p.a, "Plain title"), create(p.a, "Sealed title")
			// The agreements feature seals its titles under the couple's key; either form must be read.
			var versionID string
			if err := f.db.Raw("SELECT id FROM agreement_versions WHERE agreement_id = ?", sealed).Row().Scan(&versionID); err != nil {
				t.Fatal(err)
			}
			s, err := vault.From(f.db).Seal(f.ctx, vault.Couple(p.coupleID), vault.Field{Table: "agreement_versions", Column: "title", Row: versionID}, "Sealed title")
			if err != nil {
				t.Fatal(err)
			}
			if err := f.db.Exec("UPDATE agreement_versions SET title = ? WHERE id = ?", s, versionID).Error; err != nil {
				t.Fatal(err)
			}
			answer := func(userID, week string, refs ...checkin.AgreementRef) {
				t.Helper()
				f.active = refs
				in := full("x", 5, 5, 5, false)
				for _, r := range refs {
					in.Agreements = append(in.Agreements, checkin.KeptInput{AgreementID: r.ID, Kept: "kept"})
				}
				f.save(userID, week, in)
			}
			answer(p.a, "2026-W48", checkin.AgreementRef{ID: plain, Title: "Plain title"}, checkin.AgreementRef{ID: sealed, Title: "Sealed title"},
				checkin.AgreementRef{ID: plain + "x", Title: "Words of B's"})
			answer(p.a, "2026-W47", checkin.AgreementRef{ID: plain, Title: "B's older words"})
			answer(other.a, "2026-W48", checkin.AgreementRef{ID: "elsewhere", Title: "Another couple's words"})
			if err := f.db.Transaction(func(tx *gorm.DB) error { return checkin.Erase(f.ctx, tx, p.b) }); err != nil {
				t.Fatal(err)
			}
			titles := func(userID, week string) []string {
				t.Helper()
				var out []string
				for _, k := range f.week(userID, week).Mine.Agreements {
					out = append(out, k.Title)
				}
				return out
			}
			removed := checkin.RemovedAgreementTitle
			if got := titles(p.a, "2026-W48"); strings.Join(got, "|") != "Plain title|Sealed title|"+removed {
				t.Errorf("A's answers of W48 after B's deletion: %q", got)
			}
			if got := titles(p.a, "2026-W47"); strings.Join(got, "|") != removed {
				t.Errorf("A's answers of W47 after B's deletion: %q", got)
			}
			if got := titles(other.a, "2026-W48"); strings.Join(got, "|") != "Another couple's words" {
				t.Errorf("another couple's answers after B's deletion: %q", got)
			}
			testutil.RequireSealed(t, f.db, "checkin_agreement_answers", "title", "words")
			// Erasing again changes nothing.
			if err := f.db.Transaction(func(tx *gorm.DB) error { return checkin.Erase(f.ctx, tx, p.b) }); err != nil {
				t.Fatal(err)
			}
			if got := titles(p.a, "2026-W48"); strings.Join(got, "|") != "Plain title|Sealed title|"+removed {
				t.Errorf("A's answers of W48 after a second erase: %q", got)
			}
		})
	}
}

// TestSaveUnseenByTheReadStaysReadable checks that answers whose save read no stored answers of the
// member's before writing, while another save of theirs had stored some meanwhile, are sealed again for
// the row they end up in, so they open, per-agreement titles included.
func TestSaveUnseenByTheReadStaysReadable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	refs := []checkin.AgreementRef{{ID: "ag1", Title: "Phones away"}, {ID: "ag2", Title: "Sunday talk"}}
	f.active = refs
	p := f.couple("Europe/London")
	first := full("first", 3, 3, 3, false)
	first.Agreements = []checkin.KeptInput{{AgreementID: "ag1", Kept: "kept"}}
	f.save(p.a, "2026-W48", first)
	in := full("second", 5, 5, 5, false)
	in.Agreements = []checkin.KeptInput{{AgreementID: "ag2", Kept: "partly"}, {AgreementID: "ag1", Kept: "not_sure"}}
	if err := checkin.SaveUnseen(f.ctx, f.svc, f.m(p.a), "2026-W48", in, refs); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.Week(f.ctx, f.m(p.a), "2026-W48")
	if err != nil {
		t.Fatalf("the week does not read: %v", err)
	}
	checkAnswer(t, "after the unseen save", v.Mine, "second", "Sunday talk", "Phones away")
	testutil.RequireSealed(t, f.db, "checkin_answers", "need", "second")
}

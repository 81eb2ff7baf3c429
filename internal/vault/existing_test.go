package vault_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// TestEncryptExisting seals a populated plaintext column in place on both engines, in batches with
// progress, and a second run seals nothing and changes nothing.
func TestEncryptExisting(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			ids := map[string]string{}
			for _, name := range []string{"plain Ada", "plain Bo", "plain Cy", "plain Di", "plain Ed"} {
				ids[testutil.AddUser(t, db, name)] = name
			}
			v := vault.From(db)
			var out bytes.Buffer
			n, err := v.EncryptExisting(ctx, db, account.Columns(), 2, &out)
			if err != nil || n != 5 {
				t.Fatalf("sealed %d, %v; want 5", n, err)
			}
			if !strings.Contains(out.String(), "users.display_name: 2/5 rows checked, 2 sealed") ||
				!strings.Contains(out.String(), "users.display_name: 5/5 rows checked, 5 sealed") {
				t.Errorf("progress %q", out.String())
			}
			testutil.RequireSealed(t, db, "users", "display_name", "plain")
			s := account.NewService(db, account.Options{})
			for id, name := range ids {
				if u, err := s.User(ctx, id); err != nil || u.DisplayName != name {
					t.Errorf("user %s: %+v, %v; want %q", id, u, err, name)
				}
			}
			var before []string
			if err := db.Table("users").Order("id").Pluck("display_name", &before).Error; err != nil {
				t.Fatal(err)
			}
			if n, err := v.EncryptExisting(ctx, db, account.Columns(), 2, &out); err != nil || n != 0 {
				t.Fatalf("second run sealed %d, %v", n, err)
			}
			var after []string
			if err := db.Table("users").Order("id").Pluck("display_name", &after).Error; err != nil {
				t.Fatal(err)
			}
			if strings.Join(before, ",") != strings.Join(after, ",") {
				t.Error("the second run changed sealed values")
			}
		})
	}
}

// TestEncryptExistingCompositeKeysAndOwnersPerRow seals a column of a table with a composite primary
// key whose rows belong to a person or to the couple, as the row says: each value opens under its own
// row id (vault.RowID), and each was sealed with the key its row names.
func TestEncryptExistingCompositeKeysAndOwnersPerRow(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			p := testutil.NewPair(t, db, time.Now, false)
			insert := "INSERT INTO plan_items (couple_id, id, starter, created_by, title, notes, position, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
			now := time.Now().UTC()
			if err := db.Exec(insert, p.CoupleID, "talk", "talk", nil, "", "plain joint notes", 1, now).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Exec(insert, p.CoupleID, "x1", "", p.A, "", "plain notes of A", 2, now).Error; err != nil {
				t.Fatal(err)
			}
			col := vault.Column{Table: "plan_items", Name: "notes", Key: []string{"couple_id", "id"},
				OwnerColumn: "COALESCE(created_by, couple_id)",
				KindColumn:  "CASE WHEN created_by IS NULL THEN '" + vault.KindCouple + "' ELSE '" + vault.KindPerson + "' END"}
			v := vault.From(db)
			if n, err := v.EncryptExisting(ctx, db, []vault.Column{col}, 1, io.Discard); err != nil || n != 2 {
				t.Fatalf("sealed %d, %v; want 2", n, err)
			}
			testutil.RequireSealed(t, db, "plan_items", "notes", "plain")
			// The person's key goes: their notes no longer open, the couple's still do.
			if err := v.Shred(ctx, vault.Person(p.A)); err != nil {
				t.Fatal(err)
			}
			for id, want := range map[string]string{"talk": "plain joint notes", "x1": ""} {
				var stored string
				if err := db.Table("plan_items").Where("couple_id = ? AND id = ?", p.CoupleID, id).Pluck("notes", &stored).Error; err != nil {
					t.Fatal(err)
				}
				got, err := v.Open(ctx, vault.Field{Table: "plan_items", Column: "notes", Row: vault.RowID(p.CoupleID, id)}, stored)
				switch {
				case want == "" && !errors.Is(err, vault.ErrShredded):
					t.Errorf("%s after its author's key went: %q, %v; want ErrShredded", id, got, err)
				case want != "" && (err != nil || got != want):
					t.Errorf("%s: %q, %v; want %q", id, got, err, want)
				}
			}
		})
	}
}

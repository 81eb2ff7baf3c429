package vault_test

import (
	"bytes"
	"strings"
	"testing"

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

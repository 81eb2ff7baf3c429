package couple_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/trigger"
	"github.com/mendhq/mend/internal/vault"
)

var ctx = context.Background()

// TestDeletionShredsTheKey is crypto-shredding: a copy of the database taken before an account is
// deleted (mend backup on SQLite, a copy of the database on PostgreSQL), read afterwards with the
// current key store, no longer opens the deleted person's text, while the remaining partner's still
// opens. When both are gone the couple's key goes too.
func TestDeletionShredsTheKey(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
			var db *gorm.DB
			var pgURL, dir string
			if engine == config.EnginePostgres {
				db, pgURL = testutil.NewPostgresDB(t)
			} else {
				db, dir = testutil.NewDB(t)
				dir = filepath.Dir(dir)
			}
			v := vault.From(db)
			p := testutil.NewPair(t, db, clock.Now, false)
			triggers := trigger.NewService(db, clock.Now)
			for _, who := range []string{p.A, p.B} {
				if _, err := triggers.Create(ctx, p.Member(t, who), trigger.Input{What: "words of " + who, Strength: new(int)}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := v.Seal(ctx, vault.Couple(p.CoupleID), vault.Field{Table: "t", Column: "c", Row: "1"}, "joint"); err != nil {
				t.Fatal(err)
			}

			// The copy, taken before the deletion.
			db, backup := testutil.BackupBeforeDeletion(t, engine, db, pgURL, dir, v)

			if err := couple.NewService(db, clock.Now).DeleteAccount(ctx, p.A); err != nil {
				t.Fatal(err)
			}
			// The copy is read as a restore would read it: a new process, the current key store.
			if err := vault.Attach(backup, vault.New(v.Store())); err != nil {
				t.Fatal(err)
			}
			restored := trigger.NewService(backup, clock.Now)
			if got, err := restored.Archive(ctx, p.A, p.CoupleID); !errors.Is(err, vault.ErrShredded) {
				t.Errorf("the deleted person's text in the copy: %+v, %v; want ErrShredded", got, err)
			}
			got, err := restored.Archive(ctx, p.B, p.CoupleID)
			if err != nil || len(got) != 1 || got[0].What != "words of "+p.B {
				t.Errorf("the remaining partner's text in the copy: %+v, %v", got, err)
			}
			if n := keys(t, v, vault.KindCouple); n != 1 {
				t.Errorf("%d couple keys while one partner remains, want 1", n)
			}
			if err := couple.NewService(db, clock.Now).DeleteAccount(ctx, p.B); err != nil {
				t.Fatal(err)
			}
			if n := keys(t, v, vault.KindCouple) + keys(t, v, vault.KindPerson); n != 0 {
				t.Errorf("%d data keys left once both are gone, want 0", n)
			}
		})
	}
}

func keys(t *testing.T, v *vault.Vault, kind string) int64 {
	t.Helper()
	var n int64
	if err := v.Store().DB().Table("data_keys").Where("owner_kind = ?", kind).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

package vault_test

import (
	"errors"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// TestSweepShredsKeysOfOwnersGone: the keys of a person and a couple no longer in the database (a
// deletion whose shredding failed) are shredded by the sweep, the keys of those still there are kept,
// and a key younger than the sweep's limit is left alone, since its owner's row may not have committed.
func TestSweepShredsKeysOfOwnersGone(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := testutil.NewDBOn(t, engine)
			p := testutil.NewPair(t, db, time.Now, false)
			v := vault.From(db)
			f := vault.Field{Table: "t", Column: "c", Row: "1"}
			seal := func(o vault.Owner) string {
				s, err := v.Seal(ctx, o, f, "words of "+o.ID)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			kept := map[vault.Owner]string{}
			for _, o := range []vault.Owner{vault.Person(p.A), vault.Person(p.B), vault.Couple(p.CoupleID)} {
				kept[o] = seal(o)
			}
			gone := map[vault.Owner]string{}
			for _, o := range []vault.Owner{vault.Person("deleted-person"), vault.Couple("deleted-couple")} {
				gone[o] = seal(o)
			}
			if n, err := v.Sweep(ctx, db, time.Now().Add(-time.Hour)); err != nil || n != 0 {
				t.Fatalf("a sweep of keys older than an hour shredded %d, %v; want 0 (every key is new)", n, err)
			}
			n, err := v.Sweep(ctx, db, time.Now().Add(time.Minute))
			if err != nil || n != 2 {
				t.Fatalf("sweep shredded %d, %v; want 2", n, err)
			}
			fresh := vault.New(v.Store()) // no cached keys: what a restarted instance sees
			for o, s := range gone {
				if got, err := fresh.Open(ctx, f, s); !errors.Is(err, vault.ErrShredded) {
					t.Errorf("%v: %q, %v after the sweep; want ErrShredded", o, got, err)
				}
			}
			for o, s := range kept {
				if got, err := fresh.Open(ctx, f, s); err != nil || got != "words of "+o.ID {
					t.Errorf("%v: %q, %v after the sweep", o, got, err)
				}
			}
			if n, err := v.Sweep(ctx, db, time.Now().Add(time.Minute)); err != nil || n != 0 {
				t.Errorf("a second sweep shredded %d, %v", n, err)
			}
		})
	}
}

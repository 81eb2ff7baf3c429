package vault_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

var ctx = context.Background()

func newVault(t *testing.T, engine string) *vault.Vault {
	t.Helper()
	if engine == config.EnginePostgres {
		s, _ := testutil.NewPostgresKeyStore(t)
		return vault.New(s)
	}
	s, _ := testutil.NewKeyStore(t)
	return vault.New(s)
}

// TestSealOpen checks a round trip on both engines' key stores: the stored form holds none of the
// text, two seals of one text differ, empty text stays empty and plaintext from before encryption
// reads as it is.
func TestSealOpen(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			v := newVault(t, engine)
			f := vault.Field{Table: "triggers", Column: "what", Row: "r1"}
			a, err := v.Seal(ctx, vault.Person("u1"), f, "canary-words")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := v.Seal(ctx, vault.Person("u1"), f, "canary-words")
			if !strings.HasPrefix(a, vault.Prefix) || strings.Contains(a, "canary") || a == b {
				t.Fatalf("sealed %q and %q", a, b)
			}
			for stored, want := range map[string]string{a: "canary-words", b: "canary-words", "plain old text": "plain old text", "": ""} {
				got, err := v.Open(ctx, f, stored)
				if err != nil || got != want {
					t.Errorf("Open(%q) = %q, %v; want %q", stored, got, err, want)
				}
			}
			if e, err := v.Seal(ctx, vault.Person("u1"), f, ""); err != nil || e != "" {
				t.Errorf("empty text sealed as %q, %v", e, err)
			}
			// A fresh vault over the same store (another process) opens it too.
			if got, err := vault.New(v.Store()).Open(ctx, f, a); err != nil || got != "canary-words" {
				t.Errorf("another process: %q, %v", got, err)
			}
		})
	}
}

// TestMovedCiphertextFails checks the associated data: a value moved to another row, column or table,
// or altered, does not open.
func TestMovedCiphertextFails(t *testing.T) {
	t.Parallel()
	v := newVault(t, config.EngineSQLite)
	f := vault.Field{Table: "triggers", Column: "what", Row: "r1"}
	s, err := v.Seal(ctx, vault.Person("u1"), f, "mine")
	if err != nil {
		t.Fatal(err)
	}
	altered := []byte(s)
	if altered[len(altered)-3] == 'A' {
		altered[len(altered)-3] = 'B'
	} else {
		altered[len(altered)-3] = 'A'
	}
	for name, c := range map[string]struct {
		f      vault.Field
		stored string
	}{
		"another row":    {vault.Field{Table: "triggers", Column: "what", Row: "r2"}, s},
		"another column": {vault.Field{Table: "triggers", Column: "helped", Row: "r1"}, s},
		"another table":  {vault.Field{Table: "questions", Column: "what", Row: "r1"}, s},
		"altered":        {f, string(altered)},
		"damaged":        {f, s[:len(s)-1] + "@"},
		"cut short":      {f, s[:10]},
	} {
		if got, err := v.Open(ctx, c.f, c.stored); !errors.Is(err, vault.ErrTampered) {
			t.Errorf("%s: Open = %q, %v; want ErrTampered", name, got, err)
		}
	}
}

// TestShred checks that a shredded owner's text no longer opens, from the cache or the store, while
// another owner's does.
func TestShred(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			v := newVault(t, engine)
			f := vault.Field{Table: "t", Column: "c", Row: "1"}
			gone, _ := v.Seal(ctx, vault.Person("gone"), f, "deleted words")
			kept, _ := v.Seal(ctx, vault.Person("kept"), f, "kept words")
			joint, _ := v.Seal(ctx, vault.Couple("c1"), f, "joint words")
			if err := v.Shred(ctx, vault.Person("gone")); err != nil {
				t.Fatal(err)
			}
			for _, w := range []*vault.Vault{v, vault.New(v.Store())} {
				if got, err := w.Open(ctx, f, gone); !errors.Is(err, vault.ErrShredded) {
					t.Errorf("shredded text opened: %q, %v", got, err)
				}
				if got, err := w.Open(ctx, f, kept); err != nil || got != "kept words" {
					t.Errorf("the other person's text: %q, %v", got, err)
				}
				if got, err := w.Open(ctx, f, joint); err != nil || got != "joint words" {
					t.Errorf("the couple's text: %q, %v", got, err)
				}
			}
		})
	}
}

// TestNoVault checks that a database without a vault refuses to seal rather than store plaintext.
func TestNoVault(t *testing.T) {
	t.Parallel()
	var v *vault.Vault
	if _, err := v.Seal(ctx, vault.Person("u"), vault.Field{Table: "t", Column: "c", Row: "1"}, "x"); !errors.Is(err, vault.ErrNoVault) {
		t.Fatalf("Seal on no vault: %v", err)
	}
	if got, err := v.Open(ctx, vault.Field{}, "plain"); err != nil || got != "plain" {
		t.Fatalf("Open of plaintext on no vault: %q, %v", got, err)
	}
}

// BenchmarkSeal and BenchmarkOpen are the cost per field of a 500-character text with a warm key cache
// (the steady state of a serving process): the figure to multiply by the sealed fields of a hot path.
func BenchmarkSeal(b *testing.B) {
	s, _ := testutil.NewKeyStore(b)
	v := vault.New(s)
	text := strings.Repeat("a quiet sentence ", 30)[:500]
	f := vault.Field{Table: "triggers", Column: "what", Row: "r1"}
	if _, err := v.Seal(ctx, vault.Person("u"), f, text); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Seal(ctx, vault.Person("u"), f, text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	s, _ := testutil.NewKeyStore(b)
	v := vault.New(s)
	text := strings.Repeat("a quiet sentence ", 30)[:500]
	f := vault.Field{Table: "triggers", Column: "what", Row: "r1"}
	sealed, err := v.Seal(ctx, vault.Person("u"), f, text)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Open(ctx, f, sealed); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenName is Open of a short display name, read on every signed-in request.
func BenchmarkOpenName(b *testing.B) {
	s, _ := testutil.NewKeyStore(b)
	v := vault.New(s)
	f := vault.Field{Table: "users", Column: "display_name", Row: "u"}
	sealed, err := v.Seal(ctx, vault.Person("u"), f, "Sam")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Open(ctx, f, sealed); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFromNoDatabase: a server built without a database (as some tests build one) has no vault.
func TestFromNoDatabase(t *testing.T) {
	t.Parallel()
	if v := vault.From(nil); v != nil {
		t.Fatalf("From(nil) = %v", v)
	}
}

// TestMeterCountsWhatIsSealedAndOpened: a measured vault counts each value it seals and opens, not
// the plaintext from before encryption (which costs nothing to open), and nothing once unmeasured.
func TestMeterCountsWhatIsSealedAndOpened(t *testing.T) {
	t.Parallel()
	v := newVault(t, config.EngineSQLite)
	f := vault.Field{Table: "t", Column: "c", Row: "1"}
	m := v.Measure()
	var stored []string
	for _, text := range []string{"one", "two"} {
		s, err := v.Seal(ctx, vault.Person("p"), f, text)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, s)
	}
	for _, s := range append(stored, "plain from before") {
		if _, err := v.Open(ctx, f, s); err != nil {
			t.Fatal(err)
		}
	}
	r := m.Read()
	if r.Seals != 2 || r.Opens != 2 || r.SealTime <= 0 || r.OpenTime <= 0 {
		t.Errorf("meter read %+v; want 2 seals, 2 opens, and time for each", r)
	}
	v.Unmeasure()
	if _, err := v.Open(ctx, f, stored[0]); err != nil {
		t.Fatal(err)
	}
	if got := m.Read(); got.Opens != 2 {
		t.Errorf("opens after Unmeasure: %d", got.Opens)
	}
}

// TestUnsealed: the vault for building a database stores text as it is and opens only plaintext, and
// encrypt-existing refuses it (it would seal nothing).
func TestUnsealed(t *testing.T) {
	t.Parallel()
	v := vault.Unsealed()
	f := vault.Field{Table: "t", Column: "c", Row: "1"}
	if s, err := v.Seal(ctx, vault.Person("p"), f, "as it is"); err != nil || s != "as it is" {
		t.Errorf("Seal: %q, %v", s, err)
	}
	sealed, err := newVault(t, config.EngineSQLite).Seal(ctx, vault.Person("p"), f, "sealed")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := v.Open(ctx, f, sealed); !errors.Is(err, vault.ErrNoVault) {
		t.Errorf("Open of a sealed value: %q, %v", got, err)
	}
	if _, err := v.EncryptExisting(ctx, nil, nil, 1, nil); !errors.Is(err, vault.ErrNoVault) {
		t.Errorf("EncryptExisting: %v", err)
	}
	if !v.IsUnsealed() || newVault(t, config.EngineSQLite).IsUnsealed() {
		t.Error("IsUnsealed")
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/vault"
)

// TestKeysSweep: a person deleted while the key store was out of reach leaves their key behind; mend
// keys sweep shreds it (their text no longer opens), keeps the partner's and the couple's, and a
// second sweep finds nothing.
func TestKeysSweep(t *testing.T) {
	t.Parallel()
	env := envFrom(map[string]string{"MEND_DATA_DIR": t.TempDir()})
	p := populate(t, env)
	ctx := context.Background()
	_, db, err := open(ctx, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := db.Table("triggers").Where("author_id = ?", p.B).Pluck("what", &stored).Error; err != nil || !vault.IsSealed(stored) {
		t.Fatalf("B's trigger: %q, %v", stored, err)
	}
	var id string
	if err := db.Table("triggers").Where("author_id = ?", p.B).Pluck("id", &id).Error; err != nil {
		t.Fatal(err)
	}
	// The deletion committed, the shredding never happened; the keys are older than the sweep's hour.
	if err := db.Exec("DELETE FROM triggers WHERE author_id = ?", p.B).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM users WHERE id = ?", p.B).Error; err != nil {
		t.Fatal(err)
	}
	keys := vault.From(db).Store().DB()
	if err := keys.Exec("UPDATE data_keys SET created_at = ?", time.Now().Add(-2*time.Hour).UTC()).Error; err != nil {
		t.Fatal(err)
	}
	closeDB(db)

	var out bytes.Buffer
	if err := run(ctx, []string{"keys", "sweep"}, env, &out, io.Discard); err != nil || !strings.Contains(out.String(), "shredded 1 data keys") {
		t.Fatalf("sweep: %q, %v", out.String(), err)
	}
	_, db, err = open(ctx, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := vault.Field{Table: "triggers", Column: "what", Row: id}
	if got, err := vault.From(db).Open(ctx, f, stored); !errors.Is(err, vault.ErrShredded) {
		t.Errorf("B's text from before the deletion opens after the sweep: %q, %v", got, err)
	}
	closeDB(db)
	if got, err := readTriggers(t, env, p, p.A); err != nil || len(got) != 1 || got[0].What != "words of "+p.A {
		t.Errorf("A's trigger after the sweep: %+v, %v", got, err)
	}
	out.Reset()
	if err := run(ctx, []string{"keys", "sweep"}, env, &out, io.Discard); err != nil || !strings.Contains(out.String(), "shredded 0 data keys") {
		t.Errorf("second sweep: %q, %v", out.String(), err)
	}
}

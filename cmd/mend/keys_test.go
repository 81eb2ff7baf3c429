package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/trigger"
)

var keysNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// populate opens the instance env describes, makes a couple and a sealed trigger for each partner,
// and closes it; it returns the couple.
func populate(t *testing.T, env func(string) string) testutil.Pair {
	t.Helper()
	_, db, err := open(context.Background(), env, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	p := testutil.NewPair(t, db, func() time.Time { return keysNow }, false)
	svc := trigger.NewService(db, func() time.Time { return keysNow })
	for _, who := range []string{p.A, p.B} {
		if _, err := svc.Create(context.Background(), p.Member(t, who), trigger.Input{What: "words of " + who, Strength: new(int)}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// readTriggers opens the instance and returns what userID wrote in the trigger log.
func readTriggers(t *testing.T, env func(string) string, p testutil.Pair, userID string) ([]trigger.Trigger, error) {
	t.Helper()
	_, db, err := open(context.Background(), env, nil)
	if err != nil {
		return nil, err
	}
	defer closeDB(db)
	return trigger.NewService(db, nil).Archive(context.Background(), userID, p.CoupleID)
}

// TestKeysRotateWithTheKeyFile rotates a populated SQLite instance's generated master key: the key file
// changes, the data still opens with it, the old key opens nothing, and rotation refuses while Mend runs.
func TestKeysRotateWithTheKeyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := envFrom(map[string]string{"MEND_DATA_DIR": dir})
	p := populate(t, env)
	keyFile := filepath.Join(dir, "keys", "master.key")
	old, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}

	_, running, err := open(context.Background(), env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"keys", "rotate"}, env, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "stop Mend") {
		t.Errorf("rotate while Mend runs: %v, want a refusal", err)
	}
	closeDB(running)

	var out bytes.Buffer
	if err := run(context.Background(), []string{"keys", "rotate"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "re-wrapped 2 data keys") {
		t.Errorf("rotate printed %q", out.String())
	}
	now, err := os.ReadFile(keyFile)
	if err != nil || bytes.Equal(now, old) {
		t.Fatalf("the key file did not change (%v)", err)
	}
	if _, err := os.Stat(keyFile + ".new"); !os.IsNotExist(err) {
		t.Errorf("master.key.new left behind: %v", err)
	}
	if got, err := readTriggers(t, env, p, p.A); err != nil || len(got) != 1 || got[0].What != "words of "+p.A {
		t.Fatalf("after rotation: %+v, %v", got, err)
	}
	withOld := envFrom(map[string]string{"MEND_DATA_DIR": dir, "MEND_MASTER_KEY": strings.TrimSpace(string(old))})
	if _, err := readTriggers(t, withOld, p, p.A); err == nil || !strings.Contains(err.Error(), "MEND_MASTER_KEY") {
		t.Fatalf("the old key after rotation: %v, want an error naming MEND_MASTER_KEY", err)
	}
}

// TestKeysRotateWithTheVariable rotates a master key given by MEND_MASTER_KEY to MEND_MASTER_KEY_NEW.
func TestKeysRotateWithTheVariable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	k1, k2 := masterKey(t), masterKey(t)
	env := func(kv ...string) func(string) string {
		m := map[string]string{"MEND_DATA_DIR": dir}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return envFrom(m)
	}
	p := populate(t, env("MEND_MASTER_KEY", k1))
	if err := run(context.Background(), []string{"keys", "rotate"}, env("MEND_MASTER_KEY", k1), io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "MEND_MASTER_KEY_NEW") {
		t.Fatalf("rotate without MEND_MASTER_KEY_NEW: %v", err)
	}
	if err := run(context.Background(), []string{"keys", "rotate"}, env("MEND_MASTER_KEY", k1, "MEND_MASTER_KEY_NEW", k2), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := readTriggers(t, env("MEND_MASTER_KEY", k1), p, p.A); err == nil || !strings.Contains(err.Error(), "MEND_MASTER_KEY") {
		t.Fatalf("the old key: %v", err)
	}
	if got, err := readTriggers(t, env("MEND_MASTER_KEY", k2), p, p.B); err != nil || len(got) != 1 || got[0].What != "words of "+p.B {
		t.Fatalf("the new key: %+v, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keys", "master.key")); !os.IsNotExist(err) {
		t.Errorf("a key file was written although MEND_MASTER_KEY is set (%v)", err)
	}
}

// TestKeysEncryptExisting seals a database written before encryption: in batches, with progress,
// leaving rows already sealed alone (a run that stopped resumes), and a second run changes nothing.
func TestKeysEncryptExisting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := envFrom(map[string]string{"MEND_DATA_DIR": dir})
	p := populate(t, env) // one sealed trigger each, as if an earlier run had reached them
	_, db, err := open(context.Background(), env, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"plain one", "plain two", "plain three"} {
		execSQL(t, db, "INSERT INTO triggers (id, couple_id, author_id, at, what, strength, helped, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
			"old"+string(rune('a'+i)), p.CoupleID, p.A, keysNow, text, "helped "+text, keysNow, keysNow)
	}
	execSQL(t, db, "INSERT INTO questions (id, couple_id, asker_id, text, wait_kind, created_at) VALUES ('q1', ?, ?, 'plain question', '', ?)", p.CoupleID, p.B, keysNow)
	execSQL(t, db, "INSERT INTO checkin_timeouts (id, couple_id, user_id, note, created_at, until_at) VALUES ('t1', ?, ?, 'plain note', ?, ?)",
		p.CoupleID, p.A, keysNow, keysNow.Add(time.Hour))
	before := values(t, db, "triggers", "what")
	closeDB(db)

	var out bytes.Buffer
	if err := run(context.Background(), []string{"keys", "encrypt-existing", "--batch", "2"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"triggers.what: 2/5 rows checked", "triggers.what: 5/5 rows checked, 3 sealed", "questions.text: 1/1 rows checked, 1 sealed",
		"checkin_timeouts.note: 1/1 rows checked, 1 sealed", "users.display_name: 2/2 rows checked, 2 sealed", "sealed 10 values"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("progress %q lacks %q", out.String(), want)
		}
	}
	_, db, err = open(context.Background(), env, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]string{{"triggers", "what"}, {"triggers", "helped"}, {"questions", "text"}, {"checkin_timeouts", "note"}} {
		testutil.RequireSealed(t, db, c[0], c[1], "plain")
	}
	testutil.RequireSealed(t, db, "users", "display_name", "plain")
	if m, err := couple.NewService(db, nil).Current(context.Background(), p.A); err != nil || m.Me.DisplayName != "A" || m.Partner.DisplayName != "B" {
		t.Errorf("names after: %+v, %v", m, err)
	}
	after := values(t, db, "triggers", "what")
	for id, v := range before {
		if !strings.HasPrefix(id, "old") && after[id] != v {
			t.Errorf("a value sealed before was sealed again: %s", id)
		}
	}
	got, err := trigger.NewService(db, nil).Archive(context.Background(), p.A, p.CoupleID)
	if err != nil || len(got) != 4 {
		t.Fatalf("read after: %+v, %v", got, err)
	}
	texts := map[string]bool{}
	for _, tr := range got {
		texts[tr.What] = true
	}
	if !texts["plain two"] || !texts["words of "+p.A] {
		t.Errorf("read after: %v", texts)
	}
	closeDB(db)

	out.Reset()
	if err := run(context.Background(), []string{"keys", "encrypt-existing"}, env, &out, io.Discard); err != nil || !strings.Contains(out.String(), "sealed 0 values") {
		t.Fatalf("second run: %q, %v", out.String(), err)
	}
	_, db, err = open(context.Background(), env, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	for id, v := range values(t, db, "triggers", "what") {
		if after[id] != v {
			t.Errorf("the second run changed %s", id)
		}
	}
}

func execSQL(t *testing.T, db *gorm.DB, q string, args ...any) {
	t.Helper()
	if err := db.Exec(q, args...).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func values(t *testing.T, db *gorm.DB, table, col string) map[string]string {
	t.Helper()
	var rows []struct{ ID, V string }
	if err := db.Table(table).Select("id, " + col + " AS v").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.ID] = r.V
	}
	return out
}

// TestKeysRotateTheKeyFileToAGivenKey rotates an instance on the key file to MEND_MASTER_KEY_NEW: the
// key file gets that key, so the next start (without any variable) opens the data.
func TestKeysRotateTheKeyFileToAGivenKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := envFrom(map[string]string{"MEND_DATA_DIR": dir})
	p := populate(t, env)
	next := masterKey(t)
	if err := run(context.Background(), []string{"keys", "rotate"}, envFrom(map[string]string{"MEND_DATA_DIR": dir, "MEND_MASTER_KEY_NEW": next}),
		io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "keys", "master.key")); err != nil || strings.TrimSpace(string(b)) != next {
		t.Fatalf("the key file holds %q (%v), want the new key", b, err)
	}
	if got, err := readTriggers(t, env, p, p.A); err != nil || len(got) != 1 {
		t.Fatalf("after rotation: %+v, %v", got, err)
	}
}

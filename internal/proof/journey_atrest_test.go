package proof

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
)

// notSealed are the journey's fields Mend keeps readable at rest, each for a reason (README,
// Encryption at rest): e-mail addresses, which sign-in looks up; the browser's user agent, kept as
// the device of a session and a sign-in; passwords, which are stored only as hashes.
func notSealed(f string) bool {
	return strings.HasPrefix(f, "email-") || f == "user-agent" || strings.HasPrefix(f, "password-")
}

// TestJourneyLeavesNoTextAtRest is issue 22's proof: after a full two-partner journey through every
// feature, no text either partner wrote is in the clear at rest. On SQLite: not in the database file
// or its WAL as they are (not checkpointed), nor in a mend backup; on PostgreSQL, not in a pg_dump.
// The e-mail addresses, which stay plain, are found: the search can see text when it is there.
func TestJourneyLeavesNoTextAtRest(t *testing.T) {
	t.Parallel()
	j := newJourney(t, canary)
	j.run()
	j.finish()
	var copies map[string][]byte
	if j.app.Engine == config.EnginePostgres {
		dump, err := exec.Command("pg_dump", "--data-only", "--dbname="+j.app.Config.DatabaseURL).Output()
		if err != nil {
			t.Fatalf("pg_dump: %v", err)
		}
		copies = map[string][]byte{"pg_dump": dump}
	} else {
		backup := filepath.Join(t.TempDir(), "backup.db")
		if err := database.Backup(context.Background(), j.app.DB, backup); err != nil {
			t.Fatal(err)
		}
		copies = map[string][]byte{}
		for _, f := range []string{j.app.DBPath, j.app.DBPath + "-wal", backup} {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			copies[filepath.Base(f)] = b
		}
	}
	checked := 0
	for _, f := range j.fields {
		if notSealed(f) {
			continue
		}
		checked++
		for name, b := range copies {
			if bytes.Contains(b, []byte(canary(f))) {
				t.Errorf("%s is in the clear in %s", f, name)
			}
		}
	}
	if checked < 50 {
		t.Errorf("checked %d fields of the journey, want every text it writes", checked)
	}
	// The live SQLite database is its file and its WAL together: a row may be in either.
	if j.app.Engine != config.EnginePostgres {
		live := filepath.Base(j.app.DBPath)
		copies = map[string][]byte{live + " and its WAL": append(copies[live], copies[live+"-wal"]...), "backup.db": copies["backup.db"]}
	}
	for name, b := range copies {
		if !bytes.Contains(b, []byte(strings.ToLower(canary("email-a")))) {
			t.Errorf("%s does not hold A's e-mail address, which stays plain: the search would prove nothing", name)
		}
	}
}

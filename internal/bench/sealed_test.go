package bench

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// volatile is what differs between two views of the same data: the CSRF token in the page and the
// moment an export was made.
var volatile = regexp.MustCompile(`(name="_csrf" value="|name="csrf-token" content="|"exported_at":")[^"]*"`)

// TestEncryptExistingOnASeededDatabase: a database of couples with every feature's history, written as
// Mend wrote it before encryption (plaintext), is sealed in place by encrypt-existing: afterwards no
// sealed column holds plaintext, and every page and the export read exactly as before, on both
// engines. Then the master key is rotated over the populated key store and everything still reads.
func TestEncryptExistingOnASeededDatabase(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			now := time.Now()
			shape := Shape{Couples: 2, Weeks: 4, Agreements: 2, Versions: 2, Moments: 3}
			var db *gorm.DB
			var ds *Dataset
			var err error
			if engine == config.EnginePostgres {
				_, u := testutil.NewPostgresDB(t)
				if ds, err = seedPostgres(ctx, u, shape, now); err != nil {
					t.Fatal(err)
				}
				if db, err = database.OpenPostgres(ctx, u, nil); err != nil {
					t.Fatal(err)
				}
			} else {
				if ds, err = Seed(ctx, filepath.Join(dir, "mend.db"), shape, 0, now, nil); err != nil {
					t.Fatal(err)
				}
				if db, err = database.Open(ds.Path, nil); err != nil {
					t.Fatal(err)
				}
			}
			t.Cleanup(func() { database.Close(db) })
			closeKeys, err := openDatasetVault(ctx, dir, db)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(closeKeys)
			base, _, stop, err := serveApp(dir, db)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(stop)
			s, err := signIn(ctx, base, &ds.Couples[0], 0, shape.Weeks, now)
			if err != nil {
				t.Fatal(err)
			}
			pages := []string{"/dashboard", "/progress", "/checkins/" + s.Opened[len(s.Opened)-1], "/agreements",
				"/plan", "/acknowledgment", "/moments", "/account"}
			read := func() map[string]string {
				out := map[string]string{}
				for _, p := range append(pages, "/api/v1/me/export") {
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
					req.Header = s.pageHeader.Clone()
					if p[1] == 'a' && p[2] == 'p' {
						req.Header = s.apiHeader.Clone()
					}
					resp, body, err := do(req)
					if err != nil || resp.StatusCode != http.StatusOK {
						t.Fatalf("%s: %v, %v", p, resp, err)
					}
					out[p] = volatile.ReplaceAllString(string(body), "$1\"")
				}
				return out
			}
			read() // viewing marks what is new as seen ("For you"): the second view is the stable one
			before := read()
			n, err := sealInPlace(ctx, db)
			if err != nil || n < 10 {
				t.Fatalf("encrypt-existing sealed %d values, %v", n, err)
			}
			for _, c := range server.SealedColumns() {
				var values []string
				if err := db.Table(c.Table).Where(c.Name+" <> ''").Pluck(c.Name, &values).Error; err != nil {
					t.Fatal(err)
				}
				for _, v := range values {
					if !vault.IsSealed(v) {
						t.Errorf("%s.%s still holds plaintext after encrypt-existing: %q", c.Table, c.Name, v)
						break
					}
				}
			}
			after := read()
			for p, b := range before {
				if after[p] != b {
					t.Errorf("%s reads differently once sealed: %s", p, firstDifference(b, after[p]))
				}
			}
			// Rotation re-wraps the populated key store's keys; a fresh vault over it opens everything.
			store := vault.From(db).Store()
			next := make([]byte, config.MasterKeySize)
			next[0] = 1
			if k, err := store.Rotate(ctx, next); err != nil || k < 4 {
				t.Fatalf("rotate: %d keys, %v", k, err)
			}
			vault.From(db).Rotated()
			for p, b := range read() {
				if before[p] != b {
					t.Errorf("%s reads differently after the master key's rotation: %s", p, firstDifference(before[p], b))
				}
			}
		})
	}
}

// firstDifference shows where a and b first differ.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("%q became %q", a[from:min(len(a), i+80)], b[from:min(len(b), i+80)])
}

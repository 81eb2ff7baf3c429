package bench

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// queryCounter counts the SQL statements GORM runs while it is on.
type queryCounter struct {
	mu  sync.Mutex
	on  bool
	sql []string
}

func (q *queryCounter) hook(d *gorm.DB) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.on {
		q.sql = append(q.sql, d.Statement.SQL.String())
	}
}

func (q *queryCounter) register(t *testing.T, db *gorm.DB) {
	t.Helper()
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("bench:count", q.hook),
		cb.Raw().After("gorm:raw").Register("bench:count", q.hook),
		cb.Row().After("gorm:row").Register("bench:count", q.hook),
		cb.Create().After("gorm:create").Register("bench:count", q.hook),
		cb.Update().After("gorm:update").Register("bench:count", q.hook),
		cb.Delete().After("gorm:delete").Register("bench:count", q.hook),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// count runs one request and returns the statements it ran.
func (q *queryCounter) count(t *testing.T, req *http.Request) []string {
	t.Helper()
	q.mu.Lock()
	q.on, q.sql = true, nil
	q.mu.Unlock()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	q.mu.Lock()
	defer q.mu.Unlock()
	q.on = false
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: status %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	return q.sql
}

// serveCounted seeds one couple of the given shape, serves Mend over it in-process with a query
// counter on its database, and signs the couple's first member in.
func serveCounted(t *testing.T, shape Shape) (string, *Session, *queryCounter) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Now()
	ds, err := Seed(ctx, filepath.Join(dir, "mend.db"), shape, 0, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := &queryCounter{}
	base := serveInProcess(t, dir, ds.Path, func(db *gorm.DB) { q.register(t, db) })
	s, err := signIn(ctx, base, &ds.Couples[0], 0, shape.Weeks, now)
	if err != nil {
		t.Fatal(err)
	}
	return base, s, q
}

// TestHotPathQueriesDoNotGrowWithHistory guards the benchmark's hot paths against N+1 queries: each
// request runs the same number of statements for a couple with a short history as for one with a long
// one, and no more than its budget. It times nothing.
func TestHotPathQueriesDoNotGrowWithHistory(t *testing.T) {
	t.Parallel()
	short := Shape{Couples: 1, Weeks: 3, Agreements: 2, Versions: 2, Moments: 3}
	long := Shape{Couples: 1, Weeks: 14, Agreements: 7, Versions: 3, Moments: 25}
	baseS, sessS, qS := serveCounted(t, short)
	baseL, sessL, qL := serveCounted(t, long)
	for _, p := range hotPaths {
		few := qS.count(t, p.req(baseS, sessS))
		many := qL.count(t, p.req(baseL, sessL))
		if len(few) != len(many) {
			t.Errorf("%s: %d statements with a short history, %d with a long one:\n%s", p.name, len(few), len(many),
				strings.Join(many, "\n"))
		}
		if len(many) > p.budget {
			t.Errorf("%s: %d statements, budget %d:\n%s", p.name, len(many), p.budget, strings.Join(many, "\n"))
		}
	}
}

package bench

import (
	"bytes"
	"net/http"
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// serveInProcess opens the database at path (in dir), lets prepare see it first (to count statements,
// say), serves Mend over it on a loopback port until the test ends, and returns the base URL.
func serveInProcess(tb testing.TB, dir, path string, prepare func(*gorm.DB)) string {
	tb.Helper()
	db, err := database.Open(path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { database.Close(db) })
	return serveDB(tb, dir, db, prepare)
}

// serveDB is serveInProcess over an open database db, on either engine.
func serveDB(tb testing.TB, dir string, db *gorm.DB, prepare func(*gorm.DB)) string {
	tb.Helper()
	base, _ := serveServer(tb, dir, db, prepare)
	return base
}

// serveServer is serveDB that also returns the server, whose Fiber app can then be called in-process.
func serveServer(tb testing.TB, dir string, db *gorm.DB, prepare func(*gorm.DB)) (string, *server.Server) {
	tb.Helper()
	if prepare != nil {
		prepare(db)
	}
	if vault.From(db) == nil {
		testutil.AttachVault(tb, db)
	}
	base, srv, stop, err := serveApp(dir, db)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	return base, srv
}

// hotPath is one request of the load benchmark, with the most SQL statements it may run.
type hotPath struct {
	name   string
	budget int
	req    func(base string, s *Session) *http.Request
}

// hotPaths are the load benchmark's requests, built the same way every time (the check-in read asks
// for the latest opened week), for the statement-count guard and the in-process Go benchmarks.
var hotPaths = []hotPath{
	// The home page: 7 for the couple and the cards (the session, its user and the couple in one
	// statement; the plan's check-in facts in one, the confirmed reflections among them; the therapy
	// decision and asks in one), and 6 for "For you" (both acknowledgments in one; opened weeks,
	// reflections and the pause, which the check-in card shows too; the sign-in history; the
	// seen-marks), none per item.
	{"GET /dashboard", 13, func(base string, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/dashboard", nil)
		req.Header = s.pageHeader.Clone()
		return req
	}},
	// The progress page reads, besides the plan's series (one statement over the check-in facts) and the
	// agreements' facts (one), the asking member's own trigger counts and both monthly trends (one
	// statement each).
	{"GET /progress", 11, func(base string, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/progress", nil)
		req.Header = s.pageHeader.Clone()
		return req
	}},
	{"GET /api/v1/checkins/{week}", 3, func(base string, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/checkins/"+s.Opened[len(s.Opened)-1], nil)
		req.Header = s.apiHeader.Clone()
		return req
	}},
	{"PUT /api/v1/checkins/{week}/mine", 8, func(base string, s *Session) *http.Request {
		req, _ := http.NewRequest(http.MethodPut, base+"/api/v1/checkins/"+s.Week+"/mine", bytes.NewReader(s.answer))
		req.Header = s.apiHeader.Clone()
		return req
	}},
}

// hotRequest returns the request builder of the hot path called name.
func hotRequest(tb testing.TB, name string) func(base string, s *Session) *http.Request {
	for _, p := range hotPaths {
		if p.name == name {
			return p.req
		}
	}
	tb.Fatalf("no hot path %q", name)
	return nil
}

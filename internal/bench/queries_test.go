package bench

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// queryCounter counts the SQL statements GORM runs on the handles it watches while a request runs.
type queryCounter struct{ testutil.Statements }

// count runs one request, which must answer 200, and returns the statements it ran.
func (q *queryCounter) count(t *testing.T, req *http.Request) []string {
	t.Helper()
	return q.countAs(t, req, http.StatusOK)
}

// countAs runs one request, which must answer status (a redirect is not followed), and returns the
// statements it ran.
func (q *queryCounter) countAs(t *testing.T, req *http.Request, status int) []string {
	t.Helper()
	var resp *http.Response
	var err error
	sqls := q.During(func() {
		if resp, err = noRedirect.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d", req.Method, req.URL.Path, resp.StatusCode, status)
	}
	return sqls
}

// serveCounted seeds one couple of the given shape on the engine MEND_TEST_ENGINE names, serves Mend
// over it in-process with a query counter on its database, and signs the couple's first member in.
func serveCounted(t *testing.T, shape Shape) (string, *Session, *queryCounter) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Now()
	q := &queryCounter{}
	count := func(db *gorm.DB) { q.Watch(t, db) }
	var ds *Dataset
	var base string
	var err error
	switch testutil.Engine(t) {
	case config.EnginePostgres:
		db, _ := testutil.NewPostgresDB(t)
		if ds, err = seedInto(ctx, db, shape, 0, now, nil); err != nil {
			t.Fatal(err)
		}
		base = serveDB(t, dir, db, count)
	default:
		if ds, err = Seed(ctx, filepath.Join(dir, "mend.db"), shape, 0, now, nil); err != nil {
			t.Fatal(err)
		}
		base = serveInProcess(t, dir, ds.Path, count)
	}
	s, err := signIn(ctx, base, &ds.Couples[0], 0, shape.Weeks, now)
	if err != nil {
		t.Fatal(err)
	}
	return base, s, q
}

// TestHotPathQueriesDoNotGrowWithHistory guards the benchmark's hot paths against N+1 queries: each
// request runs the same number of statements for a couple with a short history as for one with a long
// one, and no more than its budget, on the engine MEND_TEST_ENGINE names (./.ci/test runs it on both).
// It times nothing.
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

// pageAnswer is the week page's answer form as a browser posts it: the session's draft answers, with
// trust set to trust and a kept answer for every agreement the week asks about.
func pageAnswer(t *testing.T, base string, s *Session, trust string) *http.Request {
	t.Helper()
	var in struct {
		Agreements []struct {
			AgreementID string `json:"agreement_id"`
			Kept        string `json:"kept"`
		} `json:"agreements"`
	}
	if err := json.Unmarshal(s.answer, &in); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"_csrf": {s.CSRF}, "appreciation": {sampleText}, "went_well": {sampleText}, "was_hard": {sampleText},
		"need": {sampleText}, "trust": {trust}, "connection": {"7"}, "safety": {"8"}, "action": {"draft"}}
	for _, a := range in.Agreements {
		form.Set("agreement."+a.AgreementID, a.Kept)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/checkins/"+s.Week, strings.NewReader(form.Encode()))
	req.Header = s.pageHeader.Clone()
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// TestPageSaveQueriesDoNotGrowWithHistory does for saving answers from the week page what
// TestHotPathQueriesDoNotGrowWithHistory does for the API: a saved draft and a refused form run the
// same statements for a short history as for a long one, within budget. The page's form is read
// without loading the week, so a draft reads it once (in the save) and a refused form twice (the save,
// then drawing the page again).
func TestPageSaveQueriesDoNotGrowWithHistory(t *testing.T) {
	t.Parallel()
	short := Shape{Couples: 1, Weeks: 3, Agreements: 2, Versions: 2, Moments: 3}
	long := Shape{Couples: 1, Weeks: 14, Agreements: 7, Versions: 3, Moments: 25}
	baseS, sessS, qS := serveCounted(t, short)
	baseL, sessL, qL := serveCounted(t, long)
	for _, p := range []struct {
		name   string
		trust  string
		status int
		budget int
	}{
		{"POST /checkins/{week}, a draft", "6", http.StatusSeeOther, 6},
		{"POST /checkins/{week}, refused", "11", http.StatusUnprocessableEntity, 7},
	} {
		few := qS.countAs(t, pageAnswer(t, baseS, sessS, p.trust), p.status)
		many := qL.countAs(t, pageAnswer(t, baseL, sessL, p.trust), p.status)
		if len(few) != len(many) {
			t.Errorf("%s: %d statements with a short history, %d with a long one:\n%s", p.name, len(few), len(many), strings.Join(many, "\n"))
		}
		if len(many) > p.budget {
			t.Errorf("%s: %d statements, budget %d:\n%s", p.name, len(many), p.budget, strings.Join(many, "\n"))
		}
	}
}

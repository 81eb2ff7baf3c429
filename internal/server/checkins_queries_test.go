package server_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// queryLog records the SQL statements GORM runs on an app's database while it is on, and on which
// connection: the reader pool, the writer, or inside a transaction.
type queryLog struct {
	mu   sync.Mutex
	on   bool
	sqls []string
}

func watchQueries(t *testing.T, app *testutil.App) *queryLog {
	t.Helper()
	l := &queryLog{}
	readers := database.Reader(app.DB)
	record := func(db *gorm.DB) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if !l.on {
			return
		}
		where := "writer"
		switch pool := db.Statement.ConnPool.(type) {
		case gorm.TxCommitter:
			where = "tx"
		case *sql.DB:
			if pool == readers {
				where = "reader"
			}
		}
		l.sqls = append(l.sqls, where+": "+db.Statement.SQL.String())
	}
	cb := app.DB.Callback()
	for i, err := range []error{
		cb.Query().After("gorm:query").Register("test:count_query", record),
		cb.Create().After("gorm:create").Register("test:count_create", record),
		cb.Update().After("gorm:update").Register("test:count_update", record),
		cb.Delete().After("gorm:delete").Register("test:count_delete", record),
		cb.Row().After("gorm:row").Register("test:count_row", record),
		cb.Raw().After("gorm:raw").Register("test:count_raw", record),
	} {
		if err != nil {
			t.Fatalf("callback %d: %v", i, err)
		}
	}
	return l
}

// during returns the statements run while do ran.
func (l *queryLog) during(do func()) []string {
	l.mu.Lock()
	l.on, l.sqls = true, nil
	l.mu.Unlock()
	do()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.sqls
}

func countWhere(sqls []string, where string) int {
	n := 0
	for _, s := range sqls {
		if strings.HasPrefix(s, where+": ") {
			n++
		}
	}
	return n
}

// ciActiveAgreements has A propose n agreements and B accept them, and returns their ids.
func ciActiveAgreements(t *testing.T, cp testutil.Couple, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		a := decodeAgreement(t, cp.A.JSON(http.MethodPost, "/api/v1/agreements", honesty(fmt.Sprintf("Agreement %d", i))), http.StatusCreated)
		decodeAgreement(t, cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+a.ID+"/accept", map[string]int{"version": a.Version}), http.StatusOK)
		ids = append(ids, a.ID)
	}
	return ids
}

func ciAnswerAbout(tag string, ids []string, submit bool) map[string]any {
	body := ciAnswer(tag, 6, 7, 8, submit)
	var kept []any
	for _, id := range ids {
		kept = append(kept, map[string]string{"agreement_id": id, "kept": "partly"})
	}
	body["agreements"] = kept
	return body
}

// TestCheckinQueriesPerRequest bounds the SQL statements of the check-in API's hot paths, however many
// agreements the couple has, so an N+1 can't creep back: saving a draft reads what it validates against
// from the reader pool, then writes in one short transaction; reading an opened week is a handful of
// reads.
// It tells the SQLite reader pool from the writer (database.Reader), so it runs on SQLite.
func TestCheckinQueriesPerRequest(t *testing.T) {
	t.Parallel()
	app := testutil.NewSQLiteApp(t)
	cp := app.NewCouple("ciq")
	ids := ciActiveAgreements(t, cp, 4)
	log := watchQueries(t, app)

	ciPut(t, cp.A, ciWeek, ciAnswerAbout("ciq-A0", ids, false))
	put := log.during(func() { ciPut(t, cp.A, ciWeek, ciAnswerAbout("ciq-A1", ids[:3], false)) })
	if len(put) > 9 || countWhere(put, "tx") > 3 || countWhere(put, "writer") > 0 {
		t.Errorf("saving a draft ran %d statements (%d in the transaction), want at most 9 (3):\n%s",
			len(put), countWhere(put, "tx"), strings.Join(put, "\n"))
	}

	ciPut(t, cp.A, ciWeek, ciAnswerAbout("ciq-A", ids, true))
	ciPut(t, cp.B, ciWeek, ciAnswerAbout("ciq-B", ids, true))
	ciReflect(t, cp.A, ciWeek, "I heard that it was a hard week.")
	ciReflect(t, cp.B, ciWeek, "I heard some things went well.")
	var w ciWeekJSON
	get := log.during(func() { w = ciGetWeek(t, cp.A, ciWeek) })
	if w.State != "opened" || w.Partner == nil || len(w.Reflections) != 2 {
		t.Fatalf("the week did not open as expected: %+v", w)
	}
	if len(get) > 4 || countWhere(get, "reader") != len(get) {
		t.Errorf("reading an opened week ran %d statements, want at most 4, all on the readers:\n%s", len(get), strings.Join(get, "\n"))
	}
}

// ciPageAnswer is the answer form as the week page posts it, with a kept answer for each of ids.
func ciPageAnswer(tag string, ids []string, trust string) url.Values {
	f := testutil.Form("appreciation", tag+"-appreciation", "went_well", tag+"-went-well", "was_hard", tag+"-was-hard",
		"need", tag+"-need", "trust", trust, "connection", "7", "safety", "8", "action", "draft")
	for _, id := range ids {
		f.Set("agreement."+id, "partly")
	}
	return f
}

// weekReads counts the statements that read the member's answers of a week: the week page's read
// (Service.Week) and the save's own read of what it validates against (draftState).
func weekReads(sqls []string) int {
	n := 0
	for _, s := range sqls {
		if strings.Contains(s, "FROM checkin_answers AS a") || strings.Contains(s, "JOIN checkin_agreement_answers AS k") {
			n++
		}
	}
	return n
}

// TestCheckinPageSaveQueries bounds the SQL statements of saving answers from the week page, as
// TestCheckinQueriesPerRequest does for the API: the page's form is read without loading the week, the
// save reads what it validates against once, and a failed form reads the week once more to draw the
// page again, never a third time.
// Like TestCheckinQueriesPerRequest it tells the SQLite reader pool from the writer, so it runs on
// SQLite; the benchmark's statement-count guards (internal/bench) count the same saves on both engines.
func TestCheckinPageSaveQueries(t *testing.T) {
	t.Parallel()
	app := testutil.NewSQLiteApp(t)
	cp := ciBrowserCouple(t, app, "ciqpage")
	ids := ciActiveAgreements(t, cp, 4)
	page := "/checkins/" + ciWeek
	log := watchQueries(t, app)

	ciWantRedirect(t, cp.A.PostForm(page, ciPageAnswer("ciqp-A0", ids, "6")), page+"?saved=draft")
	var r *testutil.Response
	saved := log.during(func() { r = cp.A.PostForm(page, ciPageAnswer("ciqp-A1", ids[:3], "6")) })
	ciWantRedirect(t, r, page+"?saved=draft")
	if len(saved) > 7 || weekReads(saved) > 1 || countWhere(saved, "tx") > 3 || countWhere(saved, "writer") > 0 {
		t.Errorf("saving a draft from the page ran %d statements (%d reading the week, %d in the transaction), want at most 7 (1, 3):\n%s",
			len(saved), weekReads(saved), countWhere(saved, "tx"), strings.Join(saved, "\n"))
	}

	failed := log.during(func() { r = cp.A.PostForm(page, ciPageAnswer("ciqp-A2", ids, "11")) })
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "ciqp-A2-was-hard") || !strings.Contains(r.Body, `id="f-trust-error"`) {
		t.Fatalf("an out-of-range rating: %d, the page again with the text kept and the field marked wanted", r.Status)
	}
	if len(failed) > 8 || weekReads(failed) > 2 || countWhere(failed, "writer") > 0 {
		t.Errorf("a failed save from the page ran %d statements (%d reading the week), want at most 8 (2), none on the writer:\n%s",
			len(failed), weekReads(failed), strings.Join(failed, "\n"))
	}
}

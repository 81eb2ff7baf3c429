package server_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// The consent log is append-only: no route updates or deletes log rows, or versions, or agreements.
func TestAgreementLogCannotBeEditedOrDeleted(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-log")
	a := activeAgreement(t, cp, honesty("Honesty"))
	cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+a.ID+"/withdraw", map[string]any{"note": "original note"})
	before := dbRows(t, app, a.ID)

	for _, r := range app.Server.App().GetRoutes(true) {
		if strings.Contains(r.Path, "agreement") && (r.Method == http.MethodDelete || r.Method == http.MethodPatch) {
			t.Errorf("route %s %s could change history", r.Method, r.Path)
		}
	}
	body := map[string]any{"note": "rewritten", "action": "accepted", "version": 1, "title": "Rewritten", "seq": 1}
	paths := []string{
		"/api/v1/agreements/" + a.ID,
		"/api/v1/agreements/" + a.ID + "/log",
		"/api/v1/agreements/" + a.ID + "/log/1",
		"/api/v1/agreements/" + a.ID + "/log/" + a.ID,
		"/api/v1/agreements/" + a.ID + "/events/1",
		"/api/v1/agreements/" + a.ID + "/versions/1",
		"/api/v1/agreements/" + a.ID + "/accept",
		"/api/v1/agreements/" + a.ID + "/withdraw",
		"/agreements/" + a.ID,
		"/agreements/" + a.ID + "/log",
		"/agreements/" + a.ID + "/log/1",
		"/agreements/" + a.ID + "/versions/1",
	}
	for _, p := range paths {
		for _, m := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodPost} {
			if m == http.MethodPost && (strings.HasSuffix(p, "/accept") || strings.HasSuffix(p, "/withdraw")) {
				continue // these append rows; covered elsewhere
			}
			if m == http.MethodPut && p == "/api/v1/agreements/"+a.ID {
				continue // an edit appends a version; covered elsewhere
			}
			r := cp.A.JSON(m, p, body)
			if r.Status != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", m, p, r.Status)
			}
		}
	}
	if after := dbRows(t, app, a.ID); !reflect.DeepEqual(before, after) {
		t.Fatalf("rows changed:\nbefore %v\nafter  %v", before, after)
	}
	// An edit adds rows and changes none of the old ones.
	decodeAgreement(t, editAPI(cp.A, a.ID, 1, honesty("Honesty again")), http.StatusOK)
	after := dbRows(t, app, a.ID)
	var versions, events int
	for _, row := range after {
		if _, ok := row["seq"]; ok {
			events++
		} else if _, ok := row["number"]; ok {
			versions++
		}
	}
	if versions != 2 || events != 4 {
		t.Fatalf("after an edit: %d versions, %d events", versions, events)
	}
	for _, old := range before {
		found := false
		for _, row := range after {
			if reflect.DeepEqual(old, row) {
				found = true
			}
		}
		if !found {
			t.Errorf("row %v changed or vanished after an edit", old)
		}
	}
}

// Agreement text and notes never reach the logs (SECURITY G2), including on errors and conflicts.
func TestAgreementTextIsNeverLogged(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-canary")
	const canary = "canary-7f3a9"
	a := proposeAPI(t, cp.A, map[string]any{"title": canary + " title", "body": canary + " body", "category": "honesty", "review_on": "2027-01-01"})
	editAPI(cp.B, a.ID, 1, honesty(canary+" edit"))
	editAPI(cp.A, a.ID, 1, honesty(canary+" stale"))
	cp.A.JSON(http.MethodPost, "/api/v1/agreements/"+a.ID+"/accept", map[string]any{"version": 2, "note": canary + " note"})
	cp.B.JSON(http.MethodPost, "/api/v1/agreements", map[string]any{"title": canary + strings.Repeat("x", 200)})
	cp.A.PostForm("/agreements/"+a.ID+"/withdraw", testutil.Form("note", canary+" why"))
	cp.A.Get("/agreements/" + a.ID)
	if logs := app.Logs.String(); strings.Contains(logs, canary) || logs == "" {
		t.Fatalf("the logs carry agreement text (or nothing was logged): %v", strings.Contains(logs, canary))
	}
}

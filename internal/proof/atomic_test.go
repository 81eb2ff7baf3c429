package proof

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// TestInjectedFailureLeavesNoPartialRows covers SECURITY I4: for each operation that writes several
// rows, a trigger makes the database refuse one of the later writes. The request fails with a generic
// 500 (no driver text, SECURITY G1), and not one row of the database has changed: the earlier writes of
// the same operation were rolled back with it. Then, without the trigger, the same request succeeds.
//
// The failure is injected with a trigger on the engine MEND_TEST_ENGINE names (injectFailure).
func TestInjectedFailureLeavesNoPartialRows(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("i4")
	solo := app.Client()
	solo.RegisterAPI("i4-solo@example.org", "Solo")
	ag := cp.A.JSON(http.MethodPost, "/api/v1/agreements", map[string]any{"title": "T", "body": "B", "category": "honesty", "review_on": "2027-01-10"}).Map(t)
	id := idOf(ag, "agreement")
	if r := cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+id+"/accept", map[string]any{"version": 1}); r.Status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	answer := func(submit bool) map[string]any {
		return map[string]any{"appreciation": "a", "trust": 5, "connection": 5, "safety": 5, "submit": submit,
			"agreements": []map[string]string{{"agreement_id": id, "kept": "kept"}}}
	}
	if r := cp.A.JSON(http.MethodPut, "/api/v1/checkins/2026-W48/mine", answer(true)); r.Status != http.StatusOK {
		t.Fatalf("A's answer: %d %s", r.Status, r.Body)
	}
	cases := []struct {
		name, trigger string // the statement the trigger refuses: "INSERT ON table" or "UPDATE ON table"
		cl            *testutil.Client
		method, path  string
		body          any
		want          int
	}{
		{"new agreement: its first consent", "INSERT ON agreement_events", cp.A, http.MethodPost, "/api/v1/agreements",
			map[string]any{"title": "T2", "body": "B", "category": "honesty", "review_on": "2027-01-10"}, http.StatusCreated},
		{"answer: its agreement answers", "INSERT ON checkin_agreement_answers", cp.B, http.MethodPut, "/api/v1/checkins/2026-W48/mine", answer(false), http.StatusOK},
		{"the answer that opens the week", "INSERT ON checkin_weeks", cp.B, http.MethodPut, "/api/v1/checkins/2026-W48/mine", answer(true), http.StatusOK},
		{"edit: its consent", "INSERT ON agreement_events", cp.A, http.MethodPut, "/api/v1/agreements/" + id,
			map[string]any{"base_version": 1, "title": "T3", "body": "B", "category": "honesty", "review_on": "2027-01-10"}, http.StatusOK},
		{"new couple: its first member", "INSERT ON couple_members", solo, http.MethodPost, "/api/v1/couple",
			map[string]string{"timezone": "Europe/London", "checkin_weekday": "sunday"}, http.StatusCreated},
		{"acknowledgment: its first version", "INSERT ON acknowledgment_versions", cp.A, http.MethodPut, "/api/v1/acknowledgment",
			map[string]any{"what_happened": "w", "responsibility": "r", "impact": "i", "commitments": []string{"c"}, "share": true}, http.StatusOK},
		{"plan mark: its history", "INSERT ON plan_events", cp.A, http.MethodPatch, "/api/v1/plan/items/checkins", map[string]any{"done": true}, http.StatusOK},
	}
	for _, tc := range cases {
		table := tc.trigger[strings.LastIndex(tc.trigger, " ")+1:]
		event := strings.SplitN(tc.trigger, " ", 2)[0]
		drop := injectFailure(t, app, event, table)
		before := dbState(t, app)
		r := tc.cl.JSON(tc.method, tc.path, tc.body)
		after := dbState(t, app)
		drop()
		if low := strings.ToLower(r.Body); r.Status != http.StatusInternalServerError || strings.Contains(r.Body, "i4 injected") ||
			strings.Contains(low, "sqlite") || strings.Contains(low, "postgres") || strings.Contains(low, "sqlstate") {
			t.Errorf("%s with the write refused: %d %s, want a generic 500", tc.name, r.Status, r.Body)
		}
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: the refused operation left partial rows", tc.name)
		}
		if r := tc.cl.JSON(tc.method, tc.path, tc.body); r.Status != tc.want {
			t.Errorf("%s without the trigger: %d %s, want %d", tc.name, r.Status, r.Body, tc.want)
		}
	}
}

// injectFailure makes the database refuse every event ("INSERT" or "UPDATE") on table, with an SQLite
// trigger (RAISE(ABORT)) or a PostgreSQL one (a PL/pgSQL function that raises), until the returned
// function drops it.
func injectFailure(t *testing.T, app *testutil.App, event, table string) (drop func()) {
	t.Helper()
	create := []string{"CREATE TRIGGER i4_refuse BEFORE " + event + " ON " + table +
		" BEGIN SELECT RAISE(ABORT, 'i4 injected failure'); END"}
	remove := []string{"DROP TRIGGER i4_refuse"}
	if app.Engine == config.EnginePostgres {
		create = []string{"CREATE OR REPLACE FUNCTION i4_refuse() RETURNS trigger LANGUAGE plpgsql AS " +
			"'BEGIN RAISE EXCEPTION ''i4 injected failure''; END'",
			"CREATE TRIGGER i4_refuse BEFORE " + event + " ON " + table + " FOR EACH ROW EXECUTE FUNCTION i4_refuse()"}
		remove = []string{"DROP TRIGGER i4_refuse ON " + table}
	}
	for _, q := range create {
		if err := app.DB.Exec(q).Error; err != nil {
			t.Fatalf("trigger on %s: %v", table, err)
		}
	}
	return func() {
		t.Helper()
		for _, q := range remove {
			if err := app.DB.Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
}

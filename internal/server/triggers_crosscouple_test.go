package server_test

import (
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// seedTriggers gives the owner couple a signalled trigger of A's (with its words) answered by B, and a
// private one, all with ownerPrefix text; it returns the signalled trigger's id and its signal's.
func seedTriggers(t *testing.T, _ *testutil.App, owner testutil.Couple) (triggerID, signalID string) {
	t.Helper()
	e := trLog(t, owner.A, ownerPrefix+" signalled trigger")
	trLog(t, owner.A, ownerPrefix+" private trigger")
	planWantStatus(t, owner.A.JSON(http.MethodPost, "/api/v1/triggers/"+e.ID+"/signal", map[string]bool{"include_text": true}), http.StatusOK, "owner signal")
	sig := trSignals(t, owner.B)[0]
	planWantStatus(t, owner.B.JSON(http.MethodPost, "/api/v1/signals/"+sig.ID+"/response", map[string]string{"kind": "reassure", "text": ownerPrefix + " response"}),
		http.StatusCreated, "owner response")
	return e.ID, sig.ID
}

// trC2 builds a row for a route with an id: path picks the target from the seeded trigger and signal,
// and every row of the owner couple must be the same afterwards.
func trC2(name, method, route string, path func(triggerID, signalID string) string, body any) crossCoupleCase {
	var before sync.Map // *testutil.App → []string
	return crossCoupleCase{
		Name: "triggers " + name, Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			tid, sid := seedTriggers(t, app, owner)
			_, cp := getCouple(t, owner.A)
			before.Store(app, coupleRows(t, app, cp.ID))
			return path(tid, sid), body
		},
		Check: func(t *testing.T, app *testutil.App, owner testutil.Couple) {
			was, _ := before.Load(app)
			_, cp := getCouple(t, owner.A)
			if now := coupleRows(t, app, cp.ID); !reflect.DeepEqual(was, now) {
				t.Errorf("the owner couple's rows changed:\nbefore %v\nafter  %v", was, now)
			}
		},
	}
}

func init() {
	seed := func(t *testing.T, app *testutil.App, owner testutil.Couple) { seedTriggers(t, app, owner) }
	tr := func(suffix string) func(string, string) string {
		return func(tid, _ string) string { return "/triggers/" + tid + suffix }
	}
	apiTr := func(suffix string) func(string, string) string {
		return func(tid, _ string) string { return "/api/v1/triggers/" + tid + suffix }
	}
	sig := func(prefix string) func(string, string) string {
		return func(_, sid string) string { return prefix + sid + "/response" }
	}
	entry := testutil.Form("at", "2026-11-25T10:00", "what", "ours", "strength", "3", "helped", "ours")
	addCrossCouple(
		ownerData("own trigger log", "GET", "/triggers", seed, nil),
		ownerData("logs only in its own couple", "POST", "/triggers", seed, entry),
		ownerData("own trigger log", "GET", "/api/v1/triggers", seed, nil),
		ownerData("logs only in its own couple", "POST", "/api/v1/triggers", seed, map[string]any{"what": "ours", "strength": 3}),
		ownerData("receives only its own couple's signals", "GET", "/api/v1/signals", seed, nil),
		trC2("edit page", "GET", "/triggers/:id/edit", tr("/edit"), nil),
		trC2("edit", "POST", "/triggers/:id/edit", tr("/edit"), entry),
		trC2("delete", "POST", "/triggers/:id/delete", tr("/delete"), testutil.Form()),
		trC2("signal preview", "GET", "/triggers/:id/signal", tr("/signal"), nil),
		trC2("signal", "POST", "/triggers/:id/signal", tr("/signal"), testutil.Form("include_text", "1")),
		trC2("respond", "POST", "/signals/:id/response", sig("/signals/"), testutil.Form("kind", "acknowledge", "text", "hi")),
		trC2("patch", "PATCH", "/api/v1/triggers/:id", apiTr(""), map[string]any{"what": "theirs", "strength": 1}),
		trC2("delete", "DELETE", "/api/v1/triggers/:id", apiTr(""), nil),
		trC2("signal", "POST", "/api/v1/triggers/:id/signal", apiTr("/signal"), map[string]bool{"include_text": true}),
		trC2("respond", "POST", "/api/v1/signals/:id/response", sig("/api/v1/signals/"), map[string]string{"kind": "acknowledge", "text": "hi"}),
	)
}

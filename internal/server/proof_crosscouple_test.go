package server_test

import (
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// The whole-app cross-couple coverage (SECURITY C2). TestEveryIDRouteHasACrossCoupleRow asks for a row
// for /api/v1 routes with an id; the test here asks for one for EVERY registered route, pages and forms
// included, generated from app.GetRoutes(): a route is either public (server.PublicRoutes), about the
// signed-in user's own account (crossCoupleAccountOnly, with the reason), or it has at least one row in
// the cross-couple table. A couple-scoped route without an id (a list, a form that creates something)
// is run by the shared runner as "only ever sees its own couple": no 5xx, nothing of the owner couple in
// the answer, and the owner couple's rows unchanged.

// crossCoupleAccountOnly are the routes that act only on the signed-in user's own account and sessions,
// never on couple data, and the test that proves one user cannot reach another's.
var crossCoupleAccountOnly = map[string]string{
	"GET /reauth":                            "the password prompt; no couple data",
	"POST /reauth":                           "marks the caller's own session recently authenticated (B10 tests)",
	"POST /logout":                           "ends the caller's own session (B5 tests)",
	"POST /account/name":                     "changes the caller's own display name",
	"POST /account/password":                 "the caller's own password (A6 tests)",
	"POST /account/sessions/others":          "the caller's own sessions (B9 tests)",
	"POST /account/sessions/:id":             "the caller's own sessions: another user's id is 404 (TestSessionListAndRevoke, B9)",
	"POST /api/v1/auth/logout":               "ends the caller's own session (B5 tests)",
	"POST /api/v1/auth/reauth":               "marks the caller's own session recently authenticated (B10 tests)",
	"PATCH /api/v1/me":                       "changes the caller's own display name",
	"POST /api/v1/me/password":               "the caller's own password (A6 tests)",
	"GET /api/v1/me/sessions":                "the caller's own sessions (TestSessionListAndRevoke, B9)",
	"POST /api/v1/me/sessions/revoke-others": "the caller's own sessions (B9 tests)",
	"DELETE /api/v1/me/sessions/:id":         "the caller's own sessions: another user's id is 404 (TestSessionListAndRevoke, B9)",
}

// routesWithoutCrossCoupleRow returns every registered route that is neither public, nor account-only,
// nor covered by a row; and every account-only entry that is not a registered route any more.
func routesWithoutCrossCoupleRow(app *fiber.App) (missing, stale []string) {
	public := map[string]bool{}
	for _, p := range server.PublicRoutes() {
		public[p] = true
	}
	rows := map[string]bool{}
	for _, tc := range crossCoupleCases {
		rows[tc.Method+" "+tc.Route] = true
	}
	registered := map[string]bool{}
	for _, rt := range app.GetRoutes(true) {
		if rt.Method == http.MethodHead {
			continue
		}
		key := rt.Method + " " + rt.Path
		registered[key] = true
		if public[rt.Path] || rows[key] {
			continue
		}
		if _, ok := crossCoupleAccountOnly[key]; ok {
			continue
		}
		missing = append(missing, key)
	}
	for key := range crossCoupleAccountOnly {
		if !registered[key] {
			stale = append(stale, key)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	return missing, stale
}

func TestEveryRouteHasACrossCoupleRowOrAReason(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	missing, stale := routesWithoutCrossCoupleRow(app.Server.App())
	for _, key := range missing {
		t.Errorf("%s is not public and has no cross-couple row: add one with addCrossCouple (or, if it only "+
			"touches the user's own account, a reason in crossCoupleAccountOnly)", key)
	}
	for _, key := range stale {
		t.Errorf("crossCoupleAccountOnly lists %s, which is not a registered route", key)
	}
}

// TestNewPageOrFormWithoutARowIsCaught shows the whole-app check fails for a new page, form and API
// route that forget their rows, with or without an id.
func TestNewPageOrFormWithoutARowIsCaught(t *testing.T) {
	t.Parallel()
	db, path := testutil.NewDB(t)
	noop := func(c *fiber.Ctx) error { return nil }
	srv, err := server.New(server.Deps{Config: testutil.TestConfig(filepath.Dir(path)), DB: db, ExtraRoutes: func(r fiber.Router) {
		r.Get("/diary", noop)
		r.Post("/diary/:id/share", noop)
		r.Post("/api/v1/diary", noop)
	}})
	if err != nil {
		t.Fatal(err)
	}
	missing, _ := routesWithoutCrossCoupleRow(srv.App())
	want := []string{"GET /diary", "POST /api/v1/diary", "POST /diary/:id/share"}
	if !reflect.DeepEqual(missing, want) {
		t.Errorf("missing = %v, want %v", missing, want)
	}
}

// coupleRows returns every row of every table with a couple_id column that belongs to coupleID, as
// text, to show that another couple's request changed nothing of the owner's.
func coupleRows(t *testing.T, app *testutil.App, coupleID string) []string {
	t.Helper()
	// The catalogue differs per engine; the rows compared are the same.
	q := `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND p.name = 'couple_id' ORDER BY m.name`
	if app.Engine == config.EnginePostgres {
		q = `SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'couple_id' ORDER BY table_name`
	}
	var tables []string
	if err := app.DB.Raw(q).Scan(&tables).Error; err != nil {
		t.Fatalf("tables: %v", err)
	}
	var out []string
	for _, table := range tables {
		var rows []map[string]any
		if err := app.DB.Table(table).Where("couple_id = ?", coupleID).Find(&rows).Error; err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		for _, r := range rows {
			out = append(out, table+": "+fmt.Sprint(r))
		}
	}
	sort.Strings(out)
	return out
}

// ownerData builds a row for a couple-scoped route without an id: seed gives the owner couple data
// whose text carries ownerPrefix (so the runner's marker check sees any leak), then every row of the
// owner couple is compared before and after the other couple's request.
func ownerData(name, method, route string, seed func(t *testing.T, app *testutil.App, owner testutil.Couple), body any) crossCoupleCase {
	var before sync.Map // *testutil.App → []string
	coupleID := func(t *testing.T, owner testutil.Couple) string {
		_, cp := getCouple(t, owner.A)
		return cp.ID
	}
	return crossCoupleCase{
		Name: "proof: " + name, Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			if seed != nil {
				seed(t, app, owner)
			}
			before.Store(app, coupleRows(t, app, coupleID(t, owner)))
			return route, body
		},
		Check: func(t *testing.T, app *testutil.App, owner testutil.Couple) {
			was, _ := before.Load(app)
			if now := coupleRows(t, app, coupleID(t, owner)); !reflect.DeepEqual(was, now) {
				t.Errorf("the owner couple's rows changed:\nbefore %v\nafter  %v", was, now)
			}
		},
	}
}

// seedAgreement gives the owner couple an active agreement titled with ownerPrefix.
func seedAgreement(t *testing.T, _ *testutil.App, owner testutil.Couple) {
	t.Helper()
	activeAgreement(t, owner, honesty(ownerPrefix+" agreement title"))
}

// seedCheckin has both owner partners share their answers for the current week, with ownerPrefix text.
func seedCheckin(t *testing.T, _ *testutil.App, owner testutil.Couple) {
	t.Helper()
	ciPut(t, owner.A, ciWeek, ciAnswer(ownerPrefix+"-A", 3, 4, 7, true))
	ciPut(t, owner.B, ciWeek, ciAnswer(ownerPrefix+"-B", 8, 9, 6, true))
}

// seedTimeout starts a pause in the owner couple with a note carrying ownerPrefix.
func seedTimeout(t *testing.T, app *testutil.App, owner testutil.Couple) {
	t.Helper()
	until := app.Clock.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	if r := owner.A.JSON(http.MethodPost, "/api/v1/timeouts", map[string]string{"until": until, "note": ownerPrefix + " pause"}); r.Status != http.StatusCreated {
		t.Fatalf("owner pause: %d %s", r.Status, r.Body)
	}
}

// seedPlan gives the owner couple a shared acknowledgment with a private draft after it, a plan item,
// a private and a shared moment and a therapy decision, all with ownerPrefix text.
func seedPlan(t *testing.T, _ *testutil.App, owner testutil.Couple) {
	t.Helper()
	for _, r := range []struct {
		cl     *testutil.Client
		method string
		path   string
		body   any
		want   int
	}{
		{owner.A, http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": ownerPrefix + " shared", "responsibility": "r",
			"impact": "i", "commitments": []string{ownerPrefix + " c"}, "share": true}, http.StatusOK},
		{owner.A, http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": ownerPrefix + " draft", "responsibility": "r"}, http.StatusOK},
		{owner.A, http.MethodPost, "/api/v1/plan/items", map[string]string{"title": ownerPrefix + " item"}, http.StatusCreated},
		{owner.A, http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "note": ownerPrefix + " private"}, http.StatusCreated},
		{owner.B, http.MethodPost, "/api/v1/moments", map[string]any{"kind": "routine", "note": ownerPrefix + " shared", "shared": true}, http.StatusCreated},
		{owner.B, http.MethodPost, "/api/v1/plan/therapy", map[string]any{"decision": "considering"}, http.StatusOK},
	} {
		if got := r.cl.JSON(r.method, r.path, r.body); got.Status != r.want {
			t.Fatalf("owner %s %s: %d %s", r.method, r.path, got.Status, got.Body)
		}
	}
}

func init() {
	ack := map[string]any{"what_happened": "ours", "responsibility": "ours", "impact": "ours", "commitments": []string{"ours"}, "share": true}
	addCrossCouple(
		ownerData("own acknowledgment page", "GET", "/acknowledgment", seedPlan, nil),
		ownerData("own acknowledgment preview", "GET", "/acknowledgment/preview", seedPlan, nil),
		ownerData("own plan page", "GET", "/plan", seedPlan, nil),
		ownerData("own moments page", "GET", "/moments", seedPlan, nil),
		ownerData("own progress page", "GET", "/progress", seedPlan, nil),
		ownerData("drafts only its own acknowledgment", "POST", "/acknowledgment", seedPlan,
			testutil.Form("what_happened", "ours", "responsibility", "ours", "impact", "ours", "commitments", "ours", "action", "save")),
		ownerData("shares only its own acknowledgment", "POST", "/acknowledgment/share", seedPlan, testutil.Form("version", "1")),
		ownerData("writes only its own acknowledgment", "PUT", "/api/v1/acknowledgment", seedPlan, ack),
		ownerData("adds to its own plan", "POST", "/plan/items", seedPlan, testutil.Form("title", "ours", "notes", "ours")),
		ownerData("adds to its own plan", "POST", "/api/v1/plan/items", seedPlan, map[string]string{"title": "ours"}),
		ownerData("decides only for its own couple", "POST", "/plan/therapy", seedPlan, testutil.Form("form", "decision", "decision", "seeing")),
		ownerData("decides only for its own couple", "POST", "/api/v1/plan/therapy", seedPlan, map[string]any{"decision": "seeing"}),
		ownerData("logs only its own moments", "POST", "/moments", seedPlan, testutil.Form("kind", "kindness", "note", "ours", "on", "2026-11-24")),
		ownerData("logs only its own moments", "POST", "/api/v1/moments", seedPlan, map[string]any{"kind": "kindness", "note": "ours"}),
	)
}

func init() {
	agreementForm := testutil.Form("title", "Ours", "body", "We talk on Sundays.", "category", "communication", "review_on", "2027-01-10")
	agreementJSON := map[string]any{"title": "Ours", "body": "We talk on Sundays.", "category": "communication", "review_on": "2027-01-10"}
	addCrossCouple(
		ownerData("own agreement list", "GET", "/agreements", seedAgreement, nil),
		ownerData("own agreement list", "GET", "/api/v1/agreements", seedAgreement, nil),
		ownerData("new agreement form", "GET", "/agreements/new", seedAgreement, nil),
		ownerData("proposes in its own couple", "POST", "/agreements", seedAgreement, agreementForm),
		ownerData("proposes in its own couple", "POST", "/api/v1/agreements", seedAgreement, agreementJSON),
		ownerData("own check-in list", "GET", "/checkins", seedCheckin, nil),
		ownerData("own check-in list", "GET", "/api/v1/checkins", seedCheckin, nil),
		ownerData("pauses only its own couple", "POST", "/timeouts", seedTimeout, testutil.Form("for", "60", "note", "ours")),
		ownerData("pauses only its own couple", "POST", "/api/v1/timeouts", seedTimeout, map[string]string{"until": "2026-11-25T14:00:00Z", "note": "ours"}),
		ownerData("ends only its own pause", "POST", "/timeouts/end", seedTimeout, testutil.Form()),
		ownerData("own account and couple", "GET", "/api/v1/me", seedAgreement, nil),
		ownerData("own account page", "GET", "/account", seedAgreement, nil),
	)
}

package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// The cross-couple test (SECURITY C2). Every row of crossCoupleCases is run with two fresh couples: the
// owner couple ("ownerqz") and another couple ("otherqz"). Setup makes the owner's resource; then the other
// couple's partner A (freshly re-authenticated, so recent-auth routes are reached too) sends the request.
//
//   - A route with an ":id" or ":week" parameter must answer 404, exactly like a missing resource.
//   - A route without one (the couple itself, the dashboard, the export…) acts on the caller's own couple,
//     so the equivalent is checked: never a 5xx, and the answer never names the owner couple (its id,
//     its members' names or emails).
//
// For every row, the owner couple as its member sees it is unchanged afterwards, and the row's Check runs.
// Features add rows from their own test files: func init() { addCrossCouple(crossCoupleCase{...}) }.
// TestEveryIDRouteHasACrossCoupleRow makes sure a new /api/v1 route with an id has at least one row.

const (
	ownerPrefix = "ownerqz"
	otherPrefix = "otherqz"
)

// crossCoupleExceptions are /api/v1 routes with an id that are not couple-scoped, and why.
var crossCoupleExceptions = map[string]string{
	"DELETE /api/v1/me/sessions/:id": "the user's own sessions, not the couple's: covered by the session tests (SECURITY B9)",
}

func hasIDParam(route string) bool {
	return strings.Contains(route, ":id") || strings.Contains(route, ":week")
}

// send makes the request of a row: testutil.Values as a form, anything else as JSON.
func send(t *testing.T, cl *testutil.Client, method, path string, body any) *testutil.Response {
	t.Helper()
	if form, ok := body.(testutil.Values); ok {
		if method == http.MethodPost {
			return cl.PostForm(path, form)
		}
		req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return cl.Do(req)
	}
	if body == nil && method == http.MethodGet {
		return cl.Get(path)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if body == nil {
		raw = nil
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	return cl.Do(req)
}

func TestCrossCoupleAccessIsNotFound(t *testing.T) {
	t.Parallel()
	if len(crossCoupleCases) == 0 {
		t.Fatal("the cross-couple table is empty")
	}
	for _, tc := range crossCoupleCases {
		t.Run(tc.Method+" "+tc.Route+" "+tc.Name, func(t *testing.T) {
			t.Parallel()
			app := testutil.NewApp(t)
			owner := app.NewCouple(ownerPrefix)
			other := app.NewCouple(otherPrefix)
			_, original := getCouple(t, owner.A)
			path, body := tc.Setup(t, app, owner)
			_, before := getCouple(t, owner.A)
			reauth(t, other.A)
			r := send(t, other.A, tc.Method, path, body)
			if hasIDParam(tc.Route) && r.Status != http.StatusNotFound {
				t.Errorf("%s %s by another couple: %d %s, want 404", tc.Method, path, r.Status, r.Body)
			}
			if r.Status >= 500 {
				t.Errorf("%s %s by another couple: %d", tc.Method, path, r.Status)
			}
			markers := []string{original.ID, before.ID, ownerPrefix}
			for _, m := range markers {
				if m != "" && strings.Contains(r.Body, m) {
					t.Errorf("%s %s by another couple shows the owner couple (%q):\n%s", tc.Method, path, m, r.Body)
				}
			}
			if _, after := getCouple(t, owner.A); !reflect.DeepEqual(before, after) {
				t.Errorf("the owner couple changed:\nbefore %+v\nafter  %+v", before, after)
			}
			if tc.Check != nil {
				tc.Check(t, app, owner)
			}
		})
	}
}

// missingCrossCoupleRows returns the /api/v1 routes with an id of app that have no row, and the rows
// whose route is not registered.
func missingCrossCoupleRows(app *fiber.App) (missing, unknown []string) {
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
		if !strings.HasPrefix(rt.Path, "/api/v1/") || !hasIDParam(rt.Path) {
			continue
		}
		if _, ok := crossCoupleExceptions[key]; ok {
			continue
		}
		if !rows[key] {
			missing = append(missing, key)
		}
	}
	for key := range rows {
		if !registered[key] {
			unknown = append(unknown, key)
		}
	}
	sort.Strings(missing)
	sort.Strings(unknown)
	return missing, unknown
}

func TestEveryIDRouteHasACrossCoupleRow(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	missing, unknown := missingCrossCoupleRows(app.Server.App())
	for _, key := range missing {
		t.Errorf("%s has no row in the cross-couple table: add one with addCrossCouple in the feature's test file", key)
	}
	for _, key := range unknown {
		t.Errorf("cross-couple row for %s, which is not a registered route", key)
	}
}

// TestRouteWithoutCrossCoupleRowIsCaught shows the check above fails for a new route that has no row.
func TestRouteWithoutCrossCoupleRowIsCaught(t *testing.T) {
	t.Parallel()
	db, path := testutil.NewDB(t)
	srv, err := server.New(server.Deps{Config: testutil.TestConfig(filepath.Dir(path)), DB: db, ExtraRoutes: func(r fiber.Router) {
		r.Get("/api/v1/widgets/:id", func(c *fiber.Ctx) error { return nil })
		r.Put("/api/v1/checkins/:week/widgets", func(c *fiber.Ctx) error { return nil })
	}})
	if err != nil {
		t.Fatal(err)
	}
	missing, _ := missingCrossCoupleRows(srv.App())
	want := []string{"GET /api/v1/widgets/:id", "PUT /api/v1/checkins/:week/widgets"}
	if !reflect.DeepEqual(missing, want) {
		t.Errorf("missing = %v, want %v", missing, want)
	}
}

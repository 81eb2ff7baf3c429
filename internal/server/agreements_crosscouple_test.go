package server_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

const c2Title = "C2 private agreement title"

// agreementC2 builds a cross-couple row over a fresh active agreement of the owner couple; Check
// compares every agreement, version and log row with what they were before the attempt.
func agreementC2(method, route string, path func(id string) string, body func(id string) any) crossCoupleCase {
	var id string
	var before []map[string]any
	return crossCoupleCase{
		Name: method + " " + path(":id"), Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			a := activeAgreement(t, owner, honesty(c2Title))
			id, before = a.ID, dbRows(t, app, a.ID)
			if body == nil {
				return path(id), nil
			}
			return path(id), body(id)
		},
		Check: func(t *testing.T, app *testutil.App, owner testutil.Couple) {
			if after := dbRows(t, app, id); !reflect.DeepEqual(before, after) {
				t.Errorf("the owner's agreement changed:\nbefore %v\nafter  %v", before, after)
			}
			if got := getAPI(t, owner.A, id); got.Status != "active" || got.Title != c2Title {
				t.Errorf("owner now sees %+v", got)
			}
		},
	}
}

func init() {
	api := func(suffix string) func(string) string {
		return func(id string) string { return "/api/v1/agreements/" + id + suffix }
	}
	page := func(suffix string) func(string) string {
		return func(id string) string { return "/agreements/" + id + suffix }
	}
	edit := func(string) any {
		return map[string]any{"base_version": 1, "title": "Taken over", "body": "x", "category": "other", "review_on": "2027-01-01"}
	}
	form := func(kv ...string) func(string) any {
		return func(string) any { return testutil.Form(kv...) }
	}
	addCrossCouple(
		agreementC2("GET", "/api/v1/agreements/:id", api(""), nil),
		agreementC2("PUT", "/api/v1/agreements/:id", api(""), edit),
		agreementC2("POST", "/api/v1/agreements/:id/accept", api("/accept"), func(string) any { return map[string]any{"version": 1} }),
		agreementC2("POST", "/api/v1/agreements/:id/withdraw", api("/withdraw"), func(string) any { return map[string]any{"note": "mine"} }),
		agreementC2("POST", "/api/v1/agreements/:id/review", api("/review"), func(string) any { return map[string]any{"next_review_on": "2027-01-01"} }),
		agreementC2("GET", "/agreements/:id", page(""), nil),
		agreementC2("GET", "/agreements/:id", page("?version=1"), nil),
		agreementC2("GET", "/agreements/:id/edit", page("/edit"), nil),
		agreementC2("POST", "/agreements/:id/edit", page("/edit"),
			form("base_version", "1", "title", "Taken over", "body", "x", "category", "other", "review_on", "2027-01-01")),
		agreementC2("POST", "/agreements/:id/accept", page("/accept"), form("version", "1")),
		agreementC2("POST", "/agreements/:id/withdraw", page("/withdraw"), form("note", "mine")),
		agreementC2("POST", "/agreements/:id/review", page("/review"), form("next_review_on", "2027-01-01")),
	)
}

// TestAgreementsCrossCouple runs the agreement rows of the cross-couple table (SECURITY C2), and checks
// that every agreement route taking an id has a row.
func TestAgreementsCrossCouple(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	owner, other := app.NewCouple("c2-owner"), app.NewCouple("c2-other")
	covered := map[string]bool{}
	for _, tc := range crossCoupleCases {
		if !strings.Contains(tc.Route, "agreements") {
			continue
		}
		covered[tc.Method+" "+tc.Route] = true
		t.Run(tc.Name, func(t *testing.T) {
			path, body := tc.Setup(t, app, owner)
			var r *testutil.Response
			switch b := body.(type) {
			case testutil.Values:
				r = other.A.PostForm(path, b)
			default:
				r = other.A.JSON(tc.Method, path, b)
			}
			if r.Status != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", tc.Method, path, r.Status)
			}
			if strings.Contains(r.Body, c2Title) {
				t.Errorf("%s %s leaks the title", tc.Method, path)
			}
			if tc.Check != nil {
				tc.Check(t, app, owner)
			}
		})
	}
	for _, r := range app.Server.App().GetRoutes(true) {
		if r.Method != http.MethodHead && strings.Contains(r.Path, "agreements/:id") && !covered[r.Method+" "+r.Path] {
			t.Errorf("no cross-couple row for %s %s", r.Method, r.Path)
		}
	}
	// The list and the dashboard of the other couple show nothing of the owner's.
	for _, p := range []string{"/api/v1/agreements", "/agreements", "/dashboard"} {
		if r := other.A.Get(p); r.Status != http.StatusOK || strings.Contains(r.Body, c2Title) {
			t.Errorf("GET %s: %d, leaks: %v", p, r.Status, strings.Contains(r.Body, c2Title))
		}
	}
}

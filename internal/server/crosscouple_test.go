package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

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
// TestEveryRouteHasACrossCoupleRowOrAReason (proof_crosscouple_test.go) makes sure every route has a row.

const (
	ownerPrefix = "ownerqz"
	otherPrefix = "otherqz"
)

// hasIDParam reports whether a route addresses one couple-scoped item (such rows must answer 404).
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

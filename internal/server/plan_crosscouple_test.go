package server_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

const planC2Canary = "C2PLANCANARY"

// planOwnerState is what the owner couple's partner A sees of the plan feature, for comparing before
// and after another couple's attempt.
func planOwnerState(t *testing.T, owner testutil.Couple) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{"/api/v1/acknowledgment", "/api/v1/plan", "/api/v1/moments"} {
		r := owner.A.JSON(http.MethodGet, p, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("owner GET %s: %d %s", p, r.Status, r.Body)
		}
		b.WriteString(r.Body)
	}
	return b.String()
}

// planC2Seed gives the owner couple a shared acknowledgment, a custom plan item and two moments (one
// private, one shared), and returns the item's and moments' ids.
func planC2Seed(t *testing.T, owner testutil.Couple) (item, private, shared string) {
	t.Helper()
	r := owner.A.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": planC2Canary, "responsibility": "r",
		"impact": "i", "commitments": []string{"c"}, "share": true})
	planWantStatus(t, r, http.StatusOK, "owner ack")
	var it struct {
		Item struct{ ID string } `json:"item"`
	}
	r = owner.A.JSON(http.MethodPost, "/api/v1/plan/items", map[string]string{"title": planC2Canary + " item"})
	planWantStatus(t, r, http.StatusCreated, "owner item")
	r.JSON(t, &it)
	var m struct {
		Moment struct{ ID string } `json:"moment"`
	}
	r = owner.A.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "note": planC2Canary + " private"})
	planWantStatus(t, r, http.StatusCreated, "owner moment")
	r.JSON(t, &m)
	private = m.Moment.ID
	r = owner.A.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "note": planC2Canary + " shared", "shared": true})
	planWantStatus(t, r, http.StatusCreated, "owner shared moment")
	r.JSON(t, &m)
	return it.Item.ID, private, m.Moment.ID
}

// planC2 builds a row: path picks the target from the seeded ids; Check compares the owner's view.
// The state before each attempt is kept per app, since a row may run in more than one test at once.
func planC2(name, method, route string, path func(item, private, shared string) string, body any) crossCoupleCase {
	var before sync.Map // *testutil.App → string
	return crossCoupleCase{
		Name: "plan " + name, Method: method, Route: route,
		Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
			item, private, shared := planC2Seed(t, owner)
			before.Store(app, planOwnerState(t, owner))
			return path(item, private, shared), body
		},
		Check: func(t *testing.T, app *testutil.App, owner testutil.Couple) {
			before, _ := before.Load(app)
			if after := planOwnerState(t, owner); after != before {
				t.Errorf("the owner's plan changed:\nbefore %s\nafter  %s", before, after)
			}
		},
	}
}

func init() {
	fixed := func(p string) func(string, string, string) string {
		return func(string, string, string) string { return p }
	}
	item := func(prefix, suffix string) func(string, string, string) string {
		return func(id, _, _ string) string { return prefix + id + suffix }
	}
	priv := func(prefix, suffix string) func(string, string, string) string {
		return func(_, id, _ string) string { return prefix + id + suffix }
	}
	shared := func(prefix, suffix string) func(string, string, string) string {
		return func(_, _, id string) string { return prefix + id + suffix }
	}
	addCrossCouple(
		planC2("item patch", "PATCH", "/api/v1/plan/items/:id", item("/api/v1/plan/items/", ""), map[string]any{"done": true, "did_my_part": true}),
		planC2("item form", "POST", "/plan/items/:id", item("/plan/items/", ""), testutil.Form("field", "done", "value", "1")),
		planC2("private moment delete", "DELETE", "/api/v1/moments/:id", priv("/api/v1/moments/", ""), nil),
		planC2("shared moment delete", "DELETE", "/api/v1/moments/:id", shared("/api/v1/moments/", ""), nil),
		planC2("moment delete form", "POST", "/moments/:id/delete", shared("/moments/", "/delete"), testutil.Form()),
		planC2("moment share form", "POST", "/moments/:id/share", priv("/moments/", "/share"), testutil.Form()),
		// The acknowledgment has no id: another couple acting on it acts on its own, where nothing is shared.
		planC2("ack response", "POST", "/api/v1/acknowledgment/response", fixed("/api/v1/acknowledgment/response"), map[string]string{"status": "read"}),
		planC2("ack response form", "POST", "/acknowledgment/response", fixed("/acknowledgment/response"), testutil.Form("status", "read")),
		planC2("ack read", "GET", "/api/v1/acknowledgment", fixed("/api/v1/acknowledgment"), nil),
		planC2("moments read", "GET", "/api/v1/moments", fixed("/api/v1/moments"), nil),
		planC2("plan read", "GET", "/api/v1/plan", fixed("/api/v1/plan"), nil),
		planC2("progress read", "GET", "/api/v1/progress", fixed("/api/v1/progress"), nil),
	)
}

// TestPlanCrossCouple runs the plan's rows of the cross-couple table (SECURITY C2): another couple's
// plan items, moments and acknowledgment answer 404, exactly like missing ones, and read routes never
// show the owner's content.
func TestPlanCrossCouple(t *testing.T) {
	t.Parallel()
	n := 0
	for _, tc := range crossCoupleCases {
		if !strings.HasPrefix(tc.Name, "plan ") {
			continue
		}
		n++
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			app := testutil.NewApp(t)
			owner, other := app.NewCouple("planc2o"), app.NewCouple("planc2x")
			path, body := tc.Setup(t, app, owner)
			cl := other.A
			if _, ok := body.(testutil.Values); ok {
				cl = planBrowser(t, app, "planc2x", "a")
			}
			var r *testutil.Response
			switch b := body.(type) {
			case testutil.Values:
				r = cl.PostForm(path, b)
			case nil:
				r = cl.JSON(tc.Method, path, nil)
			default:
				r = cl.JSON(tc.Method, path, b)
			}
			want := http.StatusNotFound
			if tc.Method == http.MethodGet {
				want = http.StatusOK
			}
			if r.Status != want {
				t.Errorf("%s %s by another couple: %d %s, want %d", tc.Method, path, r.Status, r.Body, want)
			}
			if strings.Contains(r.Body, planC2Canary) || strings.Contains(r.Body, "planc2o") {
				t.Errorf("%s %s by another couple shows the owner's content: %s", tc.Method, path, r.Body)
			}
			tc.Check(t, app, owner)
		})
	}
	if n < 10 {
		t.Fatalf("only %d plan rows in the cross-couple table", n)
	}
}

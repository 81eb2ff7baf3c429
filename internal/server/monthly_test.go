package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// mlWeek is December 2026's monthly week for Sunday check-ins (Sunday 6 December); mlNow falls in it.
const mlWeek = "2026-W49"

var mlNow = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// mlCouple makes a couple on Wednesday 2 December 2026, in December's monthly week.
func mlCouple(t *testing.T, prefix string) (*testutil.App, testutil.Couple) {
	t.Helper()
	app := testutil.NewApp(t)
	app.Clock.Set(mlNow)
	return app, app.NewCouple(prefix)
}

func mlLook(h, r, e, c, hope int, submit bool) map[string]any {
	return map[string]any{"honesty": h, "reliability": r, "emotional_safety": e, "closeness": c, "hope": hope, "submit": submit}
}

type mlLookJSON struct {
	Monthly struct {
		Week    string         `json:"week"`
		State   string         `json:"state"`
		Mine    map[string]any `json:"mine"`
		Partner map[string]any `json:"partner"`
	} `json:"monthly"`
}

func mlGet(t *testing.T, cl *testutil.Client, week string) mlLookJSON {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/checkins/"+week+"/monthly", nil)
	planWantStatus(t, r, http.StatusOK, "GET monthly")
	var out mlLookJSON
	r.JSON(t, &out)
	return out
}

// TestMonthlyLookIsSealedThroughTheAPI: only in the first check-in week of the month; before both share
// the partner sees nothing and the same state; then both open, without the other's emotional safety.
func TestMonthlyLookIsSealedThroughTheAPI(t *testing.T) {
	t.Parallel()
	app, cp := mlCouple(t, "mlapi")
	ciWantError(t, cp.A.JSON(http.MethodGet, "/api/v1/checkins/2026-W48/monthly", nil), http.StatusNotFound, "")
	ciWantError(t, cp.A.JSON(http.MethodPut, "/api/v1/checkins/2026-W50/monthly/mine", mlLook(1, 1, 1, 1, 1, true)), http.StatusNotFound, "")
	ciWantError(t, cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(11, 1, 1, 1, 1, true)), http.StatusUnprocessableEntity, "honesty")
	ciWantError(t, cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", map[string]any{"hope": 3, "submit": true}), http.StatusUnprocessableEntity, "honesty")
	planWantStatus(t, cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(3, 4, 2, 5, 6, true)), http.StatusOK, "A shares")
	a, b := mlGet(t, cp.A, mlWeek), mlGet(t, cp.B, mlWeek)
	if a.Monthly.State != "open" || b.Monthly.State != a.Monthly.State || b.Monthly.Mine != nil || b.Monthly.Partner != nil || a.Monthly.Partner != nil {
		t.Fatalf("before B shares: A %+v, B %+v", a.Monthly, b.Monthly)
	}
	if a.Monthly.Mine["emotional_safety"] != float64(2) {
		t.Fatalf("A does not see A's own emotional safety: %+v", a.Monthly.Mine)
	}
	planWantStatus(t, cp.B.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(8, 8, 9, 8, 8, true)), http.StatusOK, "B shares")
	a, b = mlGet(t, cp.A, mlWeek), mlGet(t, cp.B, mlWeek)
	if a.Monthly.State != "opened" || a.Monthly.Partner["honesty"] != float64(8) || b.Monthly.Partner["hope"] != float64(6) {
		t.Fatalf("after both shared: A %+v, B %+v", a.Monthly, b.Monthly)
	}
	if _, ok := a.Monthly.Partner["emotional_safety"]; ok {
		t.Errorf("A sees B's emotional safety")
	}
	if _, ok := b.Monthly.Partner["emotional_safety"]; ok {
		t.Errorf("B sees A's emotional safety")
	}
	ciWantError(t, cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(1, 1, 1, 1, 1, true)), http.StatusConflict, "")
	r := cp.A.JSON(http.MethodGet, "/api/v1/monthly", nil)
	planWantStatus(t, r, http.StatusOK, "overview")
	mustContain(t, "A's overview", r.Body, `"this_month":"`+mlWeek+`"`, `"next":"2026-W53"`, `"baseline":{"week":"`+mlWeek+`"`, `"emotional_safety":2`)
	mustNotContain(t, "A's overview", r.Body, `"honesty":8`)
	_ = app
}

// TestMonthlyLookActorMatrix (SECURITY C3 for the monthly look): A's draft and A's emotional safety
// reach nobody but A on any monthly page, API answer or export: not B, not another couple, not a visitor.
func TestMonthlyLookActorMatrix(t *testing.T) {
	t.Parallel()
	app, cp := mlCouple(t, "mlmatrix")
	planWantStatus(t, cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(7, 7, 1, 7, 7, false)), http.StatusOK, "A's draft")
	other := app.NewCouple("mlmatrixother")
	paths := []string{"/monthly", "/checkins/" + mlWeek + "/monthly", "/api/v1/monthly", "/api/v1/checkins/" + mlWeek + "/monthly", "/api/v1/me/export"}
	for _, cl := range []*testutil.Client{cp.A, cp.B, other.A} {
		reauth(t, cl)
	}
	check := func(stage string, seen func(who, body string) bool) {
		for who, cl := range map[string]*testutil.Client{"A": cp.A, "B": cp.B, "other couple": other.A, "visitor": app.Client()} {
			for _, p := range paths {
				r := cl.Get(p)
				if strings.HasPrefix(p, "/api/") {
					r = cl.JSON(http.MethodGet, p, nil)
				}
				if r.Status >= 500 {
					t.Errorf("%s %s GET %s: %d", stage, who, p, r.Status)
				}
				if who != "A" && seen(who, r.Body) {
					t.Errorf("%s: %s sees A's private look on GET %s", stage, who, p)
				}
			}
		}
	}
	draft := func(_, body string) bool {
		return strings.Contains(body, `"honesty":7`) || strings.Contains(body, `"emotional_safety":1`)
	}
	if !draft("A", cp.A.JSON(http.MethodGet, "/api/v1/checkins/"+mlWeek+"/monthly", nil).Body) {
		t.Fatal("A does not see A's own draft, so the matrix proves nothing")
	}
	check("draft", draft)
	planWantStatus(t, cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(7, 7, 1, 7, 7, true)), http.StatusOK, "A shares")
	planWantStatus(t, cp.B.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(5, 5, 9, 5, 5, true)), http.StatusOK, "B shares")
	safety := func(_, body string) bool { return strings.Contains(body, `"emotional_safety":1`) }
	if !safety("A", cp.A.JSON(http.MethodGet, "/api/v1/me/export", nil).Body) {
		t.Fatal("A's export lacks A's own emotional safety")
	}
	check("opened", safety)
	if !strings.Contains(cp.B.JSON(http.MethodGet, "/api/v1/checkins/"+mlWeek+"/monthly", nil).Body, `"honesty":7`) {
		t.Fatal("B does not see A's opened look")
	}
}

// TestMonthlyPagesAnswerAndShowTheTrend drives the monthly look through its pages, without JavaScript:
// an invalid share shown again with the choices kept, a draft, a share, and the trend page.
func TestMonthlyPagesAnswerAndShowTheTrend(t *testing.T) {
	t.Parallel()
	app, cp := mlCouple(t, "mlpage")
	r := cp.A.Get("/monthly")
	planWantStatus(t, r, http.StatusOK, "/monthly")
	mustContain(t, "/monthly", r.Body, "<title>Monthly look</title>", `href="/checkins/`+mlWeek+`/monthly"`, "Once you share your first monthly look")
	r = cp.A.PostForm("/checkins/"+mlWeek+"/monthly", testutil.Form("honesty", "4", "action", "share"))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "share with one area")
	mustContain(t, "shown again", r.Body, `id="f-hope-error"`, `name="honesty" value="4" checked`)
	form := testutil.Form("honesty", "4", "reliability", "5", "emotional_safety", "3", "closeness", "6", "hope", "7", "action", "share")
	planWantRedirect(t, cp.A.PostForm("/checkins/"+mlWeek+"/monthly", form), "/checkins/"+mlWeek+"/monthly?saved=1", "share")
	look := cp.A.Get("/checkins/" + mlWeek + "/monthly?saved=1").Body
	mustContain(t, "A's look", look, "Saved.", "They open when you have both shared", `<small class="week-code">Week 49</small>`)
	mustNotContain(t, "A's look", look, "("+mlWeek+")")
	r = cp.A.Get("/monthly")
	mustContain(t, "A's trend", r.Body, "December 2026 (baseline)", "Emotional safety <span class=\"muted\">(only you)</span>")
	mustNotContain(t, "B's trend", cp.B.Get("/monthly").Body, "December 2026 (baseline)")
	planWantStatus(t, cp.A.Get("/checkins/2026-W48/monthly"), http.StatusNotFound, "a week that is not monthly")
	_ = app
}

// TestMonthlyTrendAcrossMonths: the second month is read against the first (the baseline).
func TestMonthlyTrendAcrossMonths(t *testing.T) {
	t.Parallel()
	app, cp := mlCouple(t, "mltrend")
	planWantStatus(t, cp.A.JSON(http.MethodPut, "/api/v1/checkins/"+mlWeek+"/monthly/mine", mlLook(3, 4, 2, 5, 6, true)), http.StatusOK, "December")
	app.Clock.Set(time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC))
	cp.A.LoginAPI("mltrend-a@example.org", testutil.Password) // the API session of a week ago has expired
	planWantStatus(t, cp.A.JSON(http.MethodPut, "/api/v1/checkins/2026-W53/monthly/mine", mlLook(5, 3, 4, 5, 8, true)), http.StatusOK, "January")
	r := cp.A.Get("/monthly")
	mustContain(t, "the trend", r.Body, "December 2026 (baseline)", "January 2027", "5 <span class=\"muted\">(&#43;2)</span>",
		"3 <span class=\"muted\">(−1)</span>", "5 <span class=\"muted\">(same)</span>")
	r = cp.A.JSON(http.MethodGet, "/api/v1/monthly", nil)
	mustContain(t, "the trend API", r.Body, `"changes":{"closeness":0,"emotional_safety":2,"honesty":2,"hope":2,"reliability":-1}`)
}

package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestPlanReadsRealAgreements uses the server's own sources: an agreement both accept ticks the plan's
// second item and names a small win; a withdrawal shows in the week it happened.
func TestPlanReadsRealAgreements(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("plansrc")
	evidence := func(cl *testutil.Client) string {
		r := cl.JSON(http.MethodGet, "/api/v1/plan", nil)
		planWantStatus(t, r, http.StatusOK, "GET /plan")
		i := strings.Index(r.Body, `"id":"boundaries"`)
		j := strings.Index(r.Body, `"id":"checkins"`)
		return r.Body[i:j]
	}
	if e := evidence(cp.A); !strings.Contains(e, `"met":false`) {
		t.Fatalf("boundaries before any agreement: %s", e)
	}
	r := cp.A.JSON(http.MethodPost, "/api/v1/agreements", map[string]string{"title": "Time-outs", "body": "We pause when it gets heated.",
		"category": "communication", "review_on": "2027-01-20"})
	planWantStatus(t, r, http.StatusCreated, "propose")
	var created struct {
		Agreement struct{ ID string } `json:"agreement"`
	}
	r.JSON(t, &created)
	if e := evidence(cp.B); !strings.Contains(e, `"met":false`) {
		t.Errorf("a proposal alone ticks the item: %s", e)
	}
	app.Clock.Advance(time.Hour)
	planWantStatus(t, cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+created.Agreement.ID+"/accept", map[string]int{"version": 1}), http.StatusOK, "accept")
	if e := evidence(cp.B); !strings.Contains(e, `"met":true`) || !strings.Contains(e, "1 agreement is active") {
		t.Errorf("an accepted agreement does not tick the item: %s", e)
	}
	r = cp.A.JSON(http.MethodGet, "/api/v1/progress", nil)
	if !strings.Contains(r.Body, `"key":"first_agreement"`) || !strings.Contains(r.Body, `"on":"2026-11-25"`) {
		t.Errorf("no small win for the first agreement: %s", r.Body)
	}
	app.Clock.Advance(5 * 24 * time.Hour) // Monday 30 November: week 49, within the session lifetime
	planWantStatus(t, cp.A.JSON(http.MethodPost, "/api/v1/agreements/"+created.Agreement.ID+"/withdraw", map[string]string{}), http.StatusOK, "withdraw")
	if e := evidence(cp.A); !strings.Contains(e, `"met":false`) {
		t.Errorf("a withdrawn agreement still ticks the item: %s", e)
	}
	r = cp.A.JSON(http.MethodGet, "/api/v1/progress", nil)
	if !strings.Contains(r.Body, `"week":"2026-W49","opened":false`) || strings.Count(r.Body, `"withdrawn":1`) != 1 {
		t.Errorf("the withdrawal is not in week 49: %s", r.Body)
	}
}

// TestPlanReadsRealCheckins uses the server's own sources: a week both answered opens, ticks the
// check-in item, and puts both people's trust on the progress chart with only the viewer's own safety;
// a confirmed reflection ticks active listening; a low safety answer brings the private variant to its
// author alone.
func TestPlanReadsRealCheckins(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("plancheck")
	week := "2026-W48"
	answer := func(cl *testutil.Client, trust, safety int) {
		t.Helper()
		r := cl.JSON(http.MethodPut, "/api/v1/checkins/"+week+"/mine", map[string]any{"trust": trust, "connection": 5, "safety": safety,
			"appreciation": "a", "went_well": "b", "was_hard": "c", "need": "d", "submit": true})
		planWantStatus(t, r, http.StatusOK, "answer")
	}
	evidence := func(cl *testutil.Client, id string) bool {
		r := cl.JSON(http.MethodGet, "/api/v1/plan", nil)
		i := strings.Index(r.Body, `"id":"`+id+`"`)
		j := strings.Index(r.Body[i:], `"mine"`)
		return strings.Contains(r.Body[i:i+j], `"met":true`)
	}
	answer(cp.A, 3, 2)
	if evidence(cp.A, "checkins") {
		t.Error("a sealed week ticks the check-in item")
	}
	answer(cp.B, 8, 9)
	if !evidence(cp.A, "checkins") || !evidence(cp.B, "checkins") {
		t.Error("an opened week does not tick the check-in item")
	}
	ra := cp.A.JSON(http.MethodGet, "/api/v1/progress", nil)
	rb := cp.B.JSON(http.MethodGet, "/api/v1/progress", nil)
	if !strings.Contains(ra.Body, `"trust":{"me":3,"partner":8}`) || !strings.Contains(ra.Body, `"my_safety":2`) || !strings.Contains(ra.Body, `"variant":"individual"`) {
		t.Errorf("A's progress: %s", ra.Body)
	}
	if !strings.Contains(rb.Body, `"trust":{"me":8,"partner":3}`) || !strings.Contains(rb.Body, `"my_safety":9`) || strings.Contains(rb.Body, `"my_safety":2`) ||
		strings.Contains(rb.Body, `"variant":"individual"`) {
		t.Errorf("B's progress: %s", rb.Body)
	}
	if body := planBrowser(t, app, "plancheck", "b").Get("/dashboard").Body; strings.Contains(body, "Support just for you") {
		t.Error("B's home page shows A's private variant")
	}
	if body := planBrowser(t, app, "plancheck", "a").Get("/dashboard").Body; !strings.Contains(body, "Support just for you") {
		t.Error("A's home page lacks the private variant")
	}
	r := cp.B.JSON(http.MethodPost, "/api/v1/checkins/"+week+"/reflections", map[string]string{"text": "You felt unheard this week."})
	planWantStatus(t, r, http.StatusCreated, "reflect")
	var refl struct {
		Reflection struct{ ID string } `json:"reflection"`
	}
	r.JSON(t, &refl)
	if evidence(cp.A, "listening") {
		t.Error("an unconfirmed reflection ticks active listening")
	}
	planWantStatus(t, cp.A.JSON(http.MethodPost, "/api/v1/checkins/"+week+"/reflections/"+refl.Reflection.ID+"/response",
		map[string]any{"accurate": true}), http.StatusOK, "confirm")
	if !evidence(cp.B, "listening") {
		t.Error("a confirmed reflection does not tick active listening")
	}
}

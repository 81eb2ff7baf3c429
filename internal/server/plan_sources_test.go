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

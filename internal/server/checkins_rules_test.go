package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// TestCheckinOnlyTheAskerEndsThePause: the partner who did not ask for a pause gets 403 from the API and
// no button on any page; the banner says when it ends, in the couple's time zone, named.
func TestCheckinOnlyTheAskerEndsThePause(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "asker")
	// The test clock says 12:00 UTC; the couple lives in New York, five hours behind.
	if r := cp.A.JSON(http.MethodPatch, "/api/v1/couple", map[string]string{"timezone": "America/New_York"}); r.Status != http.StatusOK {
		t.Fatalf("time zone: %d %s", r.Status, r.Body)
	}
	ciWantRedirect(t, cp.A.PostForm("/timeouts", testutil.Form("for", "60")), "/checkins")
	r := cp.B.JSON(http.MethodPost, "/api/v1/timeouts/current/end", nil)
	if e := ciWantError(t, r, http.StatusForbidden, ""); !strings.Contains(e["message"].(string), "Only the person who asked") {
		t.Errorf("unclear message: %v", e["message"])
	}
	if r := cp.B.PostForm("/timeouts/end", testutil.Form("back", "/checkins")); r.Status != http.StatusForbidden {
		t.Errorf("the other partner ending the pause from the page: %d", r.Status)
	}
	if r := cp.B.Get("/api/v1/timeouts/current"); r.Status != http.StatusOK {
		t.Fatalf("the pause did not stay: %d %s", r.Status, r.Body)
	}
	for _, p := range []string{"/checkins", "/checkins/" + ciWeek, "/dashboard"} {
		b := cp.B.Get(p).Body
		ciWantBody(t, "B's "+p, b, "A pause was asked for until 08:00 today", "New York time", "ends by itself")
		if strings.Contains(b, `action="/timeouts/end"`) {
			t.Errorf("B's %s offers to end A's pause", p)
		}
		ciWantBody(t, "A's "+p, cp.A.Get(p).Body, "You asked for a pause until 08:00 today", "New York time", `action="/timeouts/end"`)
	}
	ciWantRedirect(t, cp.A.PostForm("/timeouts/end", testutil.Form("back", "/checkins")), "/checkins")
	if r := cp.B.Get("/api/v1/timeouts/current"); r.Status != http.StatusNotFound {
		t.Errorf("the asker could not end their pause: %d", r.Status)
	}
}

package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestArchiveKeepsWhatEachWroteForThePlan ends a couple: each former partner's archive shows what they
// wrote themselves for the plan, and nothing of the other's.
func TestArchiveKeepsWhatEachWroteForThePlan(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "planarch")
	a, b := ps.cp.A, ps.cp.B
	planWantStatus(t, a.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": "ARCHIVE-A-ACK"}), http.StatusOK, "A's draft")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "note": "ARCHIVE-A-MOMENT"}), http.StatusCreated, "A's moment")
	planWantStatus(t, b.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "routine", "note": "ARCHIVE-B-MOMENT", "shared": true}), http.StatusCreated, "B's moment")
	planWantStatus(t, b.JSON(http.MethodPost, "/api/v1/plan/items", map[string]string{"title": "ARCHIVE-B-ITEM"}), http.StatusCreated, "B's item")
	reauth(t, a)
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/couple/leave", nil), http.StatusNoContent, "leave")
	pa := planBrowser(t, ps.app, "planarch", "a").Get("/archive")
	pb := planBrowser(t, ps.app, "planarch", "b").Get("/archive")
	for _, want := range []string{"ARCHIVE-A-ACK", "ARCHIVE-A-MOMENT", "(private draft)"} {
		if !strings.Contains(pa.Body, want) {
			t.Errorf("A's archive lacks %q", want)
		}
	}
	for _, gone := range []string{"ARCHIVE-B-MOMENT", "ARCHIVE-B-ITEM"} {
		if strings.Contains(pa.Body, gone) {
			t.Errorf("A's archive shows B's %q", gone)
		}
	}
	if !strings.Contains(pb.Body, "ARCHIVE-B-MOMENT") || !strings.Contains(pb.Body, "ARCHIVE-B-ITEM") || strings.Contains(pb.Body, "ARCHIVE-A") {
		t.Errorf("B's archive is wrong")
	}
	// The former couple's plan is no longer reachable.
	planWantStatus(t, b.JSON(http.MethodGet, "/api/v1/moments", nil), http.StatusNotFound, "moments after the couple ended")
}

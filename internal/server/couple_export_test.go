package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestExportHoldsWhatTheUserMaySeeAndNothingPrivateOfThePartner covers H1 and B10 for the export.
func TestExportHoldsWhatTheUserMaySeeAndNothingPrivateOfThePartner(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	a := apiUser(t, app, "exp-a@example.org", "Ada")
	b := app.Client()
	b.Headers["User-Agent"] = uaCanary
	b.RegisterAPI("exp-b@example.org", "Bea")
	tok := startCouple(t, a)
	if r := b.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": tok}); r.Status != http.StatusOK {
		t.Fatalf("join: %d", r.Status)
	}
	app.Clock.Advance(11 * time.Minute)
	if r := a.JSON(http.MethodGet, "/api/v1/me/export", nil); r.Status != http.StatusForbidden {
		t.Fatalf("export without recent auth: %d, want 403", r.Status)
	}
	reauth(t, a)
	r := a.JSON(http.MethodGet, "/api/v1/me/export", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	var ex struct {
		FormatVersion int `json:"format_version"`
		User          struct {
			Email string `json:"email"`
		} `json:"user"`
		Sessions []struct {
			ID      string `json:"id"`
			Current bool   `json:"current"`
		} `json:"sessions"`
		Couple coupleOut `json:"couple"`
	}
	r.JSON(t, &ex)
	if ex.FormatVersion != 1 || ex.User.Email != "exp-a@example.org" {
		t.Errorf("export header: %+v", ex)
	}
	if len(ex.Sessions) != 1 || !ex.Sessions[0].Current {
		t.Errorf("sessions = %+v, want only A's own", ex.Sessions)
	}
	if ex.Couple.Status != "active" || len(ex.Couple.Members) != 2 {
		t.Errorf("couple = %+v", ex.Couple)
	}
	mustContain(t, "export", r.Body, "Bea")
	mustNotContain(t, "export", r.Body, "exp-b@example.org", uaCanary, "password", "token", "hash")

	// The page download is the same data as an attachment.
	br := app.Client()
	br.RegisterBrowser("exp-c@example.org", "Cyd")
	d := br.Get("/account/export")
	if d.Status != http.StatusOK || !strings.HasPrefix(d.Header.Get("Content-Disposition"), `attachment; filename="mend-export-2026-11-25.json"`) ||
		!strings.HasPrefix(d.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("download: %d %v", d.Status, d.Header)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(d.Body), &doc); err != nil || doc["format_version"] != float64(1) || doc["couple"] != nil {
		t.Errorf("download body: %v %v", err, doc)
	}
	app.Clock.Advance(11 * time.Minute)
	if r := br.Get("/account/export"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/reauth?") {
		t.Errorf("download without recent auth: %d %q", r.Status, r.Header.Get("Location"))
	}
}

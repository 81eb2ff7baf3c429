package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// securityView is the part of GET /api/v1/me/security the tests read.
type securityView struct {
	Sessions []struct {
		ID      string `json:"id"`
		Device  string `json:"device"`
		Current bool   `json:"current"`
	} `json:"sessions"`
	SignIns []struct {
		Kind   string `json:"kind"`
		Device string `json:"device"`
		At     string `json:"at"`
	} `json:"sign_ins"`
	Shared struct {
		Moments []struct {
			ID string `json:"id"`
		} `json:"moments"`
		Acknowledgment *struct {
			Number int `json:"number"`
		} `json:"acknowledgment"`
		AgreementVersions []struct {
			Title string `json:"title"`
		} `json:"agreement_versions"`
		OpenedAnswers []string `json:"opened_answers"`
		Note          string   `json:"note"`
	} `json:"shared"`
	SecondFactors struct {
		TOTP bool `json:"totp"`
	} `json:"second_factors"`
}

func getSecurity(t *testing.T, c *testutil.Client) securityView {
	t.Helper()
	r := c.Get("/api/v1/me/security")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /me/security: %d %s", r.Status, r.Body)
	}
	var v securityView
	r.JSON(t, &v)
	return v
}

// TestSecurityShowsOnlyOwnSignIns covers SECURITY K4 across users: a partner's sign-ins, failed
// sign-ins and devices never appear in my Safety Check, in the API or on the page.
func TestSecurityShowsOnlyOwnSignIns(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("k4")
	cp.B.Headers["User-Agent"] = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
	cp.B.LoginAPI("k4-b@example.org", testutil.Password)
	wrong := app.Client()
	wrong.Headers["User-Agent"] = cp.B.Headers["User-Agent"]
	wrong.JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "k4-b@example.org", "password": "a wrong password here"})

	a := getSecurity(t, cp.A)
	for _, e := range a.SignIns {
		if strings.Contains(e.Device, "ChromeOS") || e.Kind == "sign_in_failed" {
			t.Errorf("A's history shows B's event: %+v", e)
		}
	}
	if len(a.SignIns) == 0 || len(a.Sessions) != 1 || !a.Sessions[0].Current {
		t.Errorf("A's own view: %+v", a)
	}
	b := getSecurity(t, cp.B)
	failed := 0
	for _, e := range b.SignIns {
		if e.Kind == "sign_in_failed" {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("B's history has %d failed sign-ins, want 1: %+v", failed, b.SignIns)
	}
	page := app.Client()
	page.LoginBrowser("k4-a@example.org", testutil.Password)
	r := page.Get("/safety-check")
	if r.Status != http.StatusOK || strings.Contains(r.Body, "ChromeOS") || strings.Contains(r.Body, "A sign-in with a wrong password") {
		t.Errorf("A's Safety Check page: %d, shows B's events: %v", r.Status, strings.Contains(r.Body, "ChromeOS"))
	}
	if !strings.Contains(r.Body, "Sign out every other device") || !strings.Contains(r.Body, `href="/safety"`) {
		t.Error("the Safety Check lacks its sign-out button or the link to /safety")
	}
}

// TestSafetyCheckListsWhatIsSharedAndUnshares: my shared moment and acknowledgment are listed, and
// stopping sharing hides them from the partner, who is told nothing.
func TestSafetyCheckListsWhatIsSharedAndUnshares(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("share")
	r := cp.A.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "note": "tea in bed", "shared": true})
	if r.Status != http.StatusCreated {
		t.Fatalf("moment: %d %s", r.Status, r.Body)
	}
	var mo struct {
		Moment struct{ ID string } `json:"moment"`
	}
	r.JSON(t, &mo)
	r = cp.A.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": "w", "responsibility": "r", "impact": "i", "commitments": []string{"c"}, "share": true})
	if r.Status != http.StatusOK {
		t.Fatalf("ack: %d %s", r.Status, r.Body)
	}
	v := getSecurity(t, cp.A)
	if len(v.Shared.Moments) != 1 || v.Shared.Acknowledgment == nil || !strings.Contains(v.Shared.Note, "stay opened") {
		t.Fatalf("shared: %+v", v.Shared)
	}
	if b := getSecurity(t, cp.B); len(b.Shared.Moments) != 0 || b.Shared.Acknowledgment != nil {
		t.Errorf("B's list shows A's shared items: %+v", b.Shared)
	}
	if r := cp.B.JSON(http.MethodPost, "/api/v1/moments/"+mo.Moment.ID+"/unshare", nil); r.Status != http.StatusForbidden {
		t.Errorf("B un-sharing A's moment: %d", r.Status)
	}
	if r := cp.A.JSON(http.MethodPost, "/api/v1/moments/"+mo.Moment.ID+"/unshare", nil); r.Status != http.StatusOK {
		t.Fatalf("unshare moment: %d %s", r.Status, r.Body)
	}
	if r := cp.A.JSON(http.MethodPost, "/api/v1/acknowledgment/unshare", nil); r.Status != http.StatusNoContent {
		t.Fatalf("unshare ack: %d %s", r.Status, r.Body)
	}
	if r := cp.B.Get("/api/v1/moments"); strings.Contains(r.Body, "tea in bed") {
		t.Error("B still sees the un-shared moment")
	}
	var ack struct {
		Partner any `json:"partner"`
	}
	cp.B.Get("/api/v1/acknowledgment").JSON(t, &ack)
	if ack.Partner != nil {
		t.Errorf("B still reads the un-shared acknowledgment: %v", ack.Partner)
	}
	if v := getSecurity(t, cp.A); len(v.Shared.Moments) != 0 || v.Shared.Acknowledgment != nil {
		t.Errorf("after un-sharing: %+v", v.Shared)
	}
}

package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// TestAutoLockSignsOutAnUnusedBrowser: the Safety Check's auto-lock signs a browser out after that many
// minutes without use (server side, with the injected clock), a browser in use stays in, API tokens
// keep the operator's rules, and only choices shorter than the operator's idle timeout are taken.
func TestAutoLockSignsOutAnUnusedBrowser(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	b := acctBrowserUser(t, app, "autolock@example.org")
	api := app.Client()
	api.LoginAPI("autolock@example.org", testutil.Password)
	b.Get("/safety-check")
	if r := b.PostForm("/safety-check/auto-lock", testutil.Form("auto_lock_minutes", "7")); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="auto-lock-error"`) {
		t.Errorf("auto-lock of 7 minutes: %d", r.Status)
	}
	if r := b.PostForm("/safety-check/auto-lock", testutil.Form("auto_lock_minutes", "5")); r.Status != http.StatusSeeOther {
		t.Fatalf("auto-lock of 5 minutes: %d %s", r.Status, r.Body)
	}
	if got := api.Get("/api/v1/me/security").Map(t)["auto_lock_minutes"]; got != float64(5) {
		t.Errorf("/me/security auto_lock_minutes = %v", got)
	}
	for i := 0; i < 3; i++ { // in use every 4 minutes: stays signed in
		app.Clock.Advance(4 * time.Minute)
		if r := b.Get("/account"); r.Status != http.StatusOK {
			t.Fatalf("in use after %d×4 minutes: %d", i+1, r.Status)
		}
	}
	app.Clock.Advance(5*time.Minute + time.Second)
	r := b.Get("/account")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("after 5 minutes unused: %d to %q, want the sign-in page", r.Status, r.Header.Get("Location"))
	}
	app.Clock.Advance(-5 * time.Minute) // the same session, back in time, is still gone
	if r := b.Get("/account"); r.Status != http.StatusSeeOther {
		t.Errorf("an auto-locked session came back: %d", r.Status)
	}
	if r := api.Get("/api/v1/me"); r.Status != http.StatusOK {
		t.Errorf("the API token after the browser's auto-lock: %d", r.Status)
	}

	// The API setting, and a choice the operator's shorter idle timeout makes pointless.
	if r := api.JSON(http.MethodPut, "/api/v1/me/auto-lock", map[string]any{"auto_lock_minutes": 0}); r.Status != http.StatusOK {
		t.Errorf("auto-lock off: %d %s", r.Status, r.Body)
	}
	if r := api.JSON(http.MethodPut, "/api/v1/me/auto-lock", map[string]any{}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "auto_lock_minutes") {
		t.Errorf("auto-lock without minutes: %d %s", r.Status, r.Body)
	}
	short := testutil.NewApp(t, func(c *config.Config) { c.IdleTimeout = 15 * time.Minute })
	sc := acctAPIUser(t, short, "autolock-short@example.org")
	for minutes, want := range map[int]int{5: http.StatusOK, 15: http.StatusUnprocessableEntity, 30: http.StatusUnprocessableEntity, -5: http.StatusUnprocessableEntity} {
		if r := sc.JSON(http.MethodPut, "/api/v1/me/auto-lock", map[string]any{"auto_lock_minutes": minutes}); r.Status != want {
			t.Errorf("auto-lock %d with a 15-minute idle timeout: %d, want %d", minutes, r.Status, want)
		}
	}
}

// TestFailedSignInsAreShownToTheOwner: past the threshold, the owner sees the failed sign-ins on the
// Safety Check and in GET /me/security; below it nothing is announced; another account's failures
// never show (K4).
func TestFailedSignInsAreShownToTheOwner(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	owner := acctBrowserUser(t, app, "failed-owner@example.org")
	other := acctAPIUser(t, app, "failed-other@example.org")
	fail := func(email string) {
		if r := app.Client().JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": "wrong password here"}); r.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", r.Status)
		}
	}
	notice := func(c *testutil.Client) map[string]any {
		f, _ := c.Get("/api/v1/me/security").Map(t)["failed_sign_ins"].(map[string]any)
		return f
	}
	fail("failed-owner@example.org")
	fail("failed-owner@example.org")
	if f := notice(owner); f["count"] != float64(2) || f["notice"] != false {
		t.Errorf("two failures: %v", f)
	}
	if strings.Contains(owner.Get("/safety-check").Body, `id="failed-sign-ins"`) {
		t.Error("the Safety Check announces two failures")
	}
	fail("failed-owner@example.org")
	if f := notice(owner); f["count"] != float64(3) || f["notice"] != true || f["last_at"] == nil {
		t.Errorf("three failures: %v", f)
	}
	page := owner.Get("/safety-check").Body
	if !strings.Contains(page, `id="failed-sign-ins"`) || !strings.Contains(page, "3 sign-ins to your account failed") {
		t.Error("the Safety Check does not show three failures")
	}
	if f := notice(other); f["count"] != float64(0) || f["notice"] != false {
		t.Errorf("another account sees the owner's failures: %v", f)
	}
	app.Clock.Advance(8 * 24 * time.Hour)
	later := app.Client()
	later.LoginAPI("failed-owner@example.org", testutil.Password)
	if f := notice(later); f["notice"] != false {
		t.Errorf("failures older than the window: %v", f)
	}
}

// TestPauseMyNotificationsFromTheSafetyCheck: one switch turns off every e-mail setting and the
// calendar link, from the page or the API.
func TestPauseMyNotificationsFromTheSafetyCheck(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	b := acctBrowserUser(t, app, "pause@example.org")
	api := app.Client()
	api.LoginAPI("pause@example.org", testutil.Password)
	r := api.JSON(http.MethodPost, "/api/v1/me/calendar", nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("calendar: %d %s", r.Status, r.Body)
	}
	feed, _ := r.Map(t)["url"].(string)
	path := feed[strings.Index(feed, "/calendar/"):]
	if r := app.Client().Get(path); r.Status != http.StatusOK {
		t.Fatalf("feed before the pause: %d", r.Status)
	}
	if api.Get("/api/v1/me/security").Map(t)["notifications_paused"] != false {
		t.Error("paused with a live calendar link")
	}
	b.Get("/safety-check")
	if r := b.PostForm("/safety-check/pause", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("pause: %d %s", r.Status, r.Body)
	}
	if r := app.Client().Get(path); r.Status != http.StatusNotFound {
		t.Errorf("feed after the pause: %d", r.Status)
	}
	if api.Get("/api/v1/me/security").Map(t)["notifications_paused"] != true {
		t.Error("not paused after the pause")
	}
	if !strings.Contains(b.Get("/safety-check").Body, "Nothing is sent") {
		t.Error("the Safety Check does not say everything is paused")
	}
	if r := api.JSON(http.MethodPost, "/api/v1/me/notifications/pause", nil); r.Status != http.StatusNoContent {
		t.Errorf("API pause: %d %s", r.Status, r.Body)
	}
}

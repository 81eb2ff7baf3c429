package server_test

import (
	"bytes"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

const (
	nameCanary = "Canary Qx7Zp Vellum"
	uaCanary   = "CanaryAgent/9z3k4w7"
)

// dbFilesContain checkpoints the WAL into the database and reports which database files contain needle.
// It reads the SQLite file, so its tests build their app with testutil.NewSQLiteApp.
func dbFilesContain(t *testing.T, app *testutil.App, needle string) []string {
	t.Helper()
	if app.DBPath == "" {
		t.Fatalf("dbFilesContain reads the SQLite file: build the app with testutil.NewSQLiteApp")
	}
	var busy, logFrames, done int
	if err := app.DB.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row().Scan(&busy, &logFrames, &done); err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	if busy != 0 {
		t.Fatalf("checkpoint was blocked")
	}
	var found []string
	for _, f := range []string{app.DBPath, app.DBPath + "-wal", app.DBPath + "-shm"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		if bytes.Contains(b, []byte(needle)) {
			found = append(found, f)
		}
	}
	return found
}

func count(t *testing.T, app *testutil.App, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := app.DB.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestAccountDeletionIsRealAndCutsTheFormerPartnerOff covers H2 and C6 for deletion through the API.
// It looks for the deleted text in the SQLite file (dbFilesContain), so it runs on SQLite.
func TestAccountDeletionIsRealAndCutsTheFormerPartnerOff(t *testing.T) {
	t.Parallel()
	app := testutil.NewSQLiteApp(t)
	a := app.Client()
	a.Headers["User-Agent"] = uaCanary
	a.RegisterAPI("del-a@example.org", nameCanary)
	b := apiUser(t, app, "del-b@example.org", "Bea")
	tok := startCouple(t, a)
	if r := b.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": tok}); r.Status != http.StatusOK {
		t.Fatalf("join: %d %s", r.Status, r.Body)
	}
	_, cp := getCouple(t, b)
	var aID string
	for _, m := range cp.Members {
		if !m.Me {
			aID = m.ID
		}
	}
	if got := dbFilesContain(t, app, uaCanary); len(got) == 0 {
		t.Fatalf("canary %q is not in the database before deletion, so the test would prove nothing", uaCanary)
	}
	if got := dbFilesContain(t, app, nameCanary); len(got) != 0 {
		t.Fatalf("the display name is in the clear in %v; it is sealed at rest (internal/vault)", got)
	}

	app.Clock.Advance(11 * time.Minute)
	if r := a.JSON(http.MethodDelete, "/api/v1/me", nil); r.Status != http.StatusForbidden {
		t.Fatalf("delete without recent auth: %d %s, want 403", r.Status, r.Body)
	}
	reauth(t, a)
	if r := a.JSON(http.MethodDelete, "/api/v1/me", nil); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := a.JSON(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("the deleted user's token still works: %d", r.Status)
	}
	for _, q := range []string{"SELECT COUNT(*) FROM users WHERE id = ?", "SELECT COUNT(*) FROM sessions WHERE user_id = ?",
		"SELECT COUNT(*) FROM couple_members WHERE user_id = ?", "SELECT COUNT(*) FROM invites WHERE created_by = ? OR used_by = ?"} {
		if n := count(t, app, q, aID, aID); n != 0 {
			t.Errorf("%s: %d rows left", q, n)
		}
	}
	for _, canary := range []string{nameCanary, uaCanary} {
		if got := dbFilesContain(t, app, canary); len(got) != 0 {
			t.Errorf("canary %q is still in %v after deletion and a checkpoint", canary, got)
		}
	}
	assertCutOff(t, "the former partner", b)
	arch := archiveOf(t, b)
	if len(arch) != 1 || arch[0]["id"] != cp.ID || arch[0]["partner_display_name"] != "" {
		t.Errorf("the former partner's archive = %v, want the ended couple without the deleted name", arch)
	}
	mustContain(t, "former partner's dashboard", b.Get("/dashboard").Body, "Your couple has ended")

	// When the second member goes too, nothing of the couple is left.
	reauth(t, b)
	if r := b.JSON(http.MethodDelete, "/api/v1/me", nil); r.Status != http.StatusNoContent {
		t.Fatalf("second delete: %d %s", r.Status, r.Body)
	}
	if n := count(t, app, "SELECT COUNT(*) FROM couples WHERE id = ?", cp.ID); n != 0 {
		t.Errorf("a couple without members is kept")
	}
}

func TestDeleteAccountForm(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	a := app.Client()
	a.RegisterBrowser("delf-a@example.org", "Ada")
	a.PostForm("/couple", testutil.Form("timezone", "UTC", "checkin_weekday", "monday"))
	a.Headers["Referer"] = app.Config.BaseURL + "/account/delete"
	app.Clock.Advance(11 * time.Minute)
	page := a.Get("/account/delete")
	mustContain(t, "delete page", page.Body, `name="password"`, `name="confirm"`)
	if r := a.PostForm("/account/delete", testutil.Form("password", testutil.Password, "confirm", "yes")); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/reauth?next=%2Faccount%2Fdelete" {
		t.Fatalf("delete without recent auth: %d %q", r.Status, r.Header.Get("Location"))
	}
	reauth(t, a)
	a.Get("/account/delete")
	cases := []struct {
		name string
		form testutil.Values
		want string
	}{
		{"wrong password", testutil.Form("password", "not my password at all", "confirm", "yes"), "Nothing was deleted"},
		{"no password", testutil.Form("confirm", "yes"), "Enter your password"},
		{"not confirmed", testutil.Form("password", testutil.Password), "Tick the box"},
	}
	for _, tc := range cases {
		r := a.PostForm("/account/delete", tc.form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.name, r.Status)
		}
		mustContain(t, tc.name, r.Body, tc.want, `aria-invalid="true"`)
		if n := count(t, app, "SELECT COUNT(*) FROM users WHERE email = ?", "delf-a@example.org"); n != 1 {
			t.Fatalf("%s deleted the account", tc.name)
		}
	}
	r := a.PostForm("/account/delete", testutil.Form("password", testutil.Password, "confirm", "yes"))
	if r.Status != http.StatusOK {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	mustContain(t, "goodbye page", r.Body, "Your account is deleted")
	if r.Header.Get("Clear-Site-Data") == "" {
		t.Error("no Clear-Site-Data after deletion")
	}
	if n := count(t, app, "SELECT COUNT(*) FROM users WHERE email = ?", "delf-a@example.org"); n != 0 {
		t.Fatal("the account is still there")
	}
	if r := a.Get("/dashboard"); r.Status != http.StatusSeeOther {
		t.Errorf("dashboard after deletion: %d, want a redirect to sign in", r.Status)
	}
}

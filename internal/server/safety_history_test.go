package server_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/testutil"
)

// historyKinds returns the kinds in email's sign-in history, newest first, as the service keeps them.
func historyKinds(t *testing.T, app *testutil.App, email string) []string {
	t.Helper()
	ctx := context.Background()
	u, err := app.Server.Accounts().UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	events, err := app.Server.Accounts().History(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

// TestSignInHistoryRecordsAccountEvents covers SECURITY K4's recording: a failed and a successful
// sign-in, a password change, signing out devices and a reset each leave one event, with the device.
func TestSignInHistoryRecordsAccountEvents(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	const email = "history@example.org"
	c := acctAPIUser(t, app, email)
	c.Headers["User-Agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1"
	other := app.Client()
	if r := other.JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": "not the password at all"}); r.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.Status)
	}
	c.LoginAPI(email, testutil.Password)
	if r := c.JSON(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": testutil.Password, "new_password": "a new and longer password"}); r.Status != http.StatusNoContent {
		t.Fatalf("password change: %d %s", r.Status, r.Body)
	}
	if r := c.JSON(http.MethodPost, "/api/v1/me/sessions/revoke-others", nil); r.Status != http.StatusNoContent {
		t.Fatalf("revoke others: %d %s", r.Status, r.Body)
	}
	plain, err := app.Server.Accounts().CreateResetToken(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	b := app.Client()
	b.Get("/reset/" + plain)
	if r := b.PostForm("/reset/"+plain, testutil.Form("new_password", "the third long password")); r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	got := historyKinds(t, app, email)
	for _, want := range []string{account.EventSignIn, account.EventSignInFailed, account.EventPasswordChanged,
		account.EventSessionsRevoked, account.EventPasswordReset} {
		if !slices.Contains(got, want) {
			t.Errorf("history %v lacks %s", got, want)
		}
	}
	if len(got) == 0 || got[0] != account.EventPasswordReset {
		t.Errorf("newest event %s, want the reset", got[0])
	}
	u, _ := app.Server.Accounts().UserByEmail(context.Background(), email)
	events, _ := app.Server.Accounts().History(context.Background(), u.ID)
	for _, e := range events {
		if e.Kind == account.EventPasswordChanged && e.Device != "Safari on iPhone" {
			t.Errorf("password change recorded from %q, want Safari on iPhone", e.Device)
		}
	}
}

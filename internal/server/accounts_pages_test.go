package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

func TestAccountPageChangesNameAndListsDevices(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctBrowserUser(t, app, "page@example.org")
	phone := app.Client()
	phone.Headers["User-Agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
	phone.LoginBrowser("page@example.org", testutil.Password)
	app.Clock.Advance(5 * time.Minute)
	phone.Get("/dashboard")

	page := c.Get("/account")
	for _, want := range []string{"<title>Account</title>", "Safari on iPhone", "This device", "Sign out everywhere else",
		`href="/account/export"`, `action="/account/delete"`, `name="confirm" type="checkbox"`, `id="delete_password" name="password" type="password"`,
		`datetime="2026-11-25T12:05:00Z"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("account page lacks %s", want)
		}
	}

	r := c.PostForm("/account/name", testutil.Form("display_name", ""))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="display_name-error"`) {
		t.Errorf("empty name: %d", r.Status)
	}
	long := strings.Repeat("n", 61)
	if r := c.PostForm("/account/name", testutil.Form("display_name", long)); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `value="`+long+`"`) {
		t.Errorf("long name: %d, or the typed name was not kept", r.Status)
	}
	if r := c.PostForm("/account/name", testutil.Form("display_name", "  Robin  ")); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/account?done=name" {
		t.Fatalf("save name: %d %q", r.Status, r.Header.Get("Location"))
	}
	if page := c.Get("/account?done=name"); !strings.Contains(page.Body, "Your name is saved.") || !strings.Contains(page.Body, `value="Robin"`) {
		t.Error("the saved name or the notice is missing")
	}

	api := acctAPIUser(t, app, "page-api@example.org")
	r = api.JSON(http.MethodPatch, "/api/v1/me", map[string]any{"display_name": "Alex", "email": "taken@example.org", "id": "x"})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `"display_name":"Alex"`) || !strings.Contains(r.Body, `"email":"page-api@example.org"`) {
		t.Errorf("PATCH /me: %d %s", r.Status, r.Body)
	}
	if r := api.JSON(http.MethodPatch, "/api/v1/me", map[string]any{"display_name": 5}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("PATCH /me with a number: %d", r.Status)
	}

	var phoneID string
	var list struct {
		Sessions []struct {
			ID      string `json:"id"`
			Device  string `json:"device"`
			Current bool   `json:"current"`
		} `json:"sessions"`
	}
	c.Bearer = ""
	c.Get("/api/v1/me/sessions").JSON(t, &list)
	for _, s := range list.Sessions {
		if s.Device == "Safari on iPhone" {
			phoneID = s.ID
		}
	}
	if phoneID == "" {
		t.Fatalf("phone not in %+v", list.Sessions)
	}
	c.Get("/account")
	if r := c.PostForm("/account/sessions/"+phoneID, nil); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/account?done=device" {
		t.Fatalf("sign the phone out: %d %q", r.Status, r.Header.Get("Location"))
	}
	assertToLogin(t, "signed-out phone", phone.Get("/account"))
	if login := phone.Get("/login"); !strings.Contains(login.Body, "You were signed out.") {
		t.Error("the signed-out phone is not told why it must sign in")
	}
	if page := c.Get("/account?done=device"); strings.Contains(page.Body, "Safari on iPhone") || !strings.Contains(page.Body, "That device is signed out.") {
		t.Error("the phone is still listed, or no notice")
	}
}

func TestSigningOutThisDeviceFromTheList(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctBrowserUser(t, app, "self@example.org")
	sid, _ := claimsOf(t, sessionCookie(c))["sid"].(string)
	c.Get("/account")
	r := c.PostForm("/account/sessions/"+sid, nil)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("sign out this device: %d %q", r.Status, r.Header.Get("Location"))
	}
	assertToLogin(t, "after signing out this device", c.Get("/account"))
}

// TestResetLink covers the reset page (SECURITY A7): the link sets a new password once, signs out every
// session and sends the person to sign in; a used, expired or unknown link gets a clear page.
func TestResetLink(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctBrowserUser(t, app, "reset@example.org")
	api := app.Client()
	api.LoginAPI("reset@example.org", testutil.Password)
	plain, err := app.Server.Accounts().CreateResetToken(context.Background(), "reset@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if st := meStatus(t, app, plain); st != http.StatusUnauthorized {
		t.Errorf("the reset secret as a bearer token: %d", st)
	}
	if _, err := app.Server.Couples().CheckInvite(context.Background(), plain); err == nil {
		t.Error("the reset secret works as an invite")
	}

	v := app.Client()
	page := v.Get("/reset/" + plain)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `name="new_password"`) || !strings.Contains(page.Body, "<title>Set a new password</title>") {
		t.Fatalf("reset page: %d", page.Status)
	}
	if strings.Contains(app.Logs.String(), plain) {
		t.Error("the reset secret is in the log")
	}
	if r := v.PostForm("/reset/"+plain, testutil.Form("new_password", "short")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="new_password-error"`) {
		t.Errorf("weak new password: %d", r.Status)
	}
	r := v.PostForm("/reset/"+plain, testutil.Form("new_password", "my brand new password"))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login?notice=reset" {
		t.Fatalf("reset: %d %q %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	if login := v.Get("/login?notice=reset"); !strings.Contains(login.Body, "Your new password is set") {
		t.Error("sign-in page does not confirm the reset")
	}
	assertToLogin(t, "browser session after reset", c.Get("/account"))
	assertUnauthorizedJSON(t, "API session after reset", api.Get("/api/v1/me"))
	if r := loginJSON(app.Client(), "reset@example.org", "my brand new password"); r.Status != http.StatusOK {
		t.Errorf("new password: %d", r.Status)
	}
	if r := loginJSON(app.Client(), "reset@example.org", testutil.Password); r.Status != http.StatusUnauthorized {
		t.Errorf("old password: %d", r.Status)
	}

	expired, _ := app.Server.Accounts().CreateResetToken(context.Background(), "reset@example.org")
	app.Clock.Advance(31 * time.Minute)
	for name, link := range map[string]string{"used": plain, "expired": expired, "unknown": "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst"} {
		p := v.Get("/reset/" + link)
		if p.Status != http.StatusNotFound || !strings.Contains(p.Body, "expired or was already used") || strings.Contains(p.Body, `name="new_password"`) {
			t.Errorf("%s link: %d, want the clear 'expired or used' page", name, p.Status)
		}
		if r := v.PostForm("/reset/"+link, testutil.Form("new_password", "yet another password")); r.Status != http.StatusNotFound {
			t.Errorf("%s link, posted: %d, want 404", name, r.Status)
		}
	}
	if r := loginJSON(app.Client(), "reset@example.org", "yet another password"); r.Status != http.StatusUnauthorized {
		t.Errorf("a used or expired link changed the password: %d", r.Status)
	}
}

// TestRegistrationModes covers MEND_REGISTRATION: open, invite-only (needs a live invite) and closed.
func TestRegistrationModes(t *testing.T) {
	t.Parallel()
	body := func(email string, invite string) map[string]string {
		return map[string]string{"email": email, "display_name": "Sam", "password": testutil.Password, "invite": invite}
	}
	t.Run("closed", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t, func(c *config.Config) { c.Registration = config.RegistrationClosed })
		page := app.Client().Get("/register")
		if !strings.Contains(page.Body, "isn't taking new accounts") || strings.Contains(page.Body, `action="/register"`) {
			t.Error("the register page does not explain that registration is closed")
		}
		if login := app.Client().Get("/login"); strings.Contains(login.Body, `href="/register`) {
			t.Error("the sign-in page offers registration while it is closed")
		}
		if r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", body("closed@example.org", "")); r.Status != http.StatusForbidden {
			t.Errorf("API register: %d, want 403", r.Status)
		}
		c := app.Client()
		c.Get("/register")
		if r := c.PostForm("/register", testutil.Form("email", "closed@example.org", "display_name", "Sam", "password", testutil.Password)); r.Status != http.StatusForbidden {
			t.Errorf("page register: %d, want 403", r.Status)
		}
	})
	t.Run("invite-only", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t, func(c *config.Config) { c.Registration = config.RegistrationInviteOnly })
		page := app.Client().Get("/register")
		if !strings.Contains(page.Body, "start from an invite link") || strings.Contains(page.Body, `action="/register"`) {
			t.Error("the register page does not explain invite-only registration")
		}
		if r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", body("noinvite@example.org", "")); r.Status != http.StatusForbidden {
			t.Errorf("without an invite: %d, want 403", r.Status)
		}
		r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", body("badinvite@example.org", "not-a-real-invite"))
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "expired or was already used") {
			t.Errorf("with a bogus invite: %d %s", r.Status, r.Body)
		}
		if stale := app.Client().Get("/register?invite=some-invite-token"); strings.Contains(stale.Body, `action="/register"`) ||
			!strings.Contains(stale.Body, "expired or was already used") {
			t.Error("with an invite that does not work, the form is shown or the page does not say why")
		}
		inviter, err := app.Server.Accounts().Register(context.Background(), "inviter@example.org", testutil.Password, "Kim")
		if err != nil {
			t.Fatal(err)
		}
		cp, err := app.Server.Couples().Start(context.Background(), inviter.ID, "Europe/London", "sunday")
		if err != nil {
			t.Fatal(err)
		}
		invite, _, err := app.Server.Couples().CreateInvite(context.Background(), cp.ID, inviter.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := app.Client()
		withInvite := c.Get("/register?invite=" + invite + "&next=/join/" + invite)
		if !strings.Contains(withInvite.Body, `action="/register"`) || !strings.Contains(withInvite.Body, `value="`+invite+`"`) {
			t.Error("with a live invite in the link, the form is not shown or does not carry it")
		}
		r = c.PostForm("/register", testutil.Form("email", "invited-page@example.org", "display_name", "Sam", "password", testutil.Password,
			"invite", invite, "next", "/join/"+invite))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard" {
			t.Errorf("page register with a live invite: %d to %q, want the dashboard (joined)", r.Status, r.Header.Get("Location"))
		}
		// The invite is used up: it admits no second account (TestOneInviteAdmitsOneNewAccount).
		second, _, err := app.Server.Couples().CreateInvite(context.Background(), cp.ID, inviter.ID)
		if err == nil {
			t.Errorf("a couple of two made another invite %q", second)
		}
		if r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", body("invited@example.org", invite)); r.Status != http.StatusForbidden {
			t.Errorf("API register with the used invite: %d %s, want 403", r.Status, r.Body)
		}
	})
	t.Run("open", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		if page := app.Client().Get("/register"); !strings.Contains(page.Body, `action="/register"`) {
			t.Error("no form when registration is open")
		}
		r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", body("open@example.org", ""))
		if r.Status != http.StatusCreated || !strings.Contains(r.Body, `"user":{`) || strings.Contains(r.Body, "argon2") {
			t.Errorf("open register: %d %s", r.Status, r.Body)
		}
		if r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", body("OPEN@example.org", "")); r.Status != http.StatusConflict {
			t.Errorf("same email again: %d, want 409", r.Status)
		}
	})
}

func TestSignInReturnsOnlyToLocalPaths(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	acctAPIUser(t, app, "next@example.org")
	for next, want := range map[string]string{
		"":                      "/dashboard",
		"/account":              "/account",
		"//evil.example/":       "/dashboard",
		"https://evil.example/": "/dashboard",
	} {
		c := app.Client()
		page := c.Get("/login?next=" + next)
		if next == "" && strings.Contains(page.Body, "/register?next=") {
			t.Error("the register link carries an empty next")
		}
		r := c.PostForm("/login", testutil.Form("email", "next@example.org", "password", testutil.Password, "next", next))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != want {
			t.Errorf("next %q: %d to %q, want %q", next, r.Status, r.Header.Get("Location"), want)
		}
	}
	c := app.Client()
	c.Get("/register")
	if r := c.PostForm("/register", testutil.Form("email", "fresh@example.org", "display_name", "Sam", "password", testutil.Password)); r.Header.Get("Location") != "/couple" {
		t.Errorf("a new account goes to %q, want /couple", r.Header.Get("Location"))
	}
}

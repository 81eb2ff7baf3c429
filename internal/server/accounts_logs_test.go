package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestNoSecretsInTheLog covers SECURITY G2 over a whole sign-up, sign-in, password change and reset: every
// password, the email and the name carry a canary; neither they nor any token or cookie reach the log.
func TestNoSecretsInTheLog(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	const canary = "zqcanary41"
	email := canary + "@example.org"
	pw1, pw2, pw3 := "first "+canary+" password", "second "+canary+" password", "third "+canary+" password"
	var secrets []string
	keep := func(s ...string) { secrets = append(secrets, s...) }

	b := app.Client()
	b.Get("/register")
	if r := b.PostForm("/register", testutil.Form("email", email, "display_name", "Name "+canary, "password", pw1)); r.Status != http.StatusSeeOther {
		t.Fatalf("register: %d", r.Status)
	}
	keep(sessionCookie(b), b.Cookies["mend_csrf"])
	b.Get("/account")
	keep(b.CSRF)
	b.PostForm("/account/name", testutil.Form("display_name", "Other "+canary))

	bad := app.Client()
	loginJSON(bad, email, "wrong "+canary+" password")
	api := app.Client()
	api.LoginAPI(email, pw1)
	keep(api.Bearer)
	api.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": "wrong " + canary})
	api.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": pw1})

	app.Clock.Advance(11 * time.Minute)
	b.Get("/account")
	b.PostForm("/account/password", testutil.Form("current_password", pw1, "new_password", pw2))
	b.PostForm("/reauth", testutil.Form("password", pw1, "next", "/account"))
	if r := b.PostForm("/account/password", testutil.Form("current_password", pw1, "new_password", pw2)); r.Status != http.StatusSeeOther {
		t.Fatalf("change password: %d %s", r.Status, r.Body)
	}
	assertUnauthorizedJSON(t, "API after the change", api.Get("/api/v1/me"))

	reset, err := app.Server.Accounts().CreateResetToken(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	keep(reset)
	v := app.Client()
	v.Get("/reset/" + reset)
	if r := v.PostForm("/reset/"+reset, testutil.Form("new_password", pw3)); r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.Status)
	}
	v.Get("/login")
	v.PostForm("/login", testutil.Form("email", email, "password", pw3))
	keep(sessionCookie(v))
	v.Get("/account")
	v.PostForm("/logout", nil)

	logs := app.Logs.String()
	if !strings.Contains(logs, `"event":"password_reset"`) {
		t.Fatal("the flow did not run to the end: no password_reset record")
	}
	if strings.Contains(strings.ToLower(logs), canary) {
		t.Errorf("the canary (password, email or name) is in the log:\n%s", logs)
	}
	for _, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("secret %q was not captured", s)
		}
		if strings.Contains(logs, s) {
			t.Errorf("a token or cookie is in the log: %.12s…", s)
		}
	}
}

// TestSecurityEventsAreLogged covers SECURITY G3: each security event is a structured record with the
// request id and, where there is one, the user id.
func TestSecurityEventsAreLogged(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctAPIUser(t, app, "events@example.org")
	me := struct {
		User struct{ ID string } `json:"user"`
	}{}
	c.Get("/api/v1/me").JSON(t, &me)
	uid := me.User.ID

	for i := 0; i < 11; i++ {
		loginJSON(app.Client(), "events@example.org", "a wrong password")
	}
	app.Clock.Advance(16 * time.Minute)
	c.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": "a wrong password"})
	c.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": testutil.Password})
	c.JSON(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": testutil.Password, "new_password": "another good password"})
	other := app.Client()
	other.LoginAPI("events@example.org", "another good password")
	c.JSON(http.MethodPost, "/api/v1/me/sessions/revoke-others", nil)
	if r := other.Get("/api/v1/me"); r.Status != http.StatusUnauthorized {
		t.Fatalf("revoked session: %d", r.Status)
	}
	if !strings.Contains(app.Logs.String(), `"reason":"session_ended","user_id":"`+uid+`"`) {
		t.Error("no access_denied record naming the user of the ended session")
	}
	flood := app.Client()
	for i := 0; i < 21; i++ {
		loginJSON(flood, "nobody@example.org", "a wrong password")
	}
	page := app.Client()
	page.PostForm("/login", testutil.Form("email", "x@example.org", "password", "y"))
	app.Clock.Advance(11 * time.Minute)
	c.JSON(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": "another good password", "new_password": "and a third password"})
	c.JSON(http.MethodPost, "/api/v1/auth/logout", nil)

	type rec struct {
		Msg, Event, RequestID, UserID string
	}
	var got []rec
	sc := bufio.NewScanner(strings.NewReader(app.Logs.String()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", sc.Text())
		}
		if m["msg"] != "security" {
			continue
		}
		r := rec{Msg: "security"}
		r.Event, _ = m["event"].(string)
		r.RequestID, _ = m["request_id"].(string)
		r.UserID, _ = m["user_id"].(string)
		got = append(got, r)
	}
	want := map[string]bool{ // event → carries the user id
		"registered": true, "login_ok": true, "login_failed": true, "lockout": true, "reauth_failed": true, "reauth_ok": true,
		"password_changed": true, "session_revoked": true, "access_denied": true, "rate_limited": false, "csrf_failed": false, "logout": true,
	}
	for event, withUser := range want {
		found := false
		for _, r := range got {
			if r.Event != event {
				continue
			}
			if r.RequestID == "" {
				t.Errorf("%s record without a request id", event)
			}
			if withUser && r.UserID == uid {
				found = true
			}
			if !withUser {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s record (with the user id: %v) in %+v", event, withUser, got)
		}
	}
}

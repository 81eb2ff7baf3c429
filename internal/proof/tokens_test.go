package proof

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestInviteAndResetTokensAreNeverSessions covers the last clause of SECURITY A7: the invite token and
// the reset token of a journey, live or used, sent as a bearer token or as the session cookie, sign
// nobody in.
func TestInviteAndResetTokensAreNeverSessions(t *testing.T) {
	t.Parallel()
	j := newJourney(t, func(f string) string { return "Words for " + f })
	j.run()
	j.finish() // makes and uses a reset link, ends the couple
	j.api(j.A, http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/London", "checkin_weekday": "sunday"}, http.StatusCreated)
	fresh, _ := j.api(j.A, http.MethodPost, "/api/v1/couple/invite", nil, http.StatusCreated)["token"].(string)
	reset, err := j.app.Server.Accounts().CreateResetToken(context.Background(), j.emailB)
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"used invite": j.invite, "used reset": j.reset, "live invite": fresh, "live reset": reset} {
		if tok == "" {
			t.Fatalf("no %s token", name)
		}
		for _, how := range []string{"bearer", "cookie"} {
			for _, path := range []string{"/api/v1/me", "/account"} {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				if how == "bearer" {
					req.Header.Set("Authorization", "Bearer "+tok)
				} else {
					req.AddCookie(&http.Cookie{Name: "mend_session", Value: tok})
				}
				resp, err := j.app.Server.App().Test(req, -1)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					t.Errorf("the %s token as a %s opens %s", name, how, path)
				}
			}
		}
	}
}

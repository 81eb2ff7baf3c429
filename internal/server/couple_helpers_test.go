package server_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// coupleOut is the couple JSON as tests read it.
type coupleOut struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	Timezone       string `json:"timezone"`
	CheckinWeekday string `json:"checkin_weekday"`
	EndedAt        string `json:"ended_at"`
	Members        []struct {
		ID          string `json:"id"`
		DisplayName string `json:"display_name"`
		Role        string `json:"role"`
		Me          bool   `json:"me"`
	} `json:"members"`
}

// getCouple returns the client's GET /api/v1/couple status and couple.
func getCouple(t *testing.T, cl *testutil.Client) (int, coupleOut) {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/couple", nil)
	var out struct {
		Couple coupleOut `json:"couple"`
	}
	if r.Status == http.StatusOK {
		r.JSON(t, &out)
	}
	return r.Status, out.Couple
}

// startCouple starts a couple through the API and returns the invite token.
func startCouple(t *testing.T, cl *testutil.Client) string {
	t.Helper()
	if r := cl.JSON(http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/Berlin", "checkin_weekday": "monday"}); r.Status != http.StatusCreated {
		t.Fatalf("start couple: %d %s", r.Status, r.Body)
	}
	return invite(t, cl)
}

// invite makes a new invite and returns its token.
func invite(t *testing.T, cl *testutil.Client) string {
	t.Helper()
	r := cl.JSON(http.MethodPost, "/api/v1/couple/invite", nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	tok, _ := r.Map(t)["token"].(string)
	if tok == "" {
		t.Fatalf("invite without token: %s", r.Body)
	}
	return tok
}

// reauth marks the client's session as recently authenticated.
func reauth(t *testing.T, cl *testutil.Client) {
	t.Helper()
	if r := cl.JSON(http.MethodPost, "/api/v1/auth/reauth", map[string]string{"password": testutil.Password}); r.Status != http.StatusNoContent {
		t.Fatalf("reauth: %d %s", r.Status, r.Body)
	}
}

func apiUser(t *testing.T, app *testutil.App, email, name string) *testutil.Client {
	t.Helper()
	cl := app.Client()
	cl.RegisterAPI(email, name)
	return cl
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, body)
		}
	}
}

func mustNotContain(t *testing.T, what, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("%s contains %q", what, b)
		}
	}
}

func regexpFind(t *testing.T, body, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match for %s in:\n%s", pattern, body)
	}
	return html.UnescapeString(m[1])
}

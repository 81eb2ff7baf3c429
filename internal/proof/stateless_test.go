package proof

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/testutil"
)

// twoInstances returns two Mend servers on one PostgreSQL database (SECURITY M1): each has its own
// connection pool, services and process memory, as two instances behind a load balancer do.
func twoInstances(t *testing.T) (one, two *testutil.App) {
	t.Helper()
	one = testutil.NewPostgresApp(t)
	return one, one.Twin()
}

// TestTwoInstancesShareSessions: a session made on one instance works on the other, for a browser
// (cookie) and for the API (bearer token), and a sign-out on either ends it on the other at once.
func TestTwoInstancesShareSessions(t *testing.T) {
	t.Parallel()
	one, two := twoInstances(t)

	browser := one.Client()
	browser.RegisterBrowser("both@example.org", "Both")
	if r := browser.Via(two).Get("/dashboard"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Both") {
		t.Fatalf("the browser's session from instance one on instance two: %d", r.Status)
	}
	// A copy of the cookie as it was before the sign-out, replayed on the instance that made it.
	stale := one.Client()
	for k, v := range browser.Cookies {
		stale.Cookies[k] = v
	}
	if r := browser.Via(two).PostForm("/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("sign out on instance two: %d %s", r.Status, r.Body)
	}
	if r := stale.Get("/dashboard"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("a session signed out on instance two still opens the dashboard on instance one: %d %s", r.Status, r.Header.Get("Location"))
	}

	api := two.Client()
	api.RegisterAPI("api@example.org", "Api")
	if r := api.Via(one).JSON(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusOK || !strings.Contains(r.Body, "api@example.org") {
		t.Fatalf("the bearer token from instance two on instance one: %d %s", r.Status, r.Body)
	}
	if r := api.Via(one).JSON(http.MethodPost, "/api/v1/auth/logout", nil); r.Status != http.StatusNoContent {
		t.Fatalf("API sign out on instance one: %d %s", r.Status, r.Body)
	}
	if r := api.Via(two).JSON(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("a token signed out on instance one still works on instance two: %d", r.Status)
	}
}

// TestTwoInstancesShareThrottles: wrong passwords spread over two instances lock the account after
// MaxAccountFailures in all (not twice as many), and one client's attempts on both are counted together.
func TestTwoInstancesShareThrottles(t *testing.T) {
	t.Parallel()
	one, two := twoInstances(t)
	one.Client().RegisterAPI("target@example.org", "Target")
	instances := []*testutil.App{one, two}
	login := func(c *testutil.Client, password string) *testutil.Response {
		return c.JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "target@example.org", "password": password})
	}
	for i := range account.MaxAccountFailures {
		// Each attempt from a new address, so only the account's count can stop them.
		if r := login(instances[i%2].Client(), fmt.Sprintf("wrong password %d", i)); r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, r.Status)
		}
	}
	for _, app := range instances {
		if r := login(app.Client(), testutil.Password); r.Status != http.StatusTooManyRequests {
			t.Errorf("the right password after %d failures spread over two instances: %d, want 429", account.MaxAccountFailures, r.Status)
		}
	}

	c := one.Client()
	for i := range account.MaxClientAttempts {
		// Each attempt for another account, so only the client's count can stop them.
		r := c.Via(instances[i%2]).JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": fmt.Sprintf("nobody%d@example.org", i), "password": "not the password"})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d from one client: %d, want 401", i+1, r.Status)
		}
	}
	for _, app := range instances {
		r := c.Via(app).JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "someone-new@example.org", "password": "not the password"})
		if r.Status != http.StatusTooManyRequests {
			t.Errorf("attempt %d from one client, spread over two instances: %d, want 429", account.MaxClientAttempts+1, r.Status)
		}
	}
}

// TestTwoInstancesShareCheckins: a check-in answered through one instance by one partner and through
// the other by the other opens for both, whichever instance each asks.
func TestTwoInstancesShareCheckins(t *testing.T) {
	t.Parallel()
	one, two := twoInstances(t)
	cp := one.NewCouple("twin")
	const week = "2026-W48" // the test clock's week
	answer := func(tag string) map[string]any {
		return map[string]any{"appreciation": tag + "-appreciation", "went_well": tag + "-went-well", "was_hard": tag + "-was-hard",
			"need": tag + "-need", "trust": 6, "connection": 7, "safety": 8, "submit": true, "agreements": []any{}}
	}
	if r := cp.A.Via(one).JSON(http.MethodPut, "/api/v1/checkins/"+week+"/mine", answer("twin-A")); r.Status != http.StatusOK {
		t.Fatalf("A shares through instance one: %d %s", r.Status, r.Body)
	}
	if r := cp.B.Via(two).JSON(http.MethodPut, "/api/v1/checkins/"+week+"/mine", answer("twin-B")); r.Status != http.StatusOK {
		t.Fatalf("B shares through instance two: %d %s", r.Status, r.Body)
	}
	for _, tc := range []struct {
		who     string
		c       *testutil.Client
		app     *testutil.App
		partner string
	}{
		{"B on instance two", cp.B, two, "twin-A-was-hard"},
		{"A on instance one", cp.A, one, "twin-B-was-hard"},
		{"A on instance two", cp.A, two, "twin-B-was-hard"},
	} {
		r := tc.c.Via(tc.app).JSON(http.MethodGet, "/api/v1/checkins/"+week, nil)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `"state":"opened"`) || !strings.Contains(r.Body, tc.partner) {
			t.Errorf("%s: %d %s, want the opened week with the partner's answer", tc.who, r.Status, r.Body)
		}
	}
}

package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

func loginJSON(c *testutil.Client, email, pw string) *testutil.Response {
	return c.JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": pw})
}

// TestAccountLockout covers SECURITY A4 per account: 11 wrong passwords from 11 addresses give 429, the
// right password is refused too until 15 minutes have passed.
func TestAccountLockout(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	acctAPIUser(t, app, "locked@example.org")
	for i := 1; i <= 10; i++ {
		if r := loginJSON(app.Client(), "locked@example.org", fmt.Sprintf("wrong password %d", i)); r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i, r.Status)
		}
	}
	r := loginJSON(app.Client(), "Locked@Example.org", "wrong password 11")
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, `"code":"rate_limited"`) || !strings.Contains(r.Body, "15 minutes") {
		t.Fatalf("11th failure from an 11th address: %d %s, want 429 with a clear message", r.Status, r.Body)
	}
	if r := loginJSON(app.Client(), "locked@example.org", testutil.Password); r.Status != http.StatusTooManyRequests {
		t.Errorf("right password while locked: %d, want 429", r.Status)
	}
	page := app.Client()
	page.Get("/login")
	if r := page.PostForm("/login", testutil.Form("email", "locked@example.org", "password", testutil.Password)); r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "15 minutes") {
		t.Errorf("sign-in page while locked: %d", r.Status)
	}
	if r := loginJSON(app.Client(), "someone-else@example.org", "any password at all"); r.Status != http.StatusUnauthorized {
		t.Errorf("another account is affected: %d", r.Status)
	}
	app.Clock.Advance(15*time.Minute + time.Second)
	if r := loginJSON(app.Client(), "locked@example.org", testutil.Password); r.Status != http.StatusOK {
		t.Errorf("right password after 15 minutes: %d, want 200", r.Status)
	}
}

// TestClientThrottle covers SECURITY A4 per client: about 20 attempts a minute on sign-in and on
// registration, allowed again once the minute has passed.
func TestClientThrottle(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := app.Client()
	for i := 1; i <= 20; i++ {
		if r := loginJSON(c, fmt.Sprintf("nobody%d@example.org", i), "some password here"); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i, r.Status)
		}
	}
	r := loginJSON(c, "nobody21@example.org", "some password here")
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "wait a minute") {
		t.Fatalf("attempt 21 within the minute: %d %s, want 429", r.Status, r.Body)
	}
	if r := loginJSON(app.Client(), "nobody22@example.org", "some password here"); r.Status != http.StatusUnauthorized {
		t.Errorf("another client: %d, want 401", r.Status)
	}
	app.Clock.Advance(61 * time.Second)
	if r := loginJSON(c, "nobody23@example.org", "some password here"); r.Status != http.StatusUnauthorized {
		t.Errorf("after the minute: %d, want 401", r.Status)
	}

	reg := app.Client()
	register := func(i int) int {
		return reg.JSON(http.MethodPost, "/api/v1/auth/register", map[string]string{
			"email": fmt.Sprintf("new%d@example.org", i), "display_name": "Sam", "password": "short"}).Status
	}
	for i := 1; i <= 20; i++ {
		if st := register(i); st != http.StatusUnprocessableEntity {
			t.Fatalf("registration %d: %d, want 422", i, st)
		}
	}
	if st := register(21); st != http.StatusTooManyRequests {
		t.Errorf("registration 21 within the minute: %d, want 429", st)
	}
	app.Clock.Advance(61 * time.Second)
	if st := register(22); st != http.StatusUnprocessableEntity {
		t.Errorf("registration after the minute: %d, want 422", st)
	}
}

// TestFailedSignInRevealsNothing covers SECURITY A3: an unknown email and a wrong password give the same
// status and byte-identical bodies (request ids aside), on the API and the page, with similar timing.
func TestFailedSignInRevealsNothing(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	acctAPIUser(t, app, "known@example.org")
	acctAPIUser(t, app, "timing@example.org")

	norm := func(r *testutil.Response, email string) string {
		b := r.Body
		if email != "" {
			b = strings.ReplaceAll(b, email, "EMAIL")
		}
		if rid := r.Header.Get("X-Request-ID"); rid != "" {
			b = strings.ReplaceAll(b, rid, "RID")
		}
		return fmt.Sprintf("%d %s %s", r.Status, r.Header.Get("Content-Type"), b)
	}
	unknown := loginJSON(app.Client(), "unknown@example.org", "wrong password here")
	wrong := loginJSON(app.Client(), "known@example.org", "wrong password here")
	if unknown.Status != http.StatusUnauthorized || norm(unknown, "") != norm(wrong, "") {
		t.Errorf("API answers differ:\nunknown: %s\nwrong:   %s", norm(unknown, ""), norm(wrong, ""))
	}
	page := app.Client()
	page.Get("/login")
	pu := page.PostForm("/login", testutil.Form("email", "unknown@example.org", "password", "wrong password here"))
	pw := page.PostForm("/login", testutil.Form("email", "known@example.org", "password", "wrong password here"))
	if pu.Status != http.StatusUnauthorized || norm(pu, "unknown@example.org") != norm(pw, "known@example.org") {
		t.Errorf("page answers differ (%d, %d)", pu.Status, pw.Status)
	}

	var tu, tw []time.Duration
	for i := 0; i < 9; i++ {
		start := time.Now()
		loginJSON(app.Client(), fmt.Sprintf("missing%d@example.org", i), "wrong password here")
		tu = append(tu, time.Since(start))
		start = time.Now()
		loginJSON(app.Client(), "timing@example.org", "wrong password here")
		tw = append(tw, time.Since(start))
	}
	ratio := float64(median(tu)) / float64(median(tw))
	if ratio < 0.5 || ratio > 2 {
		t.Errorf("median time unknown/wrong = %.2f (%s / %s), want 0.5..2", ratio, median(tu), median(tw))
	}
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration{}, d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// wantRetryAfter checks a throttled answer: 429 with Retry-After in whole seconds.
func wantRetryAfter(t *testing.T, what string, r *testutil.Response, secs int) {
	t.Helper()
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("%s: %d, want 429", what, r.Status)
	}
	if got := r.Header.Get("Retry-After"); got != strconv.Itoa(secs) {
		t.Errorf("%s: Retry-After %q, want %d", what, got, secs)
	}
}

// TestEvery429SaysWhenToRetry: each throttled answer, API and page, carries Retry-After with the seconds
// until the window lets the next attempt through; after that many seconds the attempt is let through.
func TestEvery429SaysWhenToRetry(t *testing.T) {
	t.Parallel()
	t.Run("client window, API and page", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		c := app.Client()
		for i := 1; i <= 20; i++ {
			loginJSON(c, fmt.Sprintf("nobody%d@example.org", i), "some password here")
			if i == 1 {
				app.Clock.Advance(10 * time.Second)
			}
		}
		wantRetryAfter(t, "API sign-in 21", loginJSON(c, "nobody21@example.org", "some password here"), 50)
		c.Get("/login")
		app.Clock.Advance(20 * time.Second)
		wantRetryAfter(t, "sign-in page", c.PostForm("/login", testutil.Form("email", "x@example.org", "password", "some password here")), 30)
		app.Clock.Advance(29 * time.Second)
		wantRetryAfter(t, "a second before the window", loginJSON(c, "nobody22@example.org", "some password here"), 1)
		app.Clock.Advance(time.Second)
		if r := loginJSON(c, "nobody23@example.org", "some password here"); r.Status != http.StatusUnauthorized {
			t.Errorf("after Retry-After: %d, want 401", r.Status)
		}
	})
	t.Run("account lockout", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		acctAPIUser(t, app, "locked@example.org")
		for i := 1; i <= 10; i++ {
			loginJSON(app.Client(), "locked@example.org", fmt.Sprintf("wrong password %d", i))
		}
		app.Clock.Advance(5 * time.Minute)
		wantRetryAfter(t, "locked account", loginJSON(app.Client(), "locked@example.org", testutil.Password), 600)
		page := app.Client()
		page.Get("/login")
		wantRetryAfter(t, "locked account, page", page.PostForm("/login", testutil.Form("email", "locked@example.org", "password", testutil.Password)), 600)
		app.Clock.Advance(600 * time.Second)
		if r := loginJSON(app.Client(), "locked@example.org", testutil.Password); r.Status != http.StatusOK {
			t.Errorf("after Retry-After: %d, want 200", r.Status)
		}
	})
	t.Run("registration", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		reg := app.Client()
		register := func(i int) *testutil.Response {
			return reg.JSON(http.MethodPost, "/api/v1/auth/register", map[string]string{
				"email": fmt.Sprintf("new%d@example.org", i), "display_name": "Sam", "password": "short"})
		}
		for i := 1; i <= 20; i++ {
			register(i)
		}
		wantRetryAfter(t, "registration 21", register(21), 60)
	})
	t.Run("confirmation and feed links", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		c := app.Client()
		for i := 1; i <= 20; i++ {
			c.Get(fmt.Sprintf("/calendar/guess%02d0123456789.ics", i))
			if i == 1 {
				app.Clock.Advance(15 * time.Second)
			}
		}
		wantRetryAfter(t, "feed 21", c.Get("/calendar/guess210123456789.ics"), 45)
		app.Clock.Advance(20 * time.Second)
		wantRetryAfter(t, "confirmation link", c.Get("/confirm-email/guess0123456789abcdefghij"), 25)
		app.Clock.Advance(24 * time.Second)
		wantRetryAfter(t, "a second before the window", c.Get("/calendar/guess220123456789.ics"), 1)
		app.Clock.Advance(time.Second)
		if r := c.Get("/calendar/guess230123456789.ics"); r.Status != http.StatusNotFound {
			t.Errorf("after Retry-After: %d, want 404", r.Status)
		}
	})
	t.Run("any other 429", func(t *testing.T) {
		t.Parallel()
		base := testutil.NewApp(t)
		srv, err := server.New(server.Deps{Config: base.Config, DB: base.DB, Now: base.Clock.Now, ExtraRoutes: func(r fiber.Router) {
			busy := func(c *fiber.Ctx) error { return apperr.New(apperr.RateLimited, "Mend is busy right now.") }
			r.Get("/api/v1/busy-for-test", busy)
			r.Get("/busy-for-test", busy)
		}})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/api/v1/busy-for-test", "/busy-for-test"} {
			resp, err := srv.App().Test(httptest.NewRequest(http.MethodGet, p, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
				t.Errorf("%s: %d, Retry-After %q, want 429 and 1", p, resp.StatusCode, resp.Header.Get("Retry-After"))
			}
		}
	})
}

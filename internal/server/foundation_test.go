package server_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// newAppWith builds a test app whose server has extra test-only routes.
func newAppWith(t *testing.T, extra func(r fiber.Router)) (*testutil.App, *server.Server) {
	t.Helper()
	app := testutil.NewApp(t)
	srv, err := server.New(server.Deps{Config: app.Config, DB: app.DB, Log: slog.New(slog.NewJSONHandler(app.Logs, nil)), Now: app.Clock.Now, ExtraRoutes: extra})
	if err != nil {
		t.Fatal(err)
	}
	app.Server = srv
	return app, srv
}

// TestPanicGivesGeneric500AndServerKeepsServing covers SECURITY F3.
func TestPanicGivesGeneric500AndServerKeepsServing(t *testing.T) {
	t.Parallel()
	app, _ := newAppWith(t, func(r fiber.Router) {
		r.Get("/test/panic", func(*fiber.Ctx) error { panic("boom: secret panic detail") })
		r.Get("/api/v1/test/panic", func(*fiber.Ctx) error { panic("boom: secret panic detail") })
	})
	c := app.Client()
	for _, path := range []string{"/test/panic", "/api/v1/test/panic"} {
		r := c.Get(path)
		if r.Status != http.StatusInternalServerError {
			t.Fatalf("%s: status %d, want 500", path, r.Status)
		}
		if strings.Contains(r.Body, "secret panic detail") || strings.Contains(r.Body, "boom") {
			t.Fatalf("%s: panic text leaked: %s", path, r.Body)
		}
	}
	if r := c.Get("/healthz"); r.Status != http.StatusOK {
		t.Fatalf("server stopped serving after a panic: %d", r.Status)
	}
}

// TestInternalErrorsNeverLeakDriverText covers SECURITY G1, with a real database failure as well as a wrapped error.
func TestInternalErrorsNeverLeakDriverText(t *testing.T) {
	t.Parallel()
	app, _ := newAppWith(t, func(r fiber.Router) {
		r.Get("/api/v1/test/dberr", func(c *fiber.Ctx) error {
			return fmt.Errorf("store: %w", errors.New(`sqlite3: no such table: secret_table SELECT * FROM "users"`))
		})
	})
	c := app.Client()
	r := c.Get("/api/v1/test/dberr")
	if r.Status != 500 || strings.Contains(r.Body, "sqlite") || strings.Contains(r.Body, "SELECT") {
		t.Fatalf("wrapped error: %d %s", r.Status, r.Body)
	}
	m := r.Map(t)
	if m["request_id"] == "" || m["error"].(map[string]any)["code"] != "internal" {
		t.Fatalf("envelope: %v", m)
	}
	// A real driver error: drop a table the login query needs.
	app.DB.Exec("DROP TABLE user_tokens")
	app.DB.Exec("PRAGMA foreign_keys = OFF")
	app.DB.Exec("ALTER TABLE users RENAME TO users_gone")
	r = c.JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "a@example.org", "password": "whatever whatever"})
	if r.Status != 500 {
		t.Fatalf("login on a broken database: %d %s", r.Status, r.Body)
	}
	for _, leak := range []string{"sqlite", "no such table", "users", "SELECT"} {
		if strings.Contains(r.Body, leak) {
			t.Fatalf("driver text %q leaked: %s", leak, r.Body)
		}
	}
}

func checkHeaders(t *testing.T, what string, h http.Header, html bool) {
	t.Helper()
	want := map[string]string{
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "same-origin",
		"X-Frame-Options":            "DENY",
		"Cross-Origin-Opener-Policy": "same-origin",
		"Content-Security-Policy":    server.CSPFor(testutil.TestConfig("").QuickExitURL),
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
	if h.Get("Permissions-Policy") == "" {
		t.Errorf("%s: no Permissions-Policy", what)
	}
	for _, part := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(h.Get("Content-Security-Policy"), part) {
			t.Errorf("%s: CSP lacks %s", what, part)
		}
	}
	ct := h.Get("Content-Type")
	if html && ct != "text/html; charset=utf-8" {
		t.Errorf("%s: Content-Type %q, want HTML with charset", what, ct)
	}
	if !html && ct != "application/json" && ct != "application/json; charset=utf-8" {
		t.Errorf("%s: Content-Type %q, want JSON", what, ct)
	}
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("%s: CORS header present", what)
	}
}

// TestHeadersOnEveryKindOfResponse covers SECURITY E2–E5 and D4.
func TestHeadersOnEveryKindOfResponse(t *testing.T) {
	t.Parallel()
	app, _ := newAppWith(t, func(r fiber.Router) {
		r.Get("/test/fail", func(*fiber.Ctx) error { return errors.New("x") })
		r.Get("/api/v1/test/fail", func(*fiber.Ctx) error { return errors.New("x") })
	})
	c := app.Client()
	cases := []struct {
		path   string
		status int
		html   bool
	}{
		{"/", 200, true},
		{"/healthz", 200, false},
		{"/no/such/page", 404, true},
		{"/api/v1/no/such", 404, false},
		{"/test/fail", 500, true},
		{"/api/v1/test/fail", 500, false},
		{"/api/v1/me", 401, false},
	}
	for _, tc := range cases {
		r := c.Get(tc.path)
		if r.Status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, r.Status, tc.status)
		}
		checkHeaders(t, tc.path, r.Header, tc.html)
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", tc.path, r.Header.Get("Cache-Control"))
		}
		if !tc.html && strings.Contains(r.Body, "<html") {
			t.Errorf("%s: the API answered with HTML", tc.path)
		}
	}
}

// TestStaticFilesAreHashedAndCached checks content-hashed URLs with long cache lifetimes.
func TestStaticFilesAreHashedAndCached(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := app.Client()
	page := c.Get("/").Body
	i := strings.Index(page, "/static/")
	if i < 0 {
		t.Fatal("landing page links no static file")
	}
	url := page[i : i+strings.IndexByte(page[i:], '"')]
	r := c.Get(url)
	if r.Status != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("%s: %d, Cache-Control %q", url, r.Status, r.Header.Get("Cache-Control"))
	}
	parts := strings.SplitN(strings.TrimPrefix(url, "/static/"), "/", 2)
	if r := c.Get("/static/000000000000/" + parts[1]); r.Status != 404 {
		t.Fatalf("a wrong content hash was served: %d", r.Status)
	}
}

// TestCrossSitePostIsRefused covers SECURITY D2 and D3.
func TestCrossSitePostIsRefused(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := app.Client()
	c.Get("/login")
	cases := []struct {
		name    string
		headers map[string]string
		csrf    bool
	}{
		{"cross-site fetch metadata", map[string]string{"Sec-Fetch-Site": "cross-site"}, true},
		{"same-site but other origin", map[string]string{"Sec-Fetch-Site": "same-site"}, true},
		{"foreign Origin", map[string]string{"Origin": "https://evil.example"}, true},
		{"null Origin", map[string]string{"Origin": "null"}, true},
		{"missing token", nil, false},
	}
	for _, tc := range cases {
		form := testutil.Form("email", "x@example.org", "password", "whatever whatever")
		if !tc.csrf {
			form.Set("_csrf", "forged")
		}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()+"&_csrf="+c.CSRF))
		if !tc.csrf {
			req = httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range tc.headers {
			req.Header.Set(k, v)
		}
		if r := c.Do(req); r.Status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", tc.name, r.Status)
		}
	}
	// The same form from the same origin with the token is accepted (here: a failed sign-in, 401).
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(testutil.Form("email", "x@example.org", "password", "whatever whatever", "_csrf", c.CSRF).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", app.Config.BaseURL)
	if r := c.Do(req); r.Status != http.StatusUnauthorized {
		t.Fatalf("same-origin form with token: %d, want 401", r.Status)
	}
}

// TestBodyOverLimitIs413 covers SECURITY F1.
func TestBodyOverLimitIs413(t *testing.T) {
	t.Parallel()
	base := serveReal(t)
	// Announce a body over the limit on a raw connection: the server must answer 413 without reading it all.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"email\":\"", server.BodyLimit+10)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), `"too_large"`) {
		t.Fatalf("status %d, body %s; want 413 too_large", resp.StatusCode, body)
	}
	small, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email":"a@example.org","password":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	small.Body.Close()
	if small.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a small body got %d, want 401", small.StatusCode)
	}
}

// serveReal serves a fresh app on 127.0.0.1 until the test ends and returns its base URL.
func serveReal(t *testing.T) string { return serveRealWith(t, nil) }

// serveRealWith is serveReal with extra test-only routes.
func serveRealWith(t *testing.T, extra func(r fiber.Router)) string {
	t.Helper()
	db, path := testutil.NewDB(t)
	cfg := testutil.TestConfig(filepath.Dir(path))
	srv, err := server.New(server.Deps{Config: cfg, DB: db, ExtraRoutes: extra})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String()
}

// TestRequestStringsAreNotReused covers SECURITY F4: a value kept after its handler returns must not change
// when later requests reuse Fiber's buffers.
func TestRequestStringsAreNotReused(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var kept []string
	app, _ := newAppWith(t, func(r fiber.Router) {
		r.Post("/api/v1/test/keep/:word", func(c *fiber.Ctx) error {
			mu.Lock()
			kept = append(kept, c.Params("word")+"|"+c.Query("q")+"|"+c.Get("X-Word"))
			mu.Unlock()
			return c.SendStatus(204)
		})
	})
	c := app.Client()
	words := []string{"alpha", "bravo", "charlie", "delta", "echoes"}
	for _, w := range words {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/test/keep/"+w+"?q="+w, nil)
		req.Header.Set("X-Word", w)
		c.Do(req)
	}
	for i, w := range words {
		if want := w + "|" + w + "|" + w; kept[i] != want {
			t.Fatalf("kept[%d] = %q, want %q: request buffers were reused", i, kept[i], want)
		}
	}
}

// TestGracefulShutdownDrains starts a real listener, cancels while a slow request is in flight, and checks the
// request completes and Serve returns cleanly (SECURITY I8).
func TestGracefulShutdownDrains(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	db, path := testutil.NewDB(t)
	cfg := testutil.TestConfig(filepath.Dir(path))
	srv, err := server.New(server.Deps{Config: cfg, DB: db, ExtraRoutes: func(r fiber.Router) {
		r.Get("/test/slow", func(c *fiber.Ctx) error {
			close(started)
			time.Sleep(500 * time.Millisecond)
			return c.SendString("finished")
		})
	}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/test/slow")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-started
	cancel()
	if body := <-got; body != "finished" {
		t.Fatalf("in-flight request got %q, want it to finish", body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve returned %v", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Fatal("server still accepts connections after shutdown")
	}
	if err := database.Ping(context.Background(), db); err != nil {
		t.Fatal(err)
	}
}

// TestRequestLogHasNoSecretsOrBodies sends secrets in a body, cookie, header and path and checks the log.
func TestRequestLogHasNoSecretsOrBodies(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := app.Client()
	c.Cookies["mend_session"] = "cookie-canary-123"
	c.Headers["Authorization"] = ""
	c.JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "body-canary@example.org", "password": "password-canary-123"})
	c.Get("/join/path-canary-123?q=query-canary-123")
	logs := app.Logs.String()
	for _, canary := range []string{"cookie-canary", "body-canary", "password-canary", "path-canary", "query-canary"} {
		if strings.Contains(logs, canary) {
			t.Errorf("log contains %s", canary)
		}
	}
	if !strings.Contains(logs, `"request_id"`) || !strings.Contains(logs, `"route"`) {
		t.Fatalf("request log lacks request ids or routes: %s", logs)
	}
}

// TestRequestIDsAreServerMade covers SECURITY G4.
func TestRequestIDsAreServerMade(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := app.Client()
	c.Headers["X-Request-ID"] = "client-chosen"
	r1, r2 := c.Get("/healthz"), c.Get("/healthz")
	id1, id2 := r1.Header.Get("X-Request-ID"), r2.Header.Get("X-Request-ID")
	if id1 == "" || id1 == "client-chosen" || id1 == id2 {
		t.Fatalf("request ids %q, %q", id1, id2)
	}
}

// TestConfigValidation checks that bad configuration is refused with the variable named.
func TestConfigValidation(t *testing.T) {
	t.Parallel()
	cases := map[string]map[string]string{
		"MEND_ADDR":            {"MEND_ADDR": "nonsense"},
		"MEND_BASE_URL":        {"MEND_BASE_URL": "ftp://x"},
		"MEND_SECRET_KEY":      {"MEND_SECRET_KEY": "short"},
		"MEND_REGISTRATION":    {"MEND_REGISTRATION": "sometimes"},
		"MEND_LOG_LEVEL":       {"MEND_LOG_LEVEL": "loud"},
		"MEND_TRUSTED_PROXIES": {"MEND_TRUSTED_PROXIES": "not-an-ip"},
		"MEND_QUICK_EXIT_URL":  {"MEND_QUICK_EXIT_URL": "javascript:alert(1)"},
	}
	for name, env := range cases {
		_, err := config.Load(func(k string) string { return env[k] })
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := config.Load(func(k string) string { return map[string]string{"MEND_SECRET_KEY": strings.Repeat("a", 40)}[k] }); err == nil {
		t.Error("a 40-character key of one repeated letter was accepted")
	}
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil || cfg.Addr != "127.0.0.1:8080" || cfg.DataDir != "./data" || cfg.Registration != "open" {
		t.Fatalf("defaults: %+v, %v", cfg, err)
	}
}

// TestNoDebugRoutes checks that no registered route looks like a debug endpoint (SECURITY J3).
func TestNoDebugRoutes(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	routes := app.Server.App().GetRoutes(true)
	if len(routes) < 10 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, r := range routes {
		p := strings.ToLower(r.Path)
		for _, bad := range []string{"pprof", "debug", "expvar", "metrics", "monitor", "trace"} {
			if strings.Contains(p, bad) {
				t.Errorf("debug-like route %s %s", r.Method, r.Path)
			}
		}
	}
}

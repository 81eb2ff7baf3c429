package server_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// rawExchange sends raw on a new connection to base and reads one response.
func rawExchange(t *testing.T, base, raw string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read the answer to %.40q: %v", raw, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// wantJSONError fails unless the answer is status with the API's error envelope (SECURITY E5).
func wantJSONError(t *testing.T, what string, resp *http.Response, body string, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: %d, want %d", what, resp.StatusCode, status)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want JSON: %.200s", what, ct, body)
		return
	}
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil || env.Error.Code == "" || env.Error.Message == "" || env.RequestID == "" {
		t.Errorf("%s: not the error envelope (%v): %s", what, err, body)
	}
}

// TestHTTPLayerErrorsUnderAPIAreJSON: requests the HTTP server refuses before any route runs (headers
// too large, headers that never finish arriving, a malformed header, a body over the limit) answer
// with the JSON error envelope under /api/, over a real listener, and with the error page elsewhere.
func TestHTTPLayerErrorsUnderAPIAreJSON(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	app.Server.App().Server().ReadTimeout = 300 * time.Millisecond // so the slow case is quick
	base := serve(t, app)
	cases := []struct {
		name   string
		raw    func(path string) string
		status int
	}{
		{"headers larger than the read buffer", func(p string) string {
			return "GET " + p + " HTTP/1.1\r\nHost: x\r\nX-Padding: " + strings.Repeat("a", 20*1024) + "\r\n\r\n"
		}, http.StatusRequestHeaderFieldsTooLarge},
		{"headers that never finish", func(p string) string { return "GET " + p + " HTTP/1.1\r\nHost: x\r\n" }, http.StatusRequestTimeout},
		{"a malformed header", func(p string) string { return "GET " + p + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n" }, http.StatusBadRequest},
		{"a body over the limit", func(p string) string {
			return "POST " + p + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 300000\r\n\r\n{"
		}, http.StatusRequestEntityTooLarge},
	}
	for _, tc := range cases {
		for _, path := range []string{"/api/v1/me", "/api/v1/auth/login?next=%2F", "/API/v1/me"} {
			resp, body := rawExchange(t, base, tc.raw(path))
			wantJSONError(t, tc.name+" on "+path, resp, body, tc.status)
		}
		resp, body := rawExchange(t, base, tc.raw("/login"))
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != tc.status || !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s on /login: %d %q, want %d and the error page: %.200s", tc.name, resp.StatusCode, ct, tc.status, body)
		}
	}
	if logs := app.Logs.String(); strings.Contains(logs, "request failed") {
		t.Errorf("a client's malformed request was logged as a server failure:\n%s", logs)
	}
}

// TestAPIRoutesAreCaseSensitive: /API/v1/me is not the API. It reaches no handler (not even to be
// redirected to the sign-in page) and answers 404 in JSON, like any path under /api/ that is not a route.
func TestAPIRoutesAreCaseSensitive(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.Client()
	cl.RegisterAPI("case@example.org", "Case")
	if r := cl.Get("/api/v1/me"); r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/me: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/API/v1/me", "/Api/v1/me", "/api/V1/me", "/api/v1/ME"} {
		r := cl.Get(path)
		wantJSONError(t, "GET "+path, &http.Response{StatusCode: r.Status, Header: r.Header}, r.Body, http.StatusNotFound)
		if strings.Contains(r.Body, "case@example.org") {
			t.Errorf("GET %s reached the handler: %s", path, r.Body)
		}
	}
	browser := app.Client()
	browser.RegisterBrowser("case-page@example.org", "Page")
	if r := browser.Get("/Dashboard"); r.Status != http.StatusNotFound || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /Dashboard: %d %q, want the 404 page", r.Status, r.Header.Get("Content-Type"))
	}
}

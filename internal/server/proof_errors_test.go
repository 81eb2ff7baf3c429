package server_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestConnectionLevelErrorsAreNot5xx: errors Fiber raises before any route runs (headers larger than
// the read buffer, a request that never arrives in time) are the client's, not Mend's. They answer
// with their own 4xx, and nothing is logged as a server failure (SECURITY F1, F2, G1), so an operator
// alerting on 5xx is not woken by a browser's pre-opened connection.
func TestConnectionLevelErrorsAreNot5xx(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	base := serve(t, app)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := "GET /login HTTP/1.1\r\nHost: x\r\nX-Padding: " + strings.Repeat("a", 20*1024) + "\r\n\r\n"
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("20 KB of headers: %d, want 431", resp.StatusCode)
	}
	if logs := app.Logs.String(); strings.Contains(logs, "request failed") {
		t.Errorf("a client's oversized headers were logged as a server failure:\n%s", logs)
	}
}

// TestIdleConnectionIsNotAServerFailure: a connection that sends nothing (a browser's pre-opened
// connection) is closed by the server once the read timeout has passed, without a 5xx answer or a
// server-failure log line. The read timeout is shortened so the close comes in a moment; the client's
// own deadline is only a guard, and reaching it fails the test.
func TestIdleConnectionIsNotAServerFailure(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	fs := app.Server.App().Server()
	if fs.ReadTimeout <= 0 {
		t.Fatal("the server has no read timeout")
	}
	fs.ReadTimeout = 200 * time.Millisecond
	base := serve(t, app)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(conn) // returns once the server closes the connection
	if err != nil {
		t.Fatalf("the server did not close a connection that sent nothing: %v", err)
	}
	if strings.HasPrefix(string(got), "HTTP/1.1 5") {
		t.Errorf("an idle connection was answered %.40q", got)
	}
	if logs := app.Logs.String(); strings.Contains(logs, "request failed") {
		t.Errorf("an idle connection was logged as a server failure:\n%s", logs)
	}
}

package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/mendhq/mend/internal/testutil"
)

var stylesheetRe = regexp.MustCompile(`href="(/static/[0-9a-f]{12}/css/bundle\.css)"`)

// TestOnlyStaticFilesAreCompressed covers SECURITY N1: stylesheets and scripts come compressed with
// Brotli or gzip when the browser accepts it (and decompress to the file itself), while pages and JSON
// carrying a CSRF token or session-bound data are never compressed, whatever the browser accepts.
func TestOnlyStaticFilesAreCompressed(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("zip")
	get := func(cl *testutil.Client, path, accept string) *testutil.Response {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		return cl.Do(req)
	}
	page := get(cp.A, "/dashboard", "")
	m := stylesheetRe.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("the dashboard links no stylesheet bundle: %s", page.Body)
	}
	plain := get(cp.A, m[1], "")
	if plain.Status != http.StatusOK || plain.Header.Get("Content-Encoding") != "" || !strings.Contains(plain.Body, "{") {
		t.Fatalf("stylesheet without Accept-Encoding: %d %q", plain.Status, plain.Header.Get("Content-Encoding"))
	}
	for _, tc := range []struct {
		accept, want string
		open         func(io.Reader) (io.Reader, error)
	}{
		{"gzip, deflate, br", "br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
		{"gzip", "gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{"br;q=0, gzip", "gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
	} {
		r := get(cp.A, m[1], tc.accept)
		if got := r.Header.Get("Content-Encoding"); got != tc.want || r.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("stylesheet with Accept-Encoding %q: Content-Encoding %q, Vary %q; want %q and Accept-Encoding", tc.accept, got, r.Header.Get("Vary"), tc.want)
			continue
		}
		if len(r.Body) >= len(plain.Body) {
			t.Errorf("%s stylesheet is %d bytes, not smaller than %d", tc.want, len(r.Body), len(plain.Body))
		}
		zr, err := tc.open(bytes.NewReader([]byte(r.Body)))
		if err != nil {
			t.Fatal(err)
		}
		back, err := io.ReadAll(zr)
		if err != nil || string(back) != plain.Body {
			t.Errorf("%s stylesheet does not decompress to the file (%v)", tc.want, err)
		}
	}
	anonymous := app.Client()
	for _, tc := range []struct {
		cl   *testutil.Client
		path string
	}{{cp.A, "/dashboard"}, {cp.A, "/agreements"}, {cp.A, "/checkins"}, {cp.A, "/account"}, {cp.A, "/api/v1/me"},
		{cp.A, "/api/v1/checkins"}, {anonymous, "/login"}, {anonymous, "/"}, {anonymous, "/guide"}} {
		path := tc.path
		r := get(tc.cl, path, "gzip, deflate, br, zstd")
		if r.Status != http.StatusOK {
			t.Errorf("%s: status %d", path, r.Status)
		}
		if enc := r.Header.Get("Content-Encoding"); enc != "" {
			t.Errorf("%s is compressed (%s): pages and JSON must never be (BREACH)", path, enc)
		}
	}
}

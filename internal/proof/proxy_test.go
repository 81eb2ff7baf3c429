package proof

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
)

// TestLinksNeverComeFromRequestHeaders covers SECURITY F5 for links: every request of a person
// carries a hostile Host, X-Forwarded-Host, X-Forwarded-Proto and Forwarded header; the invite link is
// built from MEND_BASE_URL, and no page, redirect or header of any answer names the hostile host.
func TestLinksNeverComeFromRequestHeaders(t *testing.T) {
	t.Parallel()
	app, base := serveApp(t)
	c := newNetClient(base)
	c.host = "evil.example"
	c.extra = http.Header{"X-Forwarded-Host": {"evil.example"}, "X-Forwarded-Proto": {"https"}, "Forwarded": {"host=evil.example;proto=https"}}
	c.signUp(t, "f5@example.org", "Fay")
	c.must(t, http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/London", "checkin_weekday": "sunday"}, http.StatusCreated, nil)
	var inv struct{ Token, URL string }
	c.must(t, http.MethodPost, "/api/v1/couple/invite", nil, http.StatusCreated, &inv)
	if inv.URL != app.Config.BaseURL+"/join/"+inv.Token {
		t.Errorf("invite url %q, want it built from MEND_BASE_URL %q", inv.URL, app.Config.BaseURL)
	}
	anon := newNetClient(base)
	anon.host, anon.extra = c.host, c.extra
	paths := []string{"/join/" + inv.Token, "/join/unknown-token-0123456789", "/reset/unknown-token-0123456789", "/no/such/page", "/api/v1/no/such"}
	for _, rt := range app.Server.App().GetRoutes(true) {
		if rt.Method == http.MethodGet && !strings.Contains(rt.Path, ":") && !strings.Contains(rt.Path, "*") {
			paths = append(paths, rt.Path)
		}
	}
	for _, cl := range []*netClient{c, anon} {
		for _, p := range paths {
			r := cl.send(context.Background(), http.MethodGet, p, nil)
			if r.Err != nil {
				t.Fatalf("GET %s: %v", p, r.Err)
			}
			if strings.Contains(string(r.Body), "evil.example") || strings.Contains(fmt.Sprint(r.Header), "evil.example") {
				t.Errorf("GET %s (%d) names the host from the request headers", p, r.Status)
			}
		}
	}
}

// TestForwardedForIsTrustedOnlyFromConfiguredProxies covers SECURITY F5 for client addresses: from
// 127.0.0.1, not a configured proxy, a different X-Forwarded-For on each sign-in attempt does not
// escape the per-client limit (about 20 a minute); once 127.0.0.1 is a configured proxy, it does.
func TestForwardedForIsTrustedOnlyFromConfiguredProxies(t *testing.T) {
	t.Parallel()
	attempts := func(base string) (limited int) {
		for i := range 25 {
			c := newNetClient(base) // each with its own X-Forwarded-For
			r := c.send(context.Background(), http.MethodPost, "/api/v1/auth/login",
				map[string]string{"email": fmt.Sprintf("nobody%d@example.org", i), "password": "not the password at all"})
			if r.Err != nil || r.Status >= 500 {
				t.Fatalf("attempt %d: %d %v", i, r.Status, r.Err)
			}
			if r.Status == http.StatusTooManyRequests {
				limited++
			}
		}
		return limited
	}
	_, untrusted := serveApp(t, func(c *config.Config) { c.TrustedProxies = nil })
	if n := attempts(untrusted); n < 4 {
		t.Errorf("without a trusted proxy, %d of 25 spoofed attempts were limited, want at least 4", n)
	}
	_, trusted := serveApp(t)
	if n := attempts(trusted); n != 0 {
		t.Errorf("behind a trusted proxy, %d attempts from 25 different people were limited", n)
	}
}

package server_test

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// credentials are what an anonymous visitor sends: a CSRF seed cookie and its token (so unsafe requests
// get past the CSRF check and reach the session check), and optionally a session that has ended.
type credentials struct {
	csrfSeed, csrfToken string
	cookie, bearer      string
}

var csrfMetaRe = regexp.MustCompile(`name="csrf-token" content="([^"]*)"`)

// anonymousCSRF fetches the sign-in page as a new visitor and returns its CSRF seed and token.
func anonymousCSRF(t *testing.T, app *fiber.App) credentials {
	t.Helper()
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/login", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var cr credentials
	for _, ck := range resp.Cookies() {
		if ck.Name == "mend_csrf" {
			cr.csrfSeed = ck.Value
		}
	}
	if m := csrfMetaRe.FindSubmatch(body); m != nil {
		cr.csrfToken = html.UnescapeString(string(m[1]))
	}
	return cr
}

// concretePath fills a Fiber route pattern's parameters with dummy values.
func concretePath(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		switch {
		case strings.HasPrefix(s, ":"):
			segs[i] = "dummy0123456789"
		case s == "*" || s == "+":
			segs[i] = "dummy"
		}
	}
	return strings.Join(segs, "/")
}

// unguardedRoutes calls every registered route that is not on the public list with cr, and returns a line
// for each one that does not answer 401 JSON (API) or 303 to /login (pages) (SECURITY C1).
func unguardedRoutes(t *testing.T, app *fiber.App, public []string, cr credentials) []string {
	t.Helper()
	isPublic := map[string]bool{}
	for _, p := range public {
		isPublic[p] = true
	}
	var problems []string
	for _, rt := range app.GetRoutes(true) {
		if isPublic[rt.Path] {
			continue
		}
		path := concretePath(rt.Path)
		req := httptest.NewRequest(rt.Method, path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		if cr.csrfSeed != "" {
			req.AddCookie(&http.Cookie{Name: "mend_csrf", Value: cr.csrfSeed})
			req.Header.Set("X-CSRF-Token", cr.csrfToken)
		}
		if cr.cookie != "" {
			req.AddCookie(&http.Cookie{Name: "mend_session", Value: cr.cookie})
		}
		if cr.bearer != "" {
			req.Header.Set("Authorization", "Bearer "+cr.bearer)
		}
		resp, err := app.Test(req, -1)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s %s: %v", rt.Method, rt.Path, err))
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.HasPrefix(rt.Path, "/api/") {
			var env struct {
				Error struct{ Code string } `json:"error"`
			}
			okJSON := strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
			if rt.Method != http.MethodHead && (json.Unmarshal(body, &env) != nil || env.Error.Code != "unauthorized") {
				okJSON = false
			}
			if resp.StatusCode != http.StatusUnauthorized || !okJSON {
				problems = append(problems, fmt.Sprintf("%s %s: %d %q, want 401 JSON unauthorized", rt.Method, rt.Path, resp.StatusCode, resp.Header.Get("Content-Type")))
			}
			continue
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			problems = append(problems, fmt.Sprintf("%s %s: %d to %q, want 303 to /login", rt.Method, rt.Path, resp.StatusCode, loc))
		}
	}
	sort.Strings(problems)
	return problems
}

// TestEveryRouteNeedsASession is the C1 test: it walks every registered route, whatever feature added it,
// and checks that everything off the explicit public list refuses a visitor without a live session.
func TestEveryRouteNeedsASession(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	fa := app.Server.App()
	routes := fa.GetRoutes(true)
	guarded := 0
	public := map[string]bool{}
	for _, p := range server.PublicRoutes() {
		public[p] = true
	}
	for _, rt := range routes {
		if !public[rt.Path] {
			guarded++
		}
	}
	if guarded < 10 {
		t.Fatalf("only %d guarded routes registered: the walk is not seeing the app's routes", guarded)
	}

	anon := anonymousCSRF(t, fa)
	if anon.csrfSeed == "" || anon.csrfToken == "" {
		t.Fatal("no CSRF seed or token for the anonymous visitor")
	}
	ended := acctAPIUser(t, app, "c1@example.org")
	browser := acctBrowserUser(t, app, "c1-page@example.org")
	endedCookie := sessionCookie(browser)
	browser.PostForm("/logout", nil)
	endedBearer := ended.Bearer
	ended.JSON(http.MethodPost, "/api/v1/auth/logout", nil)

	cases := map[string]credentials{
		"no credentials":       anon,
		"ended cookie session": {csrfSeed: anon.csrfSeed, csrfToken: anon.csrfToken, cookie: endedCookie},
		"ended bearer token":   {bearer: endedBearer},
		"garbage bearer token": {bearer: "garbage"},
	}
	for name, cr := range cases {
		for _, p := range unguardedRoutes(t, fa, server.PublicRoutes(), cr) {
			t.Errorf("%s: %s", name, p)
		}
	}
}

// TestRouteWalkCatchesAnUnguardedRoute shows the C1 walk fails for a route added without the session
// check, on the API and on pages, and passes a guarded one.
func TestRouteWalkCatchesAnUnguardedRoute(t *testing.T) {
	t.Parallel()
	app := fiber.New()
	app.Get("/naked-page", func(c *fiber.Ctx) error { return c.SendString("secret") })
	app.Post("/api/v1/naked", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"secret": true}) })
	app.Delete("/api/v1/things/:id", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
	app.Get("/guarded", func(c *fiber.Ctx) error { return c.Redirect("/login?next=/guarded", fiber.StatusSeeOther) })
	app.Get("/api/v1/guarded", func(c *fiber.Ctx) error {
		return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": fiber.Map{"code": "unauthorized"}})
	})
	got := unguardedRoutes(t, app, nil, credentials{})
	want := []string{"DELETE /api/v1/things/:id", "GET /naked-page", "HEAD /naked-page", "POST /api/v1/naked"}
	if len(got) != len(want) {
		t.Fatalf("walk found %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]+":") {
			t.Errorf("problem %d = %q, want it about %s", i, got[i], want[i])
		}
	}
	if got := unguardedRoutes(t, app, []string{"/naked-page", "/api/v1/naked", "/api/v1/things/:id"}, credentials{}); len(got) != 0 {
		t.Errorf("public routes were checked: %v", got)
	}

	// The same on the real app, with a route added outside the guarded routers.
	base := testutil.NewApp(t)
	srv, err := server.New(server.Deps{Config: base.Config, DB: base.DB, Now: base.Clock.Now, ExtraRoutes: func(r fiber.Router) {
		r.Get("/forgot-the-guard/:id", func(c *fiber.Ctx) error { return c.SendString("private") })
	}})
	if err != nil {
		t.Fatal(err)
	}
	got = unguardedRoutes(t, srv.App(), server.PublicRoutes(), anonymousCSRF(t, srv.App()))
	if len(got) != 2 || !strings.HasPrefix(got[0], "GET /forgot-the-guard/:id:") || !strings.HasPrefix(got[1], "HEAD /forgot-the-guard/:id:") {
		t.Errorf("walk over the real app with an unguarded route found: %v", got)
	}
}

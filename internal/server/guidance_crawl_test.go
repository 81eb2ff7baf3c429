package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/testutil"
)

// crawlResult is what an anonymous crawl over same-origin links found.
type crawlResult struct {
	Pages   map[string]string // path → body of every HTML page answered 200
	Fetched map[string]int    // path → status
	Errors  []string
}

// crawl follows every same-origin <a href>, <link href> and <script src> from start with GET, anonymously.
// 200 pages are read further; a 303 to sign-in (with this path as next) is fine for app pages; anything
// else, and any fragment that names no id on its page, is an error.
func crawl(app *testutil.App, start ...string) crawlResult {
	base, _ := url.Parse(app.Config.BaseURL)
	c := app.Client()
	res := crawlResult{Pages: map[string]string{}, Fetched: map[string]int{}}
	type fragment struct{ From, Page, ID string }
	var frags []fragment
	queue := append([]string{}, start...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if _, done := res.Fetched[p]; done {
			continue
		}
		r := c.Get(p)
		res.Fetched[p] = r.Status
		switch {
		case r.Status == http.StatusOK:
		case r.Status == http.StatusSeeOther && r.Header.Get("Location") == "/login?next="+url.QueryEscape(p):
			continue
		default:
			res.Errors = append(res.Errors, p+": status "+http.StatusText(r.Status)+" to "+r.Header.Get("Location"))
			continue
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			continue
		}
		res.Pages[p] = r.Body
		here, _ := url.Parse(base.String() + p)
		for _, tag := range guideTags(r.Body) {
			var ref string
			switch tag.Name {
			case "a", "link":
				ref = tag.Attrs["href"]
			case "script":
				ref = tag.Attrs["src"]
			}
			if ref == "" || tag.Attrs["id"] == "quick-exit" {
				continue
			}
			u, err := url.Parse(ref)
			if err != nil {
				res.Errors = append(res.Errors, p+": bad link "+ref)
				continue
			}
			u = here.ResolveReference(u)
			if u.Scheme != base.Scheme || u.Host != base.Host {
				continue // another origin: TestGuidanceLoadsNothingFromElsewhere forbids them on guidance pages
			}
			if u.Fragment != "" {
				frags = append(frags, fragment{p, u.RequestURI(), u.Fragment})
			}
			queue = append(queue, u.RequestURI())
		}
	}
	for _, f := range frags {
		if body, ok := res.Pages[f.Page]; ok && !strings.Contains(body, ` id="`+f.ID+`"`) {
			res.Errors = append(res.Errors, f.From+": link to "+f.Page+"#"+f.ID+": no such id")
		}
	}
	return res
}

func TestGuidanceCrawlFindsNoBrokenLinks(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	res := crawl(app, "/", "/guide")
	for _, e := range res.Errors {
		t.Error(e)
	}
	for _, pg := range guidancePages {
		if _, ok := res.Pages[pg.Path]; !ok {
			t.Errorf("the crawl never reached %s", pg.Path)
		}
	}
	var css, js int
	for p, st := range res.Fetched {
		if st == http.StatusOK && strings.HasPrefix(p, "/static/") {
			if strings.HasSuffix(p, ".css") {
				css++
			}
			if strings.HasSuffix(p, ".js") {
				js++
			}
		}
	}
	if css == 0 || js == 0 {
		t.Errorf("the crawl fetched %d stylesheets and %d scripts", css, js)
	}
}

// TestCrawlCatchesBrokenLinks: the crawler reports a 404, a fragment without its id, and accepts a sign-in
// redirect, so the test above can fail.
func TestCrawlCatchesBrokenLinks(t *testing.T) {
	t.Parallel()
	app, _ := newAppWith(t, func(r fiber.Router) {
		r.Get("/test/links", func(c *fiber.Ctx) error {
			c.Type("html")
			return c.SendString(`<a href="/test/missing">x</a> <a href="/guide#no-such-id">y</a> <a href="/dashboard">z</a>`)
		})
	})
	res := crawl(app, "/test/links")
	joined := strings.Join(res.Errors, "\n")
	if !strings.Contains(joined, "/test/missing") || !strings.Contains(joined, "no-such-id") || len(res.Errors) != 2 {
		t.Errorf("crawl errors: %q", res.Errors)
	}
}

// TestGuidanceLoadsNothingFromElsewhere covers SECURITY H3 and E2 for the guidance pages, signed in and not.
func TestGuidanceLoadsNothingFromElsewhere(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	user := app.Client()
	user.RegisterBrowser("origins@example.org", "Origins")
	for _, pg := range guidancePages {
		for who, c := range map[string]*testutil.Client{"anonymous": app.Client(), "signed in": user} {
			r := c.Get(pg.Path)
			if r.Status != http.StatusOK {
				t.Fatalf("%s %s: status %d", who, pg.Path, r.Status)
			}
			if n := strings.Count(r.Body, "<script"); n != 2 {
				t.Errorf("%s %s: %d scripts, want only the app's own two (early.js and app.js)", who, pg.Path, n)
			}
			for _, p := range guideOriginProblems(r.Body, app.Config.QuickExitURL) {
				t.Errorf("%s %s: %s", who, pg.Path, p)
			}
		}
	}
	bad := `<a href="https://example.net/x">x</a><img src="//cdn.example/x.png"><script>alert(1)</script>` +
		`<script src="https://cdn.example/x.js"></script><p onclick="x()" style="color:red">p</p>` +
		`<a id="quick-exit" href="https://elsewhere.example/">exit</a><iframe src="/x"></iframe>`
	if got := guideOriginProblems(bad, app.Config.QuickExitURL); len(got) < 8 {
		t.Errorf("the checker missed problems in a bad page: %q", got)
	}
}

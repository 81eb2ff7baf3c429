package proof

import (
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// responseProblems returns what is wrong with the headers and links of one answer (SECURITY E2–E5, H3).
func responseProblems(quickExit string, ex exchange) []string {
	var out []string
	h := ex.Resp.Header
	want := map[string]string{
		"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
		"Cross-Origin-Opener-Policy": "same-origin", "Cache-Control": "no-store",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			out = append(out, fmt.Sprintf("%s: %q, want %q", k, got, v))
		}
	}
	if h.Get("Permissions-Policy") == "" {
		out = append(out, "no Permissions-Policy")
	}
	if got := h.Get("Content-Security-Policy"); got != server.CSPFor(quickExit) {
		out = append(out, fmt.Sprintf("Content-Security-Policy %q", got))
	}
	// JSON is UTF-8 by definition (RFC 8259); every other body names its charset.
	ct := h.Get("Content-Type")
	if ex.Resp.Body != "" && !strings.Contains(ct, "charset=utf-8") && ct != "application/json" {
		out = append(out, fmt.Sprintf("Content-Type %q without charset", ct))
	}
	if strings.Contains(ex.Path, "/api/") && ex.Resp.Body != "" && !strings.HasPrefix(ct, "application/json") {
		out = append(out, fmt.Sprintf("the API answered %q", ct))
	}
	if !strings.HasPrefix(ct, "text/html") {
		return out
	}
	out = append(out, htmlProblems(ex.Resp.Body)...)
	for _, tag := range startTags(ex.Resp.Body) {
		for _, a := range []string{"src", "href", "action", "formaction", "srcset", "poster", "data", "background"} {
			v, ok := tag.Attrs[a]
			if !ok || strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") || strings.HasPrefix(v, "#") || strings.HasPrefix(v, "?") {
				continue
			}
			if tag.Name == "a" && a == "href" && v == quickExit && tag.Attrs["rel"] == "noreferrer" {
				continue // the quick-exit link is a navigation away, not a request made by the page
			}
			out = append(out, fmt.Sprintf("<%s %s=%q> is not same-origin", tag.Name, a, v))
		}
	}
	return out
}

// TestEveryAnswerHasSafeHeadersAndSameOriginLinks covers SECURITY E2, E3, E4, E5 and H3 over every
// answer of a journey (pages, forms, redirects, errors, API answers and the export) and every page of
// the app for both partners and a visitor: security headers and no-store everywhere, the exact CSP on
// every page, a charset on every body, JSON from the API, and every src, href and action same-origin
// (the quick-exit link aside).
func TestEveryAnswerHasSafeHeadersAndSameOriginLinks(t *testing.T) {
	t.Parallel()
	j := newJourney(t, func(f string) string { return "Words for " + f })
	j.run()
	j.crawl(true)
	j.finish()
	j.crawl(false)
	j.erase()
	for _, ex := range j.seen {
		for _, p := range responseProblems(j.app.Config.QuickExitURL, ex) {
			t.Errorf("%s %s %s (%d): %s", ex.Who, ex.Method, ex.Path, ex.Resp.Status, p)
		}
	}
	var logout *exchange
	cl := j.app.Client()
	cl.RegisterBrowser("leaver@example.org", "Leaver")
	r := cl.PostForm("/logout", nil)
	logout = &exchange{"leaver", http.MethodPost, "/logout", r}
	if got := logout.Resp.Header.Get("Clear-Site-Data"); !strings.Contains(got, `"cookies"`) || !strings.Contains(got, `"storage"`) {
		t.Errorf("logout: Clear-Site-Data %q, want cookies and storage cleared (E4)", got)
	}
}

// TestHeaderCheckCatchesMistakes shows the check above fails on what it looks for.
func TestHeaderCheckCatchesMistakes(t *testing.T) {
	t.Parallel()
	good := http.Header{}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
		"Cross-Origin-Opener-Policy": "same-origin", "Cache-Control": "no-store", "Permissions-Policy": "camera=()",
		"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": server.CSPFor("https://example.org/w")} {
		good.Set(k, v)
	}
	page := func(body string, drop ...string) exchange {
		h := good.Clone()
		for _, k := range drop {
			h.Del(k)
		}
		return exchange{"x", "GET", "/p", &testutil.Response{Status: 200, Header: h, Body: body}}
	}
	if p := responseProblems("https://example.org/w", page(`<a href="https://example.org/w" rel="noreferrer">x</a><img src="/i.png">`)); len(p) != 0 {
		t.Fatalf("a good page was flagged: %v", p)
	}
	for _, ex := range []exchange{
		page(`<p>x</p>`, "Cache-Control"),
		page(`<p>x</p>`, "Content-Security-Policy"),
		page(`<img src="https://cdn.example.com/i.png">`),
		page(`<link rel="stylesheet" href="//fonts.example.com/f.css">`),
		page(`<form action="https://elsewhere.example/post">`),
	} {
		if len(responseProblems("https://example.org/w", ex)) == 0 {
			t.Errorf("not caught: %s %v", ex.Resp.Body, ex.Resp.Header)
		}
	}
}

// dbState is every row of every table, on either engine, as text, except the sessions' last-seen times
// (which any signed-in request moves forward, by design: the idle timeout is counted from them) and the
// page-view marks of "For you" (update_marks rows whose mark is "page:…"), which viewing a page writes, by
// design (DESIGN §5.2: an update is seen when its page is viewed). They are read receipts of the viewer's
// own: they change nothing any feature shows but the viewer's own "new" badges. Marks by id (POST only) count.
func dbState(t *testing.T, app *testutil.App) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
	if app.Engine == config.EnginePostgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
	}
	var tables []string
	if err := app.DB.Raw(q).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, table := range tables {
		rows, err := app.DB.Raw("SELECT * FROM " + table).Rows() // table names from the engine's catalogue
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			if table == "update_marks" {
				var user, mark, seen any
				if err := rows.Scan(&user, &mark, &seen); err != nil {
					t.Fatalf("%s: %v", table, err)
				}
				if raw, ok := mark.([]byte); ok {
					mark = string(raw)
				}
				if m, _ := mark.(string); strings.HasPrefix(m, "page:") {
					continue
				}
				out = append(out, fmt.Sprintf("%s: user_id=%v mark=%v seen_at=%v", table, user, mark, seen))
				continue
			}
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			if table == "throttle_keys" || table == "throttle_hits" {
				// The throttles' counts: a throttled lookup (confirmation and feed links, SECURITY L4) counts
				// on a GET, by design, and the counts are in the database so every instance shares them.
				continue
			}
			var b strings.Builder
			for i, c := range cols {
				if table == "sessions" && strings.HasPrefix(c, "last_seen") {
					continue
				}
				if raw, ok := vals[i].([]byte); ok {
					vals[i] = string(raw)
				}
				fmt.Fprintf(&b, " %s=%v", c, vals[i])
			}
			out = append(out, table+":"+b.String())
		}
		rows.Close()
	}
	sort.Strings(out)
	return out
}

// TestGetAndHeadNeverChangeState covers SECURITY D1: with a couple in the middle of everything (open
// agreements, an opened check-in, a pause, the plan), every GET page and API route and every HEAD is
// requested by both partners and a visitor; not one row of the database changes.
func TestGetAndHeadNeverChangeState(t *testing.T) {
	t.Parallel()
	j := newJourney(t, func(f string) string { return "Words for " + f })
	j.run()
	before := dbState(t, j.app)
	j.crawl(true)
	pages, _ := j.getPaths(false)
	for _, cl := range []*testutil.Client{j.A, j.B, j.app.Client()} {
		for _, p := range pages {
			cl.Do(httptestRequest(http.MethodHead, p))
		}
	}
	after := dbState(t, j.app)
	if !reflect.DeepEqual(before, after) {
		was := map[string]bool{}
		for _, r := range before {
			was[r] = true
		}
		for _, r := range after {
			if !was[r] {
				t.Errorf("a GET or HEAD changed the database: %s", r)
			}
		}
		if len(after) != len(before) {
			t.Errorf("rows before %d, after %d", len(before), len(after))
		}
	}
}

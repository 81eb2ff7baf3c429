package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/guidance"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// guidancePages are the public guidance pages and their neutral titles.
var guidancePages = []struct{ Path, Title string }{
	{"/guide", "Guide"},
	{"/guide/rebuild-trust", "Guide: six steps"},
	{"/communication-skills", "Guide: talking and listening"},
	{"/forgiveness-after-betrayal", "Guide: in its own time"},
	{"/couples-therapy", "Guide: getting support"},
	{"/safety", "Privacy and help"},
	{"/guide/for-the-hurt-partner", "Guide: your own pace"},
	{"/guide/for-the-partner-who-broke-trust", "Guide: showing change"},
}

// featurePages are the app pages the guide sends readers to practise a step (DESIGN §3.1).
var featurePages = []string{"/acknowledgment", "/agreements/new", "/checkins", "/plan", "/moments", "/progress"}

func TestGuidancePagesArePublic(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	if len(guidance.Paths()) != len(guidancePages) {
		t.Fatalf("guidance serves %v; the test knows %d pages", guidance.Paths(), len(guidancePages))
	}
	for _, pg := range guidancePages {
		t.Run(pg.Path, func(t *testing.T) {
			r := app.Client().Get(pg.Path)
			if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, type %q", r.Status, r.Header.Get("Content-Type"))
			}
			if !strings.Contains(r.Body, "<title>"+pg.Title+"</title>") {
				t.Errorf("title is not %q", pg.Title)
			}
			exit, main := strings.Index(r.Body, `id="quick-exit"`), strings.Index(r.Body, "<main")
			if exit < 0 || main < 0 || exit > main {
				t.Errorf("quick exit missing or after the content (%d, %d)", exit, main)
			}
			if first := guideFirstLink(r.Body); first.Attrs["id"] != "quick-exit" {
				t.Errorf("first link is %v, want the quick exit", first.Attrs)
			}
			footer := r.Body[max(strings.Index(r.Body, "<footer"), 0):]
			if !strings.Contains(footer, "Mend is not therapy and not a crisis service") || !strings.Contains(footer, `href="/safety"`) {
				t.Error("footer disclaimer with the safety link missing")
			}
			if n := strings.Count(r.Body, "<h1"); n != 1 {
				t.Errorf("%d <h1> elements", n)
			}
			if r.Header.Get("Content-Security-Policy") != server.CSPFor(app.Config.QuickExitURL) {
				t.Errorf("CSP %q", r.Header.Get("Content-Security-Policy"))
			}
		})
	}
}

func guideFirstLink(body string) guideTag {
	for _, t := range guideTags(body) {
		if t.Name == "a" || t.Name == "button" || t.Name == "input" {
			return t
		}
	}
	return guideTag{}
}

// TestRebuildTrustCoversTheArticle: every step, challenge, checklist item and question of the article has
// its own heading or list item on /guide/rebuild-trust.
func TestRebuildTrustCoversTheArticle(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	body := app.Client().Get("/guide/rebuild-trust").Body
	headings := []struct{ ID, Words string }{
		{"why-trust-breaks", "why trust breaks"},
		{"step-1-acknowledge", "acknowledge|own it"},
		{"step-2-transparency", "routines|open"},
		{"step-3-check-ins", "talk|structured"},
		{"step-4-agreements", "agree|expect"},
		{"step-5-support", "professional support"},
		{"step-6-intimacy", "closeness|slowly"},
		{"resentment-and-anger", "resentment|anger"},
		{"doubt-and-hypervigilance", "doubt|hypervigilance"},
		{"slow-progress", "slow progress"},
		{"checklist", "action plan"},
		{"how-long", "how much time"},
		{"forgive-immediately", "forgive|straight away"},
		{"when-therapy", "couples therapist"},
	}
	for _, h := range headings {
		text := guideHeadingText(body, h.ID)
		if text == "" {
			t.Errorf("no heading with id %q", h.ID)
			continue
		}
		for _, w := range strings.Split(h.Words, "|") {
			if !strings.Contains(strings.ToLower(text), w) {
				t.Errorf("heading #%s %q does not say %q", h.ID, text, w)
			}
		}
		if !strings.Contains(body, `href="#`+h.ID+`"`) {
			t.Errorf("table of contents has no link to #%s", h.ID)
		}
	}
	checklist := []string{"apologise|specifically", "boundaries|safety measures", "weekly check-in", "active listening", "couples therapy"}
	items := guideListItems(guideSection(body, "checklist"))
	if len(items) != len(checklist) {
		t.Fatalf("checklist has %d items, want %d: %q", len(items), len(checklist), items)
	}
	for i, want := range checklist {
		for _, w := range strings.Split(want, "|") {
			if !strings.Contains(strings.ToLower(items[i]), w) {
				t.Errorf("checklist item %d %q does not say %q", i+1, items[i], w)
			}
		}
	}
	for _, link := range []string{"/communication-skills", "/forgiveness-after-betrayal", "/couples-therapy"} {
		if !strings.Contains(guideSection(body, "further-reading"), `href="`+link+`"`) {
			t.Errorf("further reading lacks %s", link)
		}
	}
}

// TestStepsLinkToTheFeatureThatPractisesThem registers stand-ins for the feature pages and checks each step
// links to its feature, with a sign-in note for anonymous readers only.
func TestStepsLinkToTheFeatureThatPractisesThem(t *testing.T) {
	t.Parallel()
	app, _ := newAppWith(t, func(r fiber.Router) {
		for _, p := range featurePages {
			r.Get(p, func(c *fiber.Ctx) error { return c.SendString("feature") })
		}
	})
	anon := app.Client().Get("/guide/rebuild-trust").Body
	steps := map[string]string{
		"step-1-acknowledge": "/acknowledgment", "step-2-transparency": "/agreements/new", "step-3-check-ins": "/checkins",
		"step-4-agreements": "/agreements/new", "step-5-support": "/plan", "step-6-intimacy": "/moments",
		"resentment-and-anger": "/checkins", "slow-progress": "/progress", "checklist": "/plan",
	}
	for id, href := range steps {
		if !strings.Contains(guideSection(anon, id), `<p class="practise"><a href="`+href+`">Practise this`) {
			t.Errorf("#%s has no practise link to %s", id, href)
		}
	}
	const note = "you will be asked to sign in"
	if !strings.Contains(anon, note) {
		t.Error("anonymous readers are not told that practising needs an account")
	}
	c := app.Client()
	c.RegisterBrowser("reader@example.org", "Reader")
	if signedIn := c.Get("/guide/rebuild-trust").Body; strings.Contains(signedIn, note) {
		t.Error("signed-in readers are asked to sign in")
	}
}

// TestPractiseLinksFollowTheSession: every link from the guidance to an app page leads through sign-in
// when anonymous and straight to the page when signed in.
func TestPractiseLinksFollowTheSession(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	user := app.Client()
	user.RegisterBrowser("practise@example.org", "Practise")
	links := map[string]bool{}
	for _, pg := range guidancePages {
		for _, tag := range guideTags(app.Client().Get(pg.Path).Body) {
			href := tag.Attrs["href"]
			if tag.Name != "a" || !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "/static/") || isGuidancePath(href) {
				continue
			}
			links[strings.SplitN(href, "#", 2)[0]] = true
		}
	}
	for _, want := range []string{"/agreements/new", "/checkins", "/acknowledgment", "/plan", "/moments", "/progress"} {
		if !links[want] {
			t.Errorf("no guidance page links to the feature %s", want)
		}
	}
	for link := range links {
		if link == "/" || link == "/login" || link == "/register" {
			continue
		}
		r := app.Client().Get(link)
		if want := "/login?next=" + url.QueryEscape(link); r.Status != http.StatusSeeOther || r.Header.Get("Location") != want {
			t.Errorf("anonymous %s: %d to %q, want 303 to %q", link, r.Status, r.Header.Get("Location"), want)
		}
		r = user.Get(link)
		if r.Status == http.StatusNotFound || strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("signed in %s: %d to %q", link, r.Status, r.Header.Get("Location"))
		}
	}
}

func isGuidancePath(href string) bool {
	for _, p := range guidance.Paths() {
		if href == p || strings.HasPrefix(href, p+"#") {
			return true
		}
	}
	return false
}

// guideHeadingText returns the text of the h2 or h3 with id, or "".
func guideHeadingText(body, id string) string {
	for _, level := range []string{"h2", "h3"} {
		open := "<" + level + ` id="` + id + `">`
		if i := strings.Index(body, open); i >= 0 {
			rest := body[i+len(open):]
			return guideTagRe.ReplaceAllString(rest[:strings.Index(rest, "</"+level+">")], "")
		}
	}
	return ""
}

// section returns the HTML from the heading with id to the next heading of the same or a higher level.
func guideSection(body, id string) string {
	i := strings.Index(body, ` id="`+id+`"`)
	if i < 1 {
		return ""
	}
	level := body[i-1 : i] // the digit of <h2 or <h3
	rest := body[i:]
	end := len(rest)
	for l := '2'; l <= rune(level[0]); l++ {
		if j := strings.Index(rest, "<h"+string(l)); j >= 0 && j < end {
			end = j
		}
	}
	return rest[:end]
}

// guideListItems returns the text of each <li> in s.
func guideListItems(s string) []string {
	var out []string
	for _, part := range strings.Split(s, "<li>")[1:] {
		out = append(out, guideTagRe.ReplaceAllString(strings.SplitN(part, "</li>", 2)[0], ""))
	}
	return out
}

// TestEachPartnersPathLinksTheTools: the two paths link the trigger log, the questions and the
// acknowledgment; the guide's challenges link the tools and the tools link back to their passage.
func TestEachPartnersPathLinksTheTools(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	anon := app.Client()
	for _, p := range []string{"/guide/for-the-hurt-partner", "/guide/for-the-partner-who-broke-trust"} {
		body := anon.Get(p).Body
		for _, href := range []string{"/triggers", "/questions", "/acknowledgment", "/safety"} {
			if !strings.Contains(body, `href="`+href+`"`) {
				t.Errorf("%s has no link to %s", p, href)
			}
		}
	}
	guide := anon.Get("/guide/rebuild-trust").Body
	for _, sec := range []string{"doubt-and-hypervigilance", "resentment-and-anger"} {
		section := guideSection(guide, sec)
		for _, href := range []string{"/triggers", "/questions"} {
			if !strings.Contains(section, `href="`+href+`"`) {
				t.Errorf("the guide's #%s has no link to %s", sec, href)
			}
		}
	}
	safety := anon.Get("/safety").Body
	for _, want := range []string{`href="/triggers"`, `href="/questions"`, "warning sign",
		// Encryption at rest, as it is (issue 22): what it protects and what it does not.
		`id="who-can-read"`, "old backups included", "The people who run this Mend server", "not end-to-end encryption"} {
		if !strings.Contains(safety, want) {
			t.Errorf("/safety does not say %q", want)
		}
	}
	index := anon.Get("/guide").Body
	for _, href := range []string{"/guide/for-the-hurt-partner", "/guide/for-the-partner-who-broke-trust"} {
		if !strings.Contains(index, `href="`+href+`"`) {
			t.Errorf("/guide does not list %s", href)
		}
	}
}

package guidance

import (
	"html"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/mendhq/mend/web"
)

// pageHTML returns everything a page renders from its Markdown.
func pageHTML(p *Page) string { return string(p.Intro) + string(p.Body) }

func loadLibrary(t *testing.T) *Library {
	t.Helper()
	lib, err := Load(web.FS)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return lib
}

// topicWords would reveal what Mend is about on a lock screen or a shared screen's tab bar.
var topicWords = []string{"trust", "betray", "affair", "infidel", "forgiv", "therap", "abuse", "cheat", "partner", "couple", "safety"}

func TestEveryPageRenders(t *testing.T) {
	t.Parallel()
	lib := loadLibrary(t)
	if got, want := len(lib.Pages()), 8; got != want {
		t.Fatalf("pages: got %d, want %d", got, want)
	}
	for _, path := range Paths() {
		p := lib.Page(path)
		if p == nil {
			t.Errorf("%s: no page", path)
			continue
		}
		if p.Heading == "" || len(pageHTML(p)) < 500 {
			t.Errorf("%s: heading %q, body of %d bytes", path, p.Heading, len(pageHTML(p)))
		}
		if strings.Contains(pageHTML(p), "<h1") {
			t.Errorf("%s: the body still holds the first-level heading", path)
		}
		if strings.Contains(pageHTML(p), "raw HTML omitted") {
			t.Errorf("%s: raw HTML in the Markdown", path)
		}
		for _, w := range topicWords {
			if strings.Contains(strings.ToLower(p.Title), w) {
				t.Errorf("%s: title %q is not neutral (%q)", path, p.Title, w)
			}
		}
	}
}

func TestRenderRefusesUnsafeMarkdown(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, src string }{
		{"raw html block", "# T\n\n<script>alert(1)</script>\n"},
		{"inline html", "# T\n\nhello <img src=x onerror=alert(1)>\n"},
		{"external link", "# T\n\n[x](https://example.org/)\n"},
		{"protocol-relative link", "# T\n\n[x](//example.org/)\n"},
		{"javascript link", "# T\n\n[x](javascript:alert(1))\n"},
		{"autolink", "# T\n\n<https://example.org>\n"},
		{"image", "# T\n\n![x](/static/x.png)\n"},
		{"style attribute", "# T\n\n## H {style=\"color:red\"}\n"},
		{"no heading", "just text\n"},
		{"two headings", "# A\n\n# B\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if p, err := render([]byte(tc.src), 2); err == nil {
				t.Errorf("rendered without error: %q", p.Body)
			}
		})
	}
}

func TestRenderHeadingsAndPractiseLinks(t *testing.T) {
	t.Parallel()
	src := "# Title *here*\n\nIntro.\n\n## First {#first}\n\n### Sub\n\n[Practise this: do it](/agreements/new)\n\n## Second\n"
	p, err := render([]byte(src), 3)
	if err != nil {
		t.Fatal(err)
	}
	if p.Heading != "Title here" {
		t.Errorf("heading %q", p.Heading)
	}
	body := pageHTML(p)
	for _, want := range []string{`<h2 id="first">First</h2>`, `<h3 id="sub">Sub</h3>`, `<h2 id="second">Second</h2>`,
		`<p class="practise"><a href="/agreements/new">Practise this: do it</a></p>`} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %s:\n%s", want, body)
		}
	}
	if !p.Practise {
		t.Error("Practise not set")
	}
	if len(p.TOC) != 2 || p.TOC[0].ID != "first" || len(p.TOC[0].Children) != 1 || p.TOC[0].Children[0].ID != "sub" {
		t.Errorf("toc %+v", p.TOC)
	}
}

var (
	hrefRe = regexp.MustCompile(`href="([^"]*)"`)
	idRe   = regexp.MustCompile(`id="([^"]*)"`)
	tagRe  = regexp.MustCompile(`<[^>]*>`)
)

// ids returns the element ids in each page's body.
func ids(lib *Library) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, p := range lib.Pages() {
		out[p.Path] = map[string]bool{}
		for _, m := range idRe.FindAllStringSubmatch(pageHTML(p), -1) {
			out[p.Path][m[1]] = true
		}
	}
	return out
}

// TestLinksToGuidanceResolve: every link from one guidance page to another, and every step link handed
// to feature pages, names an existing page and, with a fragment, an existing heading on it.
func TestLinksToGuidanceResolve(t *testing.T) {
	t.Parallel()
	lib := loadLibrary(t)
	known := ids(lib)
	check := func(from, href string) {
		target, frag, _ := strings.Cut(href, "#")
		if target == "" {
			target = from
		}
		anchors, isGuide := known[target]
		if !isGuide {
			if frag != "" {
				t.Errorf("%s: link %q has a fragment but is not a guidance page", from, href)
			}
			return
		}
		if frag != "" && !anchors[frag] {
			t.Errorf("%s: link %q: no id %q on %s", from, href, frag, target)
		}
	}
	for _, p := range lib.Pages() {
		for _, m := range hrefRe.FindAllStringSubmatch(pageHTML(p), -1) {
			check(p.Path, html.UnescapeString(m[1]))
		}
	}
	links := StepLinks()
	if len(links) < 10 {
		t.Fatalf("only %d step links", len(links))
	}
	for feature, href := range links {
		if _, ok := known[strings.SplitN(href, "#", 2)[0]]; !ok {
			t.Errorf("StepLink(%q) = %q is not a guidance page", feature, href)
		}
		check("StepLink("+feature+")", href)
		if StepLink(feature) != href || StepLabel(feature) == "The guide" {
			t.Errorf("StepLink/StepLabel(%q) disagree with StepLinks", feature)
		}
	}
	if got := StepLink("agreements"); got != "/guide/rebuild-trust#step-4-agreements" {
		t.Errorf("StepLink(agreements) = %q", got)
	}
	if got := StepLink("no-such-feature"); got != "/guide" {
		t.Errorf("unknown feature: %q", got)
	}
}

var wordRe = regexp.MustCompile(`[a-z0-9']+`)

// words lower-cases s and splits it into words, treating typographic apostrophes as plain ones.
func words(s string) []string {
	s = strings.NewReplacer("’", "'", "‘", "'").Replace(strings.ToLower(s))
	return wordRe.FindAllString(s, -1)
}

// copiedRuns returns every run of n consecutive words of text that also appears in source.
func copiedRuns(source []string, text string, n int) []string {
	seen := map[string]bool{}
	for _, line := range source {
		w := words(line)
		for i := 0; i+n <= len(w); i++ {
			seen[strings.Join(w[i:i+n], " ")] = true
		}
	}
	var out []string
	w := words(text)
	for i := 0; i+n <= len(w); i++ {
		if run := strings.Join(w[i:i+n], " "); seen[run] {
			out = append(out, run)
		}
	}
	return out
}

// TestNoCopiedSentences: the pages say the article's points in Mend's own words; no run of 8 words of the
// article's key sentences (testdata/article-sentences.txt) appears in any page.
func TestNoCopiedSentences(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/article-sentences.txt")
	if err != nil {
		t.Fatal(err)
	}
	var source []string
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			source = append(source, l)
		}
	}
	if len(source) < 30 {
		t.Fatalf("fixture has only %d sentences", len(source))
	}
	// The check itself must be able to fail: a copied sentence is caught.
	if len(copiedRuns(source, "<p>Predictability reduces anxiety. Share calendars, phone access if appropriate.</p>", 8)) == 0 {
		t.Fatal("copiedRuns misses a copied sentence")
	}
	lib := loadLibrary(t)
	for _, p := range lib.Pages() {
		text := html.UnescapeString(tagRe.ReplaceAllString(p.Heading+" "+pageHTML(p), " "))
		if runs := copiedRuns(source, text, 8); len(runs) > 0 {
			t.Errorf("%s copies the article: %q", p.Path, runs)
		}
	}
}

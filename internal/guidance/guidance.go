// Package guidance serves Mend's guidance: the article on rebuilding trust and the pages around it,
// written in Markdown under web/guidance and rendered to HTML once, at start.
package guidance

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
)

// Page is one rendered guidance page.
type Page struct {
	// Path is the URL path the page is served at, such as "/guide/rebuild-trust".
	Path string
	// Title is the short, neutral text for <title>: nothing that reveals the topic on a lock screen.
	Title string
	// Heading is the text of the Markdown's first-level heading, shown as the page's <h1>.
	Heading string
	// Intro is the rendered Markdown before the first second-level heading (without the first-level
	// heading); Body is the rest. The table of contents goes between them.
	//
	// Both are template.HTML because they are rendered by goldmark from Mend's own Markdown, embedded in the
	// binary at build time (web/guidance/*.md); no user input and no other source ever reaches it. Raw HTML
	// in the Markdown is refused at load (and goldmark's unsafe mode stays off), and every link must be a
	// path on this site, so the trusted output cannot carry scripts, styles or other origins.
	Intro, Body template.HTML
	// TOC lists the page's sections for the "On this page" box; empty when the page has none.
	TOC []TOCEntry
	// Practise reports whether the page links to app features ("Practise this: …").
	Practise bool
}

// TOCEntry is one line of a page's table of contents.
type TOCEntry struct {
	ID       string
	Text     string
	Children []TOCEntry
}

// spec describes one page: where it is served, its source file and its neutral title.
type spec struct {
	Path, File, Title string
	// TOCDepth is the deepest heading level listed in the table of contents (0: no table).
	TOCDepth int
}

// specs lists every guidance page, in reading order.
var specs = []spec{
	{Path: "/guide", File: "guide.md", Title: "Guide"},
	{Path: "/guide/rebuild-trust", File: "rebuild-trust.md", Title: "Guide: six steps", TOCDepth: 3},
	{Path: "/communication-skills", File: "communication-skills.md", Title: "Guide: talking and listening", TOCDepth: 2},
	{Path: "/forgiveness-after-betrayal", File: "forgiveness-after-betrayal.md", Title: "Guide: in its own time", TOCDepth: 2},
	{Path: "/couples-therapy", File: "couples-therapy.md", Title: "Guide: getting support", TOCDepth: 2},
	{Path: "/safety", File: "safety.md", Title: "Privacy and help", TOCDepth: 2},
	{Path: "/guide/for-the-hurt-partner", File: "for-the-hurt-partner.md", Title: "Guide: your own pace", TOCDepth: 2},
	{Path: "/guide/for-the-partner-who-broke-trust", File: "for-the-partner-who-broke-trust.md", Title: "Guide: showing change", TOCDepth: 2},
}

// Paths returns the URL path of every guidance page, in reading order.
func Paths() []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Path
	}
	return out
}

// Library holds every guidance page, rendered.
type Library struct {
	pages  []*Page
	byPath map[string]*Page
}

// Load renders every guidance page from fsys, which holds guidance/*.md (web.FS). It fails on a
// missing file, a page without a first-level heading, raw HTML, or a link that leaves the site.
func Load(fsys fs.FS) (*Library, error) {
	lib := &Library{byPath: map[string]*Page{}}
	for _, s := range specs {
		src, err := fs.ReadFile(fsys, path.Join("guidance", s.File))
		if err != nil {
			return nil, fmt.Errorf("guidance: %w", err)
		}
		p, err := render(src, s.TOCDepth)
		if err != nil {
			return nil, fmt.Errorf("guidance: %s: %w", s.File, err)
		}
		p.Path, p.Title = s.Path, s.Title
		lib.pages = append(lib.pages, p)
		lib.byPath[s.Path] = p
	}
	return lib, nil
}

// Pages returns every page in reading order.
func (l *Library) Pages() []*Page { return append([]*Page(nil), l.pages...) }

// Page returns the page served at urlPath, or nil.
func (l *Library) Page(urlPath string) *Page { return l.byPath[urlPath] }

package server

import (
	"html/template"
	"io/fs"
	"path"
	"strings"
	"testing"
	"testing/fstest"
	"text/template/parse"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/web"
)

// TestEveryPageHasItsTemplates builds the renderer and checks each page file has a set holding the
// layout and the page's content, and that no two sets share a parse tree (html/template rewrites a
// set's trees as it escapes them, so a shared tree would be escaped twice).
func TestEveryPageHasItsTemplates(t *testing.T) {
	t.Parallel()
	r, err := newRenderer(config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(web.FS, "templates/pages/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no pages: %v", err)
	}
	owner := map[*parse.Tree]string{}
	claim := func(set string, tmpl *template.Template) {
		for _, d := range tmpl.Templates() {
			if d.Tree == nil {
				continue
			}
			if other, ok := owner[d.Tree]; ok {
				t.Errorf("template %q: %s and %s share one parse tree", d.Name(), set, other)
			}
			owner[d.Tree] = set
		}
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		set, ok := r.pages[name]
		if !ok {
			t.Errorf("no template set for page %s", name)
			continue
		}
		for _, want := range []string{"layout", "content"} {
			if set.Lookup(want) == nil {
				t.Errorf("page %s lacks %q", name, want)
			}
		}
		claim("page "+name, set)
	}
	if r.partials.Lookup("csrf") == nil || r.partials.Lookup("layout") == nil {
		t.Error("the partials set lacks the shared templates")
	}
	claim("partials", r.partials)
}

// TestPageListMatchesThePageFiles checks that the explicit list of pages and the page files agree: a
// page file without an entry, or an entry without its file, stops the renderer with a message naming it.
func TestPageListMatchesThePageFiles(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"templates/layout.html":          {Data: []byte(`{{define "layout"}}<main>{{template "content" .}}</main>{{end}}`)},
		"templates/partials/forms.html":  {Data: []byte(`{{define "csrf"}}csrf{{end}}`)},
		"templates/partials/things.html": {Data: []byte(`{{define "thing"}}a thing{{end}}`)},
		"templates/pages/things.html":    {Data: []byte(`{{define "content"}}{{template "thing" .}}{{end}}`)},
		"templates/pages/forgotten.html": {Data: []byte(`{{define "content"}}forgotten{{end}}`)},
	}
	_, _, err := parsePages(fsys, map[string][]string{"things": {"things"}}, nil)
	if err == nil || !strings.Contains(err.Error(), "forgotten.html has no entry") {
		t.Errorf("a page file without an entry gave %v, want an error naming it", err)
	}
	_, _, err = parsePages(fsys, map[string][]string{"things": {"things"}, "forgotten": nil, "ghost": nil}, nil)
	if err == nil || !strings.Contains(err.Error(), `"ghost"`) {
		t.Errorf("an entry without its page file gave %v, want an error naming it", err)
	}
	pages, _, err := parsePages(fsys, map[string][]string{"things": {"things"}, "forgotten": nil}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := pages["things"].ExecuteTemplate(&b, "layout", nil); err != nil || b.String() != "<main>a thing</main>" {
		t.Errorf("things page = %q, %v", b.String(), err)
	}
	if pages["forgotten"].Lookup("thing") != nil {
		t.Error("a page got a partial file it does not list")
	}
}

package server

import (
	"html/template"
	"io/fs"
	"path"
	"strings"
	"testing"
	texttemplate "text/template"
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

// TestPageSetHoldsOnlyWhatItCalls checks a page's set is the layout and what it calls, directly or
// not, and that a call to a template no file defines fails when the set is built, not on a view.
func TestPageSetHoldsOnlyWhatItCalls(t *testing.T) {
	t.Parallel()
	trees := map[string]*parse.Tree{}
	src := `{{define "layout"}}<main>{{template "content" .}}</main>{{end}}
{{define "content"}}{{if .}}{{template "a" .}}{{else}}{{range .}}{{template "b" .}}{{end}}{{end}}{{end}}
{{define "a"}}a{{with .}}{{template "c" .}}{{end}}{{end}}
{{define "b"}}b{{end}}
{{define "c"}}c{{end}}
{{define "unused"}}never called{{end}}
{{define "broken"}}{{template "nowhere" .}}{{end}}`
	parsed, err := texttemplate.New("x").Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range parsed.Templates() {
		trees[d.Name()] = d.Tree
	}
	tree := func(name string) *parse.Tree { return trees[name] }
	set, err := newSet("layout", nil, tree)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range set.Templates() {
		if d.Tree != nil {
			got = append(got, d.Name())
		}
	}
	if len(got) != 5 || set.Lookup("unused") != nil || set.Lookup("c") == nil {
		t.Errorf("set holds %v, want layout, content, a, b and c", got)
	}
	trees["content"] = trees["broken"]
	if _, err := newSet("layout", nil, tree); err == nil || !strings.Contains(err.Error(), `"nowhere"`) {
		t.Errorf("a call to a missing template gave %v, want an error naming it", err)
	}
}

package server

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"
	"text/template/parse"

	"github.com/mendhq/mend/web"
)

// parseTemplates parses every template file once, at start. Each page gets its own html/template set
// (html/template escapes a set's trees in place, so sets cannot share them) holding the layout, the
// page's own templates and only the shared templates they call, not a clone of every partial: that
// keeps start-up and the templates' memory small. A page that calls a template no file defines fails
// here rather than on its first view. The dashboard cards render from one set of every shared template.
func (r *renderer) parseTemplates(funcs template.FuncMap) error {
	shared := map[string]*parse.Tree{}
	files, err := fs.Glob(web.FS, "templates/partials/*.html")
	if err != nil {
		return err
	}
	for _, f := range append([]string{"templates/layout.html"}, files...) {
		if err := parseTrees(f, funcs, shared); err != nil {
			return err
		}
	}
	pages, err := fs.Glob(web.FS, "templates/pages/*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		own := map[string]*parse.Tree{}
		if err := parseTrees(p, funcs, own); err != nil {
			return err
		}
		// The page's own trees serve this set only; shared ones are copied for it.
		tree := func(name string) *parse.Tree {
			if t, ok := own[name]; ok {
				return t
			}
			if t, ok := shared[name]; ok {
				return t.Copy()
			}
			return nil
		}
		t, err := newSet("layout", funcs, tree)
		if err != nil {
			return fmt.Errorf("server: template %s: %w", p, err)
		}
		r.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	// The partials set takes the parsed trees themselves, now that every page has its copies.
	r.partials = template.New("partials").Funcs(funcs)
	for name, t := range shared {
		if _, err := r.partials.AddParseTree(name, t); err != nil {
			return err
		}
	}
	return nil
}

// parseTrees parses file and adds each template it defines to trees (a later definition replaces an
// earlier one, as it would in one template set).
func parseTrees(file string, funcs template.FuncMap, trees map[string]*parse.Tree) error {
	b, err := fs.ReadFile(web.FS, file)
	if err != nil {
		return err
	}
	t, err := texttemplate.New(file).Funcs(texttemplate.FuncMap(funcs)).Parse(string(b))
	if err != nil {
		return fmt.Errorf("server: templates: %w", err)
	}
	for _, d := range t.Templates() {
		if d.Name() != file && d.Tree != nil {
			trees[d.Name()] = d.Tree
		}
	}
	return nil
}

// calls appends the names of the templates that n calls.
func calls(n parse.Node, out []string) []string {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				out = calls(c, out)
			}
		}
	case *parse.IfNode:
		out = calls(n.ElseList, calls(n.List, out))
	case *parse.RangeNode:
		out = calls(n.ElseList, calls(n.List, out))
	case *parse.WithNode:
		out = calls(n.ElseList, calls(n.List, out))
	case *parse.TemplateNode:
		out = append(out, n.Name)
	}
	return out
}

// newSet makes an html/template set of root and every template it calls, directly or not, each tree
// got from tree (nil for a name no file defines, which is an error).
func newSet(root string, funcs template.FuncMap, tree func(name string) *parse.Tree) (*template.Template, error) {
	set := template.New(root).Funcs(funcs)
	queue := []string{root}
	seen := map[string]bool{root: true}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		t := tree(name)
		if t == nil {
			return nil, fmt.Errorf("no template defines %q", name)
		}
		if _, err := set.AddParseTree(name, t); err != nil {
			return nil, err
		}
		for _, c := range calls(t.Root, nil) {
			if !seen[c] {
				seen[c] = true
				queue = append(queue, c)
			}
		}
	}
	return set, nil
}

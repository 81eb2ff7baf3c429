package server

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/mendhq/mend/web"
)

// pageParts lists, for every page in templates/pages, the shared files in templates/partials it uses
// besides forms.html, which every page gets with layout.html. A page file missing here, or an entry
// without its page file, stops the server at start.
var pageParts = map[string][]string{
	"account":                nil,
	"account_delete":         {"account_delete"},
	"account_deleted":        nil,
	"acknowledgment":         {"plan"},
	"acknowledgment_preview": {"plan"},
	"agreement":              {"agreements"},
	"agreement_conflict":     {"agreements"},
	"agreement_edit":         {"agreements"},
	"agreement_new":          {"agreements"},
	"agreements":             {"agreements"},
	"archive":                nil,
	"checkin":                {"checkins"},
	"checkins":               {"checkins"},
	"confirm_email":          nil,
	"couple":                 {"couple"},
	"dashboard":              {"couple"},
	"error":                  nil,
	"forgot":                 nil,
	"guide":                  nil,
	"join":                   nil,
	"landing":                nil,
	"login":                  nil,
	"login_two_step":         nil,
	"moments":                {"plan"},
	"notifications":          nil,
	"monthly":                {"repair"},
	"monthly_look":           nil,
	"plan":                   {"plan"},
	"progress":               {"plan"},
	"questions":              {"checkins", "repair"},
	"reauth":                 nil,
	"register":               nil,
	"reset":                  nil,
	"safety_check":           nil,
	"two_step":               nil,
	"trigger_edit":           {"repair"},
	"trigger_signal":         {"checkins", "repair"},
	"triggers":               {"checkins", "repair"},
}

// parseTemplates parses every page once, at start: each page is its own template set of layout.html,
// partials/forms.html, the partials pageParts names and the page itself (html/template escapes a set in
// place, so sets cannot share parsed templates). The dashboard's cards and the archive's sections
// render from one set of every partial.
func (r *renderer) parseTemplates(funcs template.FuncMap) error {
	pages, partials, err := parsePages(web.FS, pageParts, funcs)
	if err != nil {
		return err
	}
	r.pages, r.partials = pages, partials
	return nil
}

// parsePages parses the templates of fsys as parseTemplates describes, with parts in place of pageParts.
func parsePages(fsys fs.FS, parts map[string][]string, funcs template.FuncMap) (map[string]*template.Template, *template.Template, error) {
	files, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, nil, err
	}
	onDisk := map[string]bool{}
	for _, f := range files {
		onDisk[strings.TrimSuffix(path.Base(f), ".html")] = true
	}
	for page := range onDisk {
		if _, ok := parts[page]; !ok {
			return nil, nil, fmt.Errorf("server: templates: templates/pages/%s.html has no entry in pageParts (internal/server/templates.go)", page)
		}
	}
	pages := map[string]*template.Template{}
	for page, shared := range parts {
		if !onDisk[page] {
			return nil, nil, fmt.Errorf("server: templates: pageParts names %q, but there is no templates/pages/%s.html", page, page)
		}
		names := []string{"templates/layout.html", "templates/partials/forms.html"}
		for _, p := range shared {
			names = append(names, "templates/partials/"+p+".html")
		}
		t, err := template.New("layout").Funcs(funcs).ParseFS(fsys, append(names, "templates/pages/"+page+".html")...)
		if err != nil {
			return nil, nil, fmt.Errorf("server: templates: %s: %w", page, err)
		}
		pages[page] = t
	}
	partials, err := template.New("partials").Funcs(funcs).ParseFS(fsys, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, nil, fmt.Errorf("server: templates: partials: %w", err)
	}
	return pages, partials, nil
}

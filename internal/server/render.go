package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/web"
)

// view is what every page template receives.
type view struct {
	Title        string
	Nav          string
	CSRF         string
	User         *account.User
	Membership   *couple.Membership
	QuickExitURL string
	Status       int
	// Errors holds per-field messages of a failed form; Form holds what the user typed.
	Errors  map[string]string
	Message string
	Form    map[string]string
	Data    any
}

// renderer holds the templates, parsed once at start, and the content-hashed static files.
type renderer struct {
	pages     map[string]*template.Template
	partials  *template.Template
	static    map[string]string // logical path → hashed URL
	files     map[string]string // hashed URL → logical path
	content   map[string][]byte // logical path → bytes
	quickExit string
}

func newRenderer(cfg config.Config) (*renderer, error) {
	r := &renderer{pages: map[string]*template.Template{}, static: map[string]string{}, files: map[string]string{}, content: map[string][]byte{}, quickExit: cfg.QuickExitURL}
	if err := r.hashStatic(); err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"static": r.staticURL,
		"field":  func(m map[string]string, k string) string { return m[k] },
		"eq1":    func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
		"seq": func(from, to int) []int {
			var out []int
			for i := from; i <= to; i++ {
				out = append(out, i)
			}
			return out
		},
	}
	for name, f := range dateFuncs() { // dates.go
		funcs[name] = f
	}
	if err := r.parseTemplates(funcs); err != nil {
		return nil, err
	}
	return r, nil
}

// hashStatic gives every static file a content-hashed URL and builds css/bundle.css, the
// concatenation of every stylesheet in static/css (app.css first), so each page loads one stylesheet.
func (r *renderer) hashStatic() error {
	err := fs.WalkDir(web.FS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(web.FS, p)
		if err != nil {
			return err
		}
		r.add(strings.TrimPrefix(p, "static/"), b)
		return nil
	})
	if err != nil {
		return err
	}
	sheets, err := fs.Glob(web.FS, "static/css/*.css")
	if err != nil {
		return err
	}
	var bundle bytes.Buffer
	for _, first := range []bool{true, false} {
		for _, p := range sheets {
			if (path.Base(p) == "app.css") != first {
				continue
			}
			b, err := fs.ReadFile(web.FS, p)
			if err != nil {
				return err
			}
			bundle.Write(b)
			bundle.WriteByte('\n')
		}
	}
	r.add("css/bundle.css", bundle.Bytes())
	return nil
}

func (r *renderer) add(logical string, b []byte) {
	sum := sha256.Sum256(b)
	url := "/static/" + hex.EncodeToString(sum[:])[:12] + "/" + logical
	r.static[logical] = url
	r.files[url] = logical
	r.content[logical] = b
}

func (r *renderer) staticURL(logical string) (string, error) {
	u, ok := r.static[logical]
	if !ok {
		return "", fmt.Errorf("no static file %q", logical)
	}
	return u, nil
}

// partial renders a template from templates/partials into HTML, for dashboard cards.
func (r *renderer) partial(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := r.partials.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("server: partial %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil // rendered by html/template, so already escaped
}

// newView fills the fields every page needs.
func (s *Server) newView(c *fiber.Ctx, title string) *view {
	return &view{
		Title: title, CSRF: s.csrfToken(c), User: auth.CurrentUser(c), Membership: membership(c),
		QuickExitURL: s.cfg.QuickExitURL, Status: fiber.StatusOK,
	}
}

// render writes page with v, rendering into a buffer first so a template error never sends half a page.
func (s *Server) render(c *fiber.Ctx, page string, v *view) error {
	t, ok := s.views.pages[page]
	if !ok {
		return fmt.Errorf("server: no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("server: render %s: %w", page, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	status := v.Status
	if status == 0 {
		status = fiber.StatusOK
	}
	return c.Status(status).Send(buf.Bytes())
}

// renderForm shows a form again with its errors (422) and the user's input kept.
func (s *Server) renderForm(c *fiber.Ctx, page string, v *view, err error) error {
	e := apperr.As(err)
	if e == nil {
		return err
	}
	st, _ := classify(e)
	v.Status = st
	v.Errors = e.Fields
	v.Message = e.Message
	return s.render(c, page, v)
}

func (s *Server) renderError(c *fiber.Ctx, status int, e *apperr.Error) error {
	v := s.newView(c, "Something needs attention")
	v.Status = status
	v.Message = e.Message
	v.Data = map[string]any{"Status": status, "RequestID": requestID(c)}
	return s.render(c, "error", v)
}

// serveStatic answers content-hashed URLs with a long cache lifetime.
func (s *Server) serveStatic(c *fiber.Ctx) error {
	p, ok := s.views.files[c.Path()]
	if !ok {
		return fiber.ErrNotFound
	}
	b := s.views.content[p]
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	switch path.Ext(p) {
	case ".css":
		c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	case ".js":
		c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	case ".svg":
		c.Set(fiber.HeaderContentType, "image/svg+xml")
	case ".txt":
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	default:
		c.Type(path.Ext(p))
	}
	return c.Send(b)
}

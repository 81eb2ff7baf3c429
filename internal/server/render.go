package server

import (
	"fmt"
	"html/template"
	"strings"
	"sync"

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
	// AppName is the installed app's neutral name; Index lets search engines index the page (the
	// landing and guide pages, when the operator allows it) and Description is its meta description.
	AppName     string
	Index       bool
	Description string
	Status      int
	// Form holds what the user typed: a typed form (forms.go) that carries the messages of a failed
	// submit.
	Form    any
	Message string
	Data    any
	// NavMenu is the main navigation and AssetLinks the head's links to the static files, which render
	// sets (renderer.navMenu, renderer.assetLinks).
	NavMenu, AssetLinks template.HTML
}

// renderer holds the templates, parsed once at start, and the content-hashed static files.
type renderer struct {
	pages    map[string]*template.Template
	partials *template.Template
	assets   *assets
	csp      string // the Content-Security-Policy of every response, CSPFor(MEND_QUICK_EXIT_URL)
	// navMenus holds the main navigation as drawn for each navMenuKey met so far.
	navMenus sync.Map
	// assetLinks are the links of every page's head to the static files, drawn at start.
	assetLinks template.HTML
}

// navMenuKey is all the main navigation depends on: whether someone is signed in, whether they are in
// a couple, and the page's section (view.Nav, one of a few names in the code).
type navMenuKey struct {
	User, Membership bool
	Nav              string
}

// navMenu returns the main navigation for k. It is the same for every page of a section, so it is
// drawn once per key, from the nav-menu template, and kept: a page then costs one action for it
// instead of the thirty or so comparisons that draw it.
func (r *renderer) navMenu(k navMenuKey) (template.HTML, error) {
	if h, ok := r.navMenus.Load(k); ok {
		return h.(template.HTML), nil
	}
	h, err := r.partial("nav-menu", k)
	if err != nil {
		return "", err
	}
	r.navMenus.Store(k, h)
	return h, nil
}

func newRenderer(cfg config.Config) (*renderer, error) {
	a, err := loadAssets(web.FS)
	if err != nil {
		return nil, err
	}
	r := &renderer{pages: map[string]*template.Template{}, assets: a, csp: CSPFor(cfg.QuickExitURL)}
	funcs := template.FuncMap{
		"static": a.url,
		"eq1":    func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
		"scale":  scale,
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
	if r.assetLinks, err = r.partial("asset-links", nil); err != nil {
		return nil, err
	}
	return r, nil
}

// partial renders a template from templates/partials into HTML, for dashboard cards.
func (r *renderer) partial(name string, data any) (template.HTML, error) {
	var b strings.Builder
	if err := r.partials.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("server: partial %s: %w", name, err)
	}
	return template.HTML(b.String()), nil // rendered by html/template, so already escaped
}

// newView fills the fields every page needs.
func (s *Server) newView(c *fiber.Ctx, title string) *view {
	return &view{
		Title: title, CSRF: s.csrfToken(c), User: auth.CurrentUser(c), Membership: membership(c),
		QuickExitURL: s.cfg.QuickExitURL, AppName: s.appName(), Status: fiber.StatusOK,
	}
}

// render writes page with v straight into the response's body, which is sent only once the handler
// has returned: a template error empties it, so half a page is never sent, and no page-sized buffer
// is grown and copied per request.
func (s *Server) render(c *fiber.Ctx, page string, v *view) error {
	t, ok := s.views.pages[page]
	if !ok {
		return fmt.Errorf("server: no page template %q", page)
	}
	nav, err := s.views.navMenu(navMenuKey{User: v.User != nil, Membership: v.Membership != nil, Nav: v.Nav})
	if err != nil {
		return err
	}
	v.NavMenu, v.AssetLinks = nav, s.views.assetLinks
	resp := c.Response()
	resp.ResetBody()
	if err := t.ExecuteTemplate(resp.BodyWriter(), "layout", v); err != nil {
		resp.ResetBody()
		return fmt.Errorf("server: render %s: %w", page, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	status := v.Status
	if status == 0 {
		status = fiber.StatusOK
	}
	c.Status(status)
	return nil
}

// renderForm shows a form again with its errors (422) and the user's input kept.
func (s *Server) renderForm(c *fiber.Ctx, page string, v *view, err error) error {
	e := apperr.As(err)
	if e == nil {
		return err
	}
	st, _ := classify(e)
	retryAfterFallback(c, st)
	v.Status = st
	if f, ok := v.Form.(typedForm); ok {
		f.setFieldErrors(e.Fields)
	}
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

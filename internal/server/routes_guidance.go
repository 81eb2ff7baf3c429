package server

import (
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/guidance"
	"github.com/mendhq/mend/web"
)

// guidePage is what templates/pages/guide.html receives as view.Data.
type guidePage struct {
	Page *guidance.Page
	All  []*guidance.Page
}

// routesGuidance registers the public guidance pages (DESIGN §2.8).
//
// The Markdown is embedded in the binary, so a failure to render it is a build mistake that the guidance
// tests catch: it stops the server at start rather than serving half a guide. The pages link to the
// features that practise each step; since features register their routes after this function runs, the
// pages are rendered once more on the first request, against the finished route table, so a link to a
// feature that is not served shows as plain text instead of leading to a 404.
func (s *Server) routesGuidance(app fiber.Router) {
	if _, err := guidance.Load(web.FS, nil); err != nil {
		panic("server: " + err.Error())
	}
	var (
		once sync.Once
		lib  *guidance.Library
		err  error
	)
	library := func() (*guidance.Library, error) {
		once.Do(func() { lib, err = guidance.Load(web.FS, s.servesPage) })
		return lib, err
	}
	for _, path := range guidance.Paths() {
		app.Get(path, func(c *fiber.Ctx) error {
			lib, err := library()
			if err != nil {
				return err
			}
			p := lib.Page(path)
			v := s.newView(c, p.Title)
			v.Nav = "guide"
			v.Data = guidePage{Page: p, All: lib.Pages()}
			return s.render(c, "guide", v)
		})
	}
}

// servesPage reports whether a GET route (not middleware) matches urlPath.
func (s *Server) servesPage(urlPath string) bool {
	for _, r := range s.app.GetRoutes(true) {
		if r.Method == fiber.MethodGet && routeMatches(r.Path, urlPath) {
			return true
		}
	}
	return false
}

// routeMatches matches a Fiber route pattern with literal segments, ":param" segments and a final "*".
func routeMatches(pattern, urlPath string) bool {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	us := strings.Split(strings.Trim(urlPath, "/"), "/")
	for i, p := range ps {
		switch {
		case p == "*":
			return true
		case i >= len(us):
			return strings.HasPrefix(p, ":") && strings.HasSuffix(p, "?") && i == len(ps)-1
		case strings.HasPrefix(p, ":"):
			if us[i] == "" {
				return false
			}
		case p != us[i]:
			return false
		}
	}
	return len(ps) == len(us)
}

package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/guidance"
	"github.com/mendhq/mend/web"
)

// guidePage is what templates/pages/guide.html receives as view.Data.
type guidePage struct {
	Page *guidance.Page
	All  []*guidance.Page
}

// routesGuidance registers the public guidance pages (DESIGN §2.8). The Markdown is embedded in the binary
// and rendered once here; a failure is a build mistake the guidance tests catch, so it stops the server at
// start rather than serving half a guide. Every link is kept: the crawl test proves none leads to a 404.
func (s *Server) routesGuidance(app, _ fiber.Router) {
	lib, err := guidance.Load(web.FS)
	if err != nil {
		panic("server: " + err.Error())
	}
	for _, path := range guidance.Paths() {
		p := lib.Page(path)
		app.Get(path, func(c *fiber.Ctx) error {
			v := s.newView(c, p.Title)
			v.Nav = "guide"
			s.publicPage(v, p.Heading)
			v.Data = guidePage{Page: p, All: lib.Pages()}
			return s.render(c, "guide", v)
		})
	}
}

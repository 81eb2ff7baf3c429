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

// routesGuidance registers the public guidance pages (DESIGN §2.8), rendered from web/guidance once,
// here at start. The Markdown is embedded in the binary, so a failure to render it is a build mistake that
// the guidance tests catch; it stops the server from starting rather than serving half a guide.
func (s *Server) routesGuidance(app fiber.Router) {
	lib, err := guidance.Load(web.FS)
	if err != nil {
		panic("server: " + err.Error())
	}
	all := lib.Pages()
	for _, p := range all {
		data := guidePage{Page: p, All: all}
		app.Get(p.Path, func(c *fiber.Ctx) error {
			v := s.newView(c, data.Page.Title)
			v.Nav = "guide"
			v.Data = data
			return s.render(c, "guide", v)
		})
	}
}

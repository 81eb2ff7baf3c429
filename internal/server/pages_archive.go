package server

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/couple"
)

// archivedCouple is one ended couple on /archive with each feature's read-only section.
type archivedCouple struct {
	Past     couple.Past
	Sections []template.HTML
}

// archivePage lists the user's ended couples (DESIGN §2.2): read-only, only the user's own archive; the
// features add what the user wrote there through their archive hooks, in the feature list's order.
func (h *coupleHandlers) archivePage(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	hist, err := h.svc.History(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	out := make([]archivedCouple, 0, len(hist))
	for _, p := range hist {
		ac := archivedCouple{Past: p}
		for _, f := range h.features {
			if f.archive == nil {
				continue
			}
			sec, err := f.archive(c, u.ID, p)
			if err != nil {
				return err
			}
			if sec != "" {
				ac.Sections = append(ac.Sections, sec)
			}
		}
		out = append(out, ac)
	}
	v := h.newView(c, "Archive")
	v.Nav = "archive"
	v.Data = out
	return h.render(c, "archive", v)
}

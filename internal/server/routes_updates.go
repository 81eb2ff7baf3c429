package server

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/updates"
)

// updateHandlers serve "For you" (DESIGN §5.2): the signed-in person's own updates and the marking of
// them as seen. Nothing here is the partner's: every route reads and marks the caller's own list.
type updateHandlers struct {
	*Server
	svc *updates.Service
}

// routes registers the API and the page's "mark all as seen" form.
func (h *updateHandlers) routes(pages, api fiber.Router) {
	pages.Post("/updates/seen", h.seenSubmit)
	api.Get("/me/updates", h.apiList)
	api.Post("/me/updates/seen", h.apiSeen)
}

// updateJSON is one update in the API: its id, kind, time, link and whether it was seen (DESIGN §5.2).
type updateJSON struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	At   string `json:"at"`
	Link string `json:"link"`
	Seen bool   `json:"seen"`
}

func (h *updateHandlers) apiList(c *fiber.Ctx) error {
	list, err := h.svc.For(c.UserContext(), auth.CurrentUser(c).ID, membership(c))
	if err != nil {
		return err
	}
	out := make([]updateJSON, 0, len(list))
	for _, u := range list {
		out = append(out, updateJSON{ID: u.ID, Kind: u.Kind, At: rfc3339(u.At), Link: u.Link, Seen: u.Seen})
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"updates": out})
}

// apiSeen marks the updates named in {ids} seen, or all of them without ids: 204.
func (h *updateHandlers) apiSeen(c *fiber.Ctx) error {
	var req struct {
		IDs []string `json:"ids"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := h.svc.MarkSeen(c.UserContext(), auth.CurrentUser(c).ID, membership(c), req.IDs); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// seenSubmit is the home page's "Mark all as seen".
func (h *updateHandlers) seenSubmit(c *fiber.Ctx) error {
	if err := h.svc.MarkSeen(c.UserContext(), auth.CurrentUser(c).ID, membership(c), nil); err != nil {
		return err
	}
	return c.Redirect("/dashboard#for-you", fiber.StatusSeeOther)
}

// markSeen records that the signed-in person viewed the page at path, so the updates that lead there
// are seen. It never stops the page: a failed write is logged and passed over.
func (s *Server) markSeen(c *fiber.Ctx, path string) {
	u := auth.CurrentUser(c)
	if u == nil {
		return
	}
	if err := s.updates.MarkPage(c.UserContext(), u.ID, path); err != nil {
		s.log.Error("updates: mark seen", "request_id", requestID(c), "err", err)
	}
}

// tellPartner runs after a write of the signed-in member's: when it gave their partner an update they
// have not seen, and the partner asked for the updates e-mail, the day's one message is queued
// (notify.EnqueueUpdates batches the rest of the day into it). It never changes the write's answer.
func (h *Server) tellPartner(c *fiber.Ctx) error {
	start := h.now()
	err := c.Next()
	if err != nil || c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead || c.Response().StatusCode() >= 400 {
		return err
	}
	m := membership(c)
	if m == nil || m.PartnerID() == "" {
		return nil
	}
	ctx := c.UserContext()
	partner := m.PartnerID()
	if want, err := h.pulse.WantsUpdates(ctx, partner); err != nil || !want {
		h.logTell(c, err)
		return nil
	}
	pm, err := h.couples.Current(ctx, partner)
	if err != nil || pm == nil {
		h.logTell(c, err)
		return nil
	}
	list, err := h.updates.For(ctx, partner, pm)
	if err != nil {
		h.logTell(c, err)
		return nil
	}
	for _, u := range list {
		if !u.Seen && !u.At.Before(start.Add(-time.Second)) && u.Kind != updates.NewSignIn {
			h.logTell(c, h.pulse.EnqueueUpdates(ctx, partner))
			return nil
		}
	}
	return nil
}

func (h *Server) logTell(c *fiber.Ctx, err error) {
	if err != nil {
		h.log.Log(c.UserContext(), slog.LevelError, "updates: tell partner", "request_id", requestID(c), "err", err)
	}
}

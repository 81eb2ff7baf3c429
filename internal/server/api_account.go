package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
)

// mySessionJSON is the allowlisted view of one of the user's sessions in GET /me/sessions.
type mySessionJSON struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Device     string `json:"device"`
	UserAgent  string `json:"user_agent"`
	CreatedAt  string `json:"created_at"`
	LastSeenAt string `json:"last_seen_at"`
	Current    bool   `json:"current"`
}

func toMySessionJSON(se account.Session, currentID string) mySessionJSON {
	return mySessionJSON{ID: se.ID, Kind: se.Kind, Device: account.DeviceName(se.UserAgent), UserAgent: se.UserAgent,
		CreatedAt: se.CreatedAt.UTC().Format(time.RFC3339), LastSeenAt: se.LastSeenAt.UTC().Format(time.RFC3339),
		Current: se.ID == currentID}
}

func (h *accountHandlers) apiMe(c *fiber.Ctx) error {
	return sendJSON(c, fiber.StatusOK, fiber.Map{"user": toUserJSON(auth.CurrentUser(c)), "couple": coupleJSONOf(membership(c))})
}

func (h *accountHandlers) apiUpdateMe(c *fiber.Ctx) error {
	var req struct {
		DisplayName string `json:"display_name"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := h.updateName(c, req.DisplayName)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"user": toUserJSON(u)})
}

func (h *accountHandlers) apiChangePassword(c *fiber.Ctx) error {
	var req struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := h.changePassword(c, req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *accountHandlers) apiSessions(c *fiber.Ctx) error {
	list, err := h.svc.Sessions(c.UserContext(), auth.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	out := make([]mySessionJSON, 0, len(list))
	for _, se := range list {
		out = append(out, toMySessionJSON(se, auth.CurrentSession(c).ID))
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"sessions": out})
}

func (h *accountHandlers) apiRevokeSession(c *fiber.Ctx) error {
	if _, err := h.revokeSession(c, c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *accountHandlers) apiRevokeOthers(c *fiber.Ctx) error {
	if err := h.revokeOthers(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

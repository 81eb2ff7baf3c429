package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
)

// userJSON is the allowlisted view of a user (SECURITY C5).
type userJSON struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	CreatedAt   string `json:"created_at"`
}

func toUserJSON(u *account.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, DisplayName: u.DisplayName, CreatedAt: u.CreatedAt.UTC().Format(time.RFC3339)}
}

type credentialsReq struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name"`
	Invite      string `json:"invite"`
}

func (h *accountHandlers) apiRegister(c *fiber.Ctx) error {
	var req credentialsReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	reg, err := h.register(c, req.Email, req.Password, req.DisplayName, strings.TrimSpace(req.Invite))
	if err != nil {
		return err
	}
	out := fiber.Map{"user": toUserJSON(reg.User)}
	if reg.CoupleID != "" {
		// Registering with an invite joined its couple: answer it beside the user.
		m, err := h.couples.Current(c.UserContext(), reg.User.ID)
		if err != nil {
			return err
		}
		out["couple"] = coupleJSONOf(m)
	}
	return sendJSON(c, fiber.StatusCreated, out)
}

func (h *accountHandlers) apiLogin(c *fiber.Ctx) error {
	var req credentialsReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in, err := h.signIn(c, req.Email, req.Password, account.KindAPI)
	if need, ok := asSecondFactor(err); ok {
		return apiSecondFactorRequired(c, need)
	}
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"token": in.Token, "expires_at": in.Expires.UTC().Format(time.RFC3339), "user": toUserJSON(in.User)})
}

func (h *accountHandlers) apiLogout(c *fiber.Ctx) error {
	if err := h.signOut(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *accountHandlers) apiReauth(c *fiber.Ctx) error {
	var req struct {
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := h.reauth(c, req.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

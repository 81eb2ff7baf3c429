package server

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/couple"
)

type coupleSettingsReq struct {
	Timezone       *string `json:"timezone"`
	CheckinWeekday *string `json:"checkin_weekday"`
	Role           *string `json:"role"`
}

func strOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return strings.TrimSpace(*p)
}

// reloadMembership re-reads the user's couple after a change made by this request.
func (h *coupleHandlers) reloadMembership(c *fiber.Ctx) (*couple.Membership, error) {
	m, err := h.svc.Current(c.UserContext(), auth.CurrentUser(c).ID)
	if err != nil {
		return nil, err
	}
	c.Locals(localMembership, m)
	return m, nil
}

func (h *coupleHandlers) apiStartCouple(c *fiber.Ctx) error {
	var req coupleSettingsReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if _, err := h.svc.Start(c.UserContext(), auth.CurrentUser(c).ID, strOr(req.Timezone, ""), strOr(req.CheckinWeekday, "")); err != nil {
		return err
	}
	m, err := h.reloadMembership(c)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"couple": coupleJSONOf(m)})
}

// apiGetCouple returns the current couple; without one, the most recently ended couple with status
// "ended" and no members (the couple's content is no longer reachable), or 404 when there never was one.
func (h *coupleHandlers) apiGetCouple(c *fiber.Ctx) error {
	if m := membership(c); m != nil {
		return c.JSON(fiber.Map{"couple": coupleJSONOf(m)})
	}
	hist, err := h.svc.History(c.UserContext(), auth.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	if len(hist) == 0 {
		return couple.ErrNotInCouple
	}
	p := pastJSONOf(hist[0])
	return c.JSON(fiber.Map{"couple": coupleJSON{ID: p.ID, Status: p.Status, Timezone: p.Timezone, CheckinWeekday: p.CheckinWeekday,
		CreatedAt: p.CreatedAt, EndedAt: p.EndedAt, Members: []memberJSON{}}})
}

func (h *coupleHandlers) apiPatchCouple(c *fiber.Ctx) error {
	var req coupleSettingsReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	m := membership(c)
	if req.Timezone != nil || req.CheckinWeekday != nil {
		tz := strOr(req.Timezone, m.Couple.Timezone)
		wd := strOr(req.CheckinWeekday, weekdayName(m.Couple.CheckinWeekday))
		if err := h.svc.UpdateSettings(c.UserContext(), m.Couple.ID, tz, wd); err != nil {
			return err
		}
	}
	if req.Role != nil {
		if err := h.svc.SetRole(c.UserContext(), m.Couple.ID, m.Me.UserID, strOr(req.Role, "")); err != nil {
			return err
		}
	}
	m, err := h.reloadMembership(c)
	if err != nil {
		return err
	}
	if m == nil {
		return couple.ErrNotInCouple
	}
	return c.JSON(fiber.Map{"couple": coupleJSONOf(m)})
}

// inviteURL builds the join link from MEND_BASE_URL, never from request headers (SECURITY F5).
func (h *coupleHandlers) inviteURL(plain string) string {
	return strings.TrimRight(h.cfg.BaseURL, "/") + "/join/" + url.PathEscape(plain)
}

func (h *coupleHandlers) apiInvite(c *fiber.Ctx) error {
	m := membership(c)
	plain, exp, err := h.svc.CreateInvite(c.UserContext(), m.Couple.ID, m.Me.UserID)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"token": plain, "url": h.inviteURL(plain), "expires_at": exp.UTC().Format(time.RFC3339)})
}

func (h *coupleHandlers) apiJoin(c *fiber.Ctx) error {
	var req struct {
		Token string `json:"token"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	plain := strings.TrimSpace(req.Token)
	if plain == "" || len(plain) > 200 {
		return apperr.Fields(map[string]string{"token": "Paste the token from the invite link."})
	}
	if _, err := h.svc.Join(c.UserContext(), auth.CurrentUser(c).ID, plain); err != nil {
		return err
	}
	m, err := h.reloadMembership(c)
	if err != nil {
		return err
	}
	h.log.Info("security", "event", "couple_joined", "user_id", auth.CurrentUser(c).ID, "request_id", requestID(c))
	return c.JSON(fiber.Map{"couple": coupleJSONOf(m)})
}

// leaveCouple ends the user's couple and, in the same transaction, signs out every other session of theirs
// (SECURITY B5): whoever else holds one of their devices loses it with the couple. This session stays,
// so they can read their archive. The partner's sessions are not touched.
func (h *coupleHandlers) leaveCouple(c *fiber.Ctx) error {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	signOutOthers := func(ctx context.Context, tx *gorm.DB, userID string) error {
		return h.accounts.RevokeOthersIn(ctx, tx, userID, sess.ID)
	}
	if err := h.svc.Leave(c.UserContext(), u.ID, signOutOthers); err != nil {
		return err
	}
	h.securityEvent(c, slog.LevelInfo, "couple_left", u.ID, "other_sessions", "revoked")
	return nil
}

func (h *coupleHandlers) apiLeave(c *fiber.Ctx) error {
	if err := h.leaveCouple(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *coupleHandlers) apiArchive(c *fiber.Ctx) error {
	hist, err := h.svc.History(c.UserContext(), auth.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	out := make([]pastJSON, 0, len(hist))
	for _, p := range hist {
		out = append(out, pastJSONOf(p))
	}
	return c.JSON(fiber.Map{"couples": out})
}

package server

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/couple"
)

// ExportFormatVersion is the version of the export's JSON layout.
const ExportFormatVersion = 1

// sessionJSON is a session as its own user sees it: never a token or hash.
type sessionJSON struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	UserAgent  string `json:"user_agent"`
	CreatedAt  string `json:"created_at"`
	LastSeenAt string `json:"last_seen_at"`
	Current    bool   `json:"current"`
}

// export builds everything the user may see (DESIGN §2.9, SECURITY H1): their account, their own sessions,
// the couple as both members see it, their ended couples, and each feature's data from its export hook.
// Nothing of the partner beyond what the couple shows them in the app (display name, role, join date).
// Export and deletion are the account feature's; they reach every feature through the feature list.
func (h *accountHandlers) export(c *fiber.Ctx) (map[string]any, error) {
	ctx := c.UserContext()
	u := auth.CurrentUser(c)
	m := membership(c)
	sessions, err := h.svc.Sessions(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	cur := auth.CurrentSession(c)
	sj := make([]sessionJSON, 0, len(sessions))
	for _, se := range sessions {
		sj = append(sj, sessionJSON{ID: se.ID, Kind: se.Kind, UserAgent: se.UserAgent, CreatedAt: rfc3339(se.CreatedAt),
			LastSeenAt: rfc3339(se.LastSeenAt), Current: cur != nil && cur.ID == se.ID})
	}
	hist, err := h.couples.History(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	past := make([]pastJSON, 0, len(hist))
	for _, p := range hist {
		past = append(past, pastJSONOf(p))
	}
	out := map[string]any{
		"format_version": ExportFormatVersion,
		"exported_at":    rfc3339(h.now()),
		"user":           toUserJSON(u),
		"sessions":       sj,
		"couple":         coupleJSONOf(m),
		"past_couples":   past,
	}
	for _, f := range h.features {
		if f.export == nil {
			continue
		}
		data, err := f.export(ctx, u, m)
		if err != nil {
			return nil, err
		}
		if _, taken := out[f.name]; taken {
			return nil, fmt.Errorf("server: export key %q used twice", f.name)
		}
		out[f.name] = data
	}
	return out, nil
}

func (h *accountHandlers) apiExport(c *fiber.Ctx) error {
	out, err := h.export(c)
	if err != nil {
		return err
	}
	h.log.Info("security", "event", "export", "user_id", auth.CurrentUser(c).ID, "request_id", requestID(c))
	return c.JSON(out)
}

// deleteAccount hard-deletes the signed-in user (SECURITY H2): every feature's delete hook, then the user
// row (sessions and memberships cascade), ending their couple for both; then the browser's copy is cleared.
func (h *accountHandlers) deleteAccount(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	var hooks []couple.EraseHook
	for _, f := range h.features {
		if f.erase != nil {
			hooks = append(hooks, f.erase)
		}
	}
	if err := h.couples.DeleteAccount(c.UserContext(), u.ID, hooks...); err != nil {
		return err
	}
	h.log.Info("security", "event", "account_deleted", "user_id", u.ID, "request_id", requestID(c))
	h.auth.ClearCookie(c)
	h.clearInviteCookie(c)
	c.Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
	return nil
}

func (h *accountHandlers) apiDeleteMe(c *fiber.Ctx) error {
	if err := h.deleteAccount(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

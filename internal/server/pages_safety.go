package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
)

// safetyNotices are the confirmations the Safety Check shows, chosen by ?done=.
var safetyNotices = map[string]string{
	"unshared": "That is private again. Your partner isn't told.",
}

// safetyCheckData is what the Safety Check page shows.
type safetyCheckData struct {
	Devices []deviceRow
	Others  int
	History []historyRow
	Shared  *sharedOfMine
	Factors account.TwoStep
	Notice  string
}

// historyRow is one line of the sign-in history.
type historyRow struct {
	account.Event
	Label string
}

func (h *safetyHandlers) safetyCheckPage(c *fiber.Ctx) error {
	u, sess := auth.CurrentUser(c), auth.CurrentSession(c)
	sec, err := h.securityOf(c.UserContext(), u, sess, membership(c))
	if err != nil {
		return err
	}
	d := &safetyCheckData{Shared: sec.Shared, Factors: sec.Factors, Notice: safetyNotices[c.Query("done")]}
	for _, se := range sec.Sessions {
		row := deviceRow{ID: se.ID, Device: account.DeviceName(se.UserAgent), API: se.Kind == account.KindAPI,
			Created: se.CreatedAt, LastSeen: se.LastSeenAt, Current: se.ID == sess.ID}
		if row.Current {
			d.Devices = append([]deviceRow{row}, d.Devices...)
			continue
		}
		d.Others++
		d.Devices = append(d.Devices, row)
	}
	for _, e := range sec.History {
		d.History = append(d.History, historyRow{Event: e, Label: account.EventLabel(e.Kind)})
	}
	v := h.newView(c, "Safety Check")
	v.Nav = "account"
	v.Data = d
	h.markSeen(c, "/safety-check")
	return h.render(c, "safety_check", v)
}

func (h *safetyHandlers) unshareMomentSubmit(c *fiber.Ctx) error {
	if _, err := h.plan.UnshareMoment(c.UserContext(), membership(c), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/safety-check?done=unshared#shared", fiber.StatusSeeOther)
}

func (h *safetyHandlers) unshareAckSubmit(c *fiber.Ctx) error {
	if err := h.plan.UnshareAcknowledgment(c.UserContext(), membership(c)); err != nil {
		return err
	}
	return c.Redirect("/safety-check?done=unshared#shared", fiber.StatusSeeOther)
}

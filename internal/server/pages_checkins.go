package server

import (
	"github.com/gofiber/fiber/v2"
)

// checkinListData is the /checkins page.
type checkinListData struct {
	Open      []checkinWeekItem // this week, then last week
	History   []checkinWeekItem
	Timeout   *checkinTimeoutView
	LowSafety bool
	Choices   []checkinPauseChoice
}

// listPage is /checkins: the weeks open for answers, the earlier ones, and the pause form.
func (h *checkinHandlers) listPage(c *fiber.Ctx) error {
	h.markSeen(c, "/checkins")
	return h.renderList(c, &checkinPauseForm{For: "60"}, nil)
}

// renderList shows /checkins with the pause form; err (a refused pause) is shown with what was typed.
func (h *checkinHandlers) renderList(c *fiber.Ctx, form *checkinPauseForm, err error) error {
	m := membership(c)
	ctx := c.UserContext()
	cur, weeks, werr := h.svc.Weeks(ctx, m)
	if werr != nil {
		return werr
	}
	d := checkinListData{LowSafety: h.svc.LowSafety(ctx, m.Couple.ID, m.Me.UserID), Choices: checkinTimeoutChoices}
	for _, ws := range weeks {
		it := toCheckinWeekItem(ws, cur)
		if ws.Week == cur || ws.Week == cur.Prev() {
			d.Open = append(d.Open, it)
		} else {
			d.History = append(d.History, it)
		}
	}
	if d.Timeout, werr = h.timeoutView(c, m); werr != nil {
		return werr
	}
	v := h.newView(c, "Check-ins")
	v.Nav, v.Data, v.Form = "checkins", d, form
	if err != nil {
		return h.renderForm(c, "checkins", v, err)
	}
	return h.render(c, "checkins", v)
}

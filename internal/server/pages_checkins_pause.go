package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
)

// Pauses (time-outs, DESIGN §2.4): asked for from the form on /checkins, shown as a calm banner on the
// check-in pages and the dashboard until they end.

// checkinPauseForm is "Need a pause?" on /checkins.
type checkinPauseForm struct {
	For  string // minutes, one of checkinTimeoutChoices
	Note string
	fieldErrors
}

// checkinPauseChoice is one length of pause the form offers.
type checkinPauseChoice struct {
	Minutes int
	Label   string
}

// checkinTimeoutChoices are the pause lengths the page form offers (all within 24 hours).
var checkinTimeoutChoices = []checkinPauseChoice{{20, "20 minutes"}, {60, "1 hour"}, {120, "2 hours"}, {240, "4 hours"}, {480, "8 hours"}, {1440, "Until this time tomorrow"}}

// minutes returns the chosen length, or an Invalid error when it is not one the form offers.
func (f *checkinPauseForm) minutes() (int, error) {
	n, err := strconv.Atoi(f.For)
	for _, ch := range checkinTimeoutChoices {
		if err == nil && ch.Minutes == n {
			return n, nil
		}
	}
	return 0, apperr.Fields(map[string]string{"for": "Choose how long to pause for."})
}

func (h *checkinHandlers) timeoutSubmit(c *fiber.Ctx) error {
	form := &checkinPauseForm{For: c.FormValue("for"), Note: c.FormValue("note")}
	minutes, err := form.minutes()
	if err == nil {
		_, err = h.svc.StartTimeout(c.UserContext(), membership(c), h.now().Add(time.Duration(minutes)*time.Minute), form.Note)
	}
	if err != nil {
		if apperr.As(err) == nil {
			return err
		}
		return h.renderList(c, form, err)
	}
	return c.Redirect("/checkins", fiber.StatusSeeOther)
}

// timeoutEndSubmit ends the viewer's own pause early; the other partner is refused (403), and a pause
// that has already ended leads back quietly.
func (h *checkinHandlers) timeoutEndSubmit(c *fiber.Ctx) error {
	err := h.svc.EndTimeout(c.UserContext(), membership(c))
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	back := localPath(c.FormValue("back"))
	return c.Redirect(back, fiber.StatusSeeOther)
}

// checkinTimeoutView is a pause as the banner shows it.
type checkinTimeoutView struct {
	Back  string // the page to return to after ending the pause
	Mine  bool   // the viewer asked for it, so only they are offered to end it early
	Until string // in the couple's time zone, in words, with the zone named
	Note  string
	CSRF  string
}

// timeoutView is the couple's current pause for the banner, or nil when there is none.
func (h *checkinHandlers) timeoutView(c *fiber.Ctx, m *couple.Membership) (*checkinTimeoutView, error) {
	t, err := checkinReads{h.svc}.CurrentTimeout(c.UserContext(), m)
	if err != nil || t == nil {
		return nil, err
	}
	until := checkinClock(t.UntilAt, m.Location, h.now()) + " (" + zoneName(m.Location) + ")"
	return &checkinTimeoutView{Back: c.Path(), Mine: t.UserID == m.Me.UserID, Until: until, Note: t.Note, CSRF: h.csrfToken(c)}, nil
}

// checkinClock says when t is, in loc: "21:30 today", "09:00 tomorrow (Thursday 26 November)".
func checkinClock(t time.Time, loc *time.Location, now time.Time) string {
	if loc == nil {
		loc = time.UTC
	}
	lt, ln := t.In(loc), now.In(loc)
	day := lt.Format("Monday 2 January")
	switch {
	case lt.YearDay() == ln.YearDay() && lt.Year() == ln.Year():
		return lt.Format("15:04") + " today"
	case lt.Sub(ln) < 48*time.Hour:
		return lt.Format("15:04") + " tomorrow (" + day + ")"
	default:
		return lt.Format("15:04") + " on " + day
	}
}

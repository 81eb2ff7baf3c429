package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/notify"
)

// feedCookie keeps a freshly made calendar link in its maker's own browser for an hour, so the page
// can show it after the redirect without the secret ever being stored readable.
const (
	feedCookie    = "mend_calendar"
	feedCookieAge = time.Hour
)

// pulseNotices are the confirmations the settings page shows after a change, chosen by ?done=.
var pulseNotices = map[string]string{
	"saved":    "Your settings are saved.",
	"sent":     "If e-mail can reach that address, a confirmation link is on its way. It works once, for 24 hours.",
	"calendar": "Your calendar link is ready. Add it to your calendar app as a subscription.",
	"revoked":  "The calendar link is switched off. Calendars subscribed to it will stop updating.",
}

// pulsePage is what the settings page shows besides the form.
type pulsePage struct {
	Settings *notify.View
	Email    string
	FeedURL  string
	Notice   string
}

func (h *pulse) settingsView(c *fiber.Ctx) (*view, *pulsePage, error) {
	u := auth.CurrentUser(c)
	st, err := h.svc.Get(c.UserContext(), u.ID, u.Email)
	if err != nil {
		return nil, nil, err
	}
	d := &pulsePage{Settings: st, Email: u.Email, Notice: pulseNotices[c.Query("done")]}
	if plain := c.Cookies(feedCookie); st.CalendarFeed && plain != "" && len(plain) <= 200 && h.svc.FeedIsLive(c.UserContext(), u.ID, plain) {
		d.FeedURL = h.svc.FeedURL(plain)
	}
	v := h.newView(c, "Notifications")
	v.Nav = "account"
	v.Form = map[string]string{"reminder_hour": strconv.Itoa(st.ReminderHour), "calendar_title": st.CalendarTitle, "review_title": st.ReviewTitle}
	v.Data = d
	return v, d, nil
}

func (h *pulse) settingsPage(c *fiber.Ctx) error {
	v, _, err := h.settingsView(c)
	if err != nil {
		return err
	}
	return h.render(c, "notifications", v)
}

// settingsSubmit saves the whole form: an unticked box turns its setting off.
func (h *pulse) settingsSubmit(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	on := func(k string) *bool { b := c.FormValue(k) == "on"; return &b }
	in := notify.Input{EmailReminders: on("email_reminders"), EmailUpdates: on("email_updates"), EmailSignInAlerts: on("email_sign_in_alerts")}
	title, review := c.FormValue("calendar_title"), c.FormValue("review_title")
	in.CalendarTitle, in.ReviewTitle = &title, &review
	hour, err := strconv.Atoi(c.FormValue("reminder_hour"))
	if err != nil {
		hour = -1
	}
	in.ReminderHour = &hour
	if _, err := h.svc.Update(c.UserContext(), u.ID, u.Email, in); err != nil {
		if apperr.As(err) == nil {
			return err
		}
		v, _, verr := h.settingsView(c)
		if verr != nil {
			return verr
		}
		for _, k := range []string{"reminder_hour", "calendar_title", "review_title"} {
			v.values()[k] = c.FormValue(k)
		}
		return h.renderForm(c, "notifications", v, err)
	}
	return c.Redirect("/account/notifications?done=saved", fiber.StatusSeeOther)
}

func (h *pulse) confirmRequestSubmit(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	if err := h.svc.RequestConfirm(c.UserContext(), u.ID, u.Email); err != nil {
		v, _, verr := h.settingsView(c)
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "notifications", v, err)
	}
	return c.Redirect("/account/notifications?done=sent", fiber.StatusSeeOther)
}

func (h *pulse) calendarCreateSubmit(c *fiber.Ctx) error {
	plain, err := h.svc.NewFeed(c.UserContext(), auth.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: feedCookie, Value: plain, Path: "/account/notifications", MaxAge: int(feedCookieAge.Seconds()),
		HTTPOnly: true, Secure: h.cfg.Secure(), SameSite: fiber.CookieSameSiteLaxMode})
	return c.Redirect("/account/notifications?done=calendar#calendar", fiber.StatusSeeOther)
}

func (h *pulse) calendarRevokeSubmit(c *fiber.Ctx) error {
	if err := h.svc.RevokeFeed(c.UserContext(), auth.CurrentUser(c).ID); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: feedCookie, Value: "", Path: "/account/notifications", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: h.cfg.Secure(), SameSite: fiber.CookieSameSiteLaxMode})
	return c.Redirect("/account/notifications?done=revoked#calendar", fiber.StatusSeeOther)
}

// confirmPage shows the confirmation link's button; opening the link changes nothing (SECURITY D1),
// so a mail scanner that follows it does not confirm anything.
func (h *pulse) confirmPage(c *fiber.Ctx) error {
	v := h.newView(c, "Confirm your address")
	err := h.svc.CheckConfirm(c.UserContext(), c.Params("token"))
	if err != nil && apperr.As(err) == nil {
		return err
	}
	v.Data = map[string]bool{"Valid": err == nil}
	if err != nil {
		v.Status = fiber.StatusNotFound
	}
	return h.render(c, "confirm_email", v)
}

func (h *pulse) confirmSubmit(c *fiber.Ctx) error {
	v := h.newView(c, "Confirm your address")
	err := h.svc.Confirm(c.UserContext(), c.Params("token"))
	if err != nil && apperr.As(err) == nil {
		return err
	}
	v.Data = map[string]bool{"Valid": err == nil, "Done": err == nil}
	if err != nil {
		v.Status = fiber.StatusNotFound
	}
	return h.render(c, "confirm_email", v)
}

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

// notificationsForm is the settings form: a checkbox reads "on" when ticked, and the hour is the
// option chosen.
type notificationsForm struct {
	EmailReminders, EmailUpdates, EmailSignInAlerts string
	ReminderHour, CalendarTitle, ReviewTitle        string
	fieldErrors
}

func parseNotificationsForm(c *fiber.Ctx) *notificationsForm {
	return &notificationsForm{EmailReminders: c.FormValue("email_reminders"), EmailUpdates: c.FormValue("email_updates"),
		EmailSignInAlerts: c.FormValue("email_sign_in_alerts"), ReminderHour: c.FormValue("reminder_hour"),
		CalendarTitle: c.FormValue("calendar_title"), ReviewTitle: c.FormValue("review_title")}
}

// notificationsFormOf is the form filled with the saved settings.
func notificationsFormOf(st *notify.View) *notificationsForm {
	box := func(on bool) string {
		if on {
			return "on"
		}
		return ""
	}
	return &notificationsForm{EmailReminders: box(st.EmailReminders), EmailUpdates: box(st.EmailUpdates), EmailSignInAlerts: box(st.EmailSignInAlerts),
		ReminderHour: strconv.Itoa(st.ReminderHour), CalendarTitle: st.CalendarTitle, ReviewTitle: st.ReviewTitle}
}

// input is the whole form as a change: an unticked box turns its setting off, and an hour that is
// not a number is one the service refuses.
func (f *notificationsForm) input() notify.Input {
	on := func(v string) *bool { b := v == "on"; return &b }
	hour, err := strconv.Atoi(f.ReminderHour)
	if err != nil {
		hour = -1
	}
	title, review := f.CalendarTitle, f.ReviewTitle
	return notify.Input{EmailReminders: on(f.EmailReminders), EmailUpdates: on(f.EmailUpdates), EmailSignInAlerts: on(f.EmailSignInAlerts),
		ReminderHour: &hour, CalendarTitle: &title, ReviewTitle: &review}
}

// settingsView is the settings page with form in it; nil is the form of the saved settings.
func (h *pulse) settingsView(c *fiber.Ctx, form *notificationsForm) (*view, error) {
	u := auth.CurrentUser(c)
	st, err := h.svc.Get(c.UserContext(), u.ID, u.Email)
	if err != nil {
		return nil, err
	}
	d := &pulsePage{Settings: st, Email: u.Email, Notice: pulseNotices[c.Query("done")]}
	if plain := c.Cookies(feedCookie); st.CalendarFeed && plain != "" && len(plain) <= 200 && h.svc.FeedIsLive(c.UserContext(), u.ID, plain) {
		d.FeedURL = h.svc.FeedURL(plain)
	}
	v := h.newView(c, "Notifications")
	v.Nav = "account"
	if form == nil {
		form = notificationsFormOf(st)
	}
	v.Form = form
	v.Data = d
	return v, nil
}

func (h *pulse) settingsPage(c *fiber.Ctx) error {
	v, err := h.settingsView(c, nil)
	if err != nil {
		return err
	}
	return h.render(c, "notifications", v)
}

// settingsSubmit saves the whole form: an unticked box turns its setting off.
func (h *pulse) settingsSubmit(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	form := parseNotificationsForm(c)
	if _, err := h.svc.Update(c.UserContext(), u.ID, u.Email, form.input()); err != nil {
		if apperr.As(err) == nil {
			return err
		}
		v, verr := h.settingsView(c, form)
		if verr != nil {
			return verr
		}
		return h.renderForm(c, "notifications", v, err)
	}
	return c.Redirect("/account/notifications?done=saved", fiber.StatusSeeOther)
}

func (h *pulse) confirmRequestSubmit(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	if err := h.svc.RequestConfirm(c.UserContext(), u.ID, u.Email); err != nil {
		v, verr := h.settingsView(c, nil)
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

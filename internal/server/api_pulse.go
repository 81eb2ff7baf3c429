package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/notify"
)

// notificationsJSON is the allowlisted view of a person's settings (DESIGN §5.2).
type notificationsJSON struct {
	EmailReminders    bool   `json:"email_reminders"`
	EmailUpdates      bool   `json:"email_updates"`
	EmailSignInAlerts bool   `json:"email_sign_in_alerts"`
	ReminderHour      int    `json:"reminder_hour"`
	CalendarFeed      bool   `json:"calendar_feed"`
	EmailConfirmed    bool   `json:"email_confirmed"`
	CalendarTitle     string `json:"calendar_title"`
	ReviewTitle       string `json:"review_title"`
	EmailAvailable    bool   `json:"email_available"`
}

func toNotificationsJSON(v *notify.View) notificationsJSON {
	return notificationsJSON{EmailReminders: v.EmailReminders, EmailUpdates: v.EmailUpdates, EmailSignInAlerts: v.EmailSignInAlerts,
		ReminderHour: v.ReminderHour, CalendarFeed: v.CalendarFeed, EmailConfirmed: v.EmailConfirmed,
		CalendarTitle: v.CalendarTitle, ReviewTitle: v.ReviewTitle, EmailAvailable: v.MailEnabled}
}

func (h *pulse) apiGet(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	v, err := h.svc.Get(c.UserContext(), u.ID, u.Email)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"notifications": toNotificationsJSON(v)})
}

// apiPut changes the settings named in the body; the others keep their value. calendar_feed and
// email_confirmed are not settable here (POST /me/calendar and the confirmation link are).
func (h *pulse) apiPut(c *fiber.Ctx) error {
	var req struct {
		EmailReminders    *bool   `json:"email_reminders"`
		EmailUpdates      *bool   `json:"email_updates"`
		EmailSignInAlerts *bool   `json:"email_sign_in_alerts"`
		ReminderHour      *int    `json:"reminder_hour"`
		CalendarTitle     *string `json:"calendar_title"`
		ReviewTitle       *string `json:"review_title"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u := auth.CurrentUser(c)
	v, err := h.svc.Update(c.UserContext(), u.ID, u.Email, notify.Input{EmailReminders: req.EmailReminders, EmailUpdates: req.EmailUpdates,
		EmailSignInAlerts: req.EmailSignInAlerts, ReminderHour: req.ReminderHour, CalendarTitle: req.CalendarTitle, ReviewTitle: req.ReviewTitle})
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"notifications": toNotificationsJSON(v)})
}

// apiConfirmRequest queues the confirmation message: 202 whether or not one was already on its way.
func (h *pulse) apiConfirmRequest(c *fiber.Ctx) error {
	u := auth.CurrentUser(c)
	if err := h.svc.RequestConfirm(c.UserContext(), u.ID, u.Email); err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusAccepted, fiber.Map{})
}

func (h *pulse) apiCalendarCreate(c *fiber.Ctx) error {
	url, err := h.svc.CreateFeed(c.UserContext(), auth.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"url": url})
}

func (h *pulse) apiCalendarRevoke(c *fiber.Ctx) error {
	if err := h.svc.RevokeFeed(c.UserContext(), auth.CurrentUser(c).ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// feed serves a calendar feed by its secret link (no session): text/calendar, or 404.
func (h *pulse) feed(c *fiber.Ctx) error {
	raw, err := h.svc.Feed(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="calendar.ics"`)
	return c.Send(raw)
}

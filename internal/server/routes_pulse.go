package server

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/notify"
)

// pulse serves each person's notification settings, the confirmation of their address and their
// calendar feed (DESIGN §5.2) over one notify.Service. Every route acts on the signed-in person's own
// settings only: nothing here is couple-scoped, and the partner never sees them.
type pulse struct {
	*Server
	svc *notify.Service
}

// routes registers the settings page and API.
func (h *pulse) routes(pages, api fiber.Router) {
	pages.Get("/account/notifications", h.settingsPage)
	pages.Post("/account/notifications", h.settingsSubmit)
	pages.Post("/account/notifications/confirm", h.confirmRequestSubmit)
	pages.Post("/account/calendar", h.calendarCreateSubmit)
	pages.Post("/account/calendar/revoke", h.calendarRevokeSubmit)

	api.Get("/me/notifications", h.apiGet)
	api.Put("/me/notifications", h.apiPut)
	api.Post("/me/email/confirm", h.apiConfirmRequest)
	api.Post("/me/calendar", h.apiCalendarCreate)
	api.Delete("/me/calendar", h.apiCalendarRevoke)
}

// public registers the two routes a link reaches without a session: the confirmation link and the
// calendar feed. Both are throttled per client (SECURITY L4).
func (h *pulse) public(pages, api fiber.Router) {
	pages.Get("/confirm-email/:token", h.throttle, h.confirmPage)
	pages.Post("/confirm-email/:token", h.throttle, h.confirmSubmit)
	pages.Get("/calendar/:token.ics", h.throttle, h.feed)
}

// errTooMany answers a client that looked up too many links.
var errTooMany = apperr.New(apperr.RateLimited, "Too many tries. Please wait a minute and try again.")

// throttle limits how often one client may look up confirmation and feed links; a refusal says, in
// Retry-After, when the client's window lets the next lookup through.
func (h *pulse) throttle(c *fiber.Ctx) error {
	client := "pulse|" + c.IP()
	if !h.limiter.AllowClient(client) {
		return tooMany(c, errTooMany, h.limiter.ClientWait(client))
	}
	return c.Next()
}

// export is the person's notification settings, without any secret.
func (h *pulse) export(ctx context.Context, u *account.User, _ *couple.Membership) (any, error) {
	v, err := h.svc.Get(ctx, u.ID, u.Email)
	if err != nil {
		return nil, err
	}
	return toNotificationsJSON(v), nil
}

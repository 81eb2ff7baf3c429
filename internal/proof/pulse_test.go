package proof

import (
	"net/http"
	"strings"
)

// runPulse sets both partners' notification settings with text in the calendar titles, through the
// page and the API, and makes a calendar feed for each (A's through the API, B's through the page).
// E-mail is not set up in the journey's app, so asking for a confirmation is a clear 409.
func (j *journey) runPulse() {
	j.get(j.A, "/account/notifications")
	j.form(j.A, "/account/notifications", http.StatusSeeOther, "reminder_hour", "20",
		"calendar_title", j.text("calendar-title-a"), "review_title", j.text("review-title-a"))
	j.api(j.B, http.MethodPut, "/api/v1/me/notifications", map[string]any{"reminder_hour": 8,
		"calendar_title": j.text("calendar-title-b"), "review_title": j.text("review-title-b")}, http.StatusOK)
	feed := j.api(j.A, http.MethodPost, "/api/v1/me/calendar", nil, http.StatusCreated)
	url, _ := feed["url"].(string)
	j.feed = strings.TrimSuffix(url[strings.LastIndex(url, "/")+1:], ".ics")
	j.secrets = append(j.secrets, j.feed)
	j.form(j.B, "/account/calendar", http.StatusSeeOther)
	j.get(j.B, "/account/notifications")
	j.api(j.A, http.MethodPost, "/api/v1/me/email/confirm", nil, http.StatusConflict)
	j.api(j.A, http.MethodGet, "/api/v1/me/notifications", nil, http.StatusOK)
}

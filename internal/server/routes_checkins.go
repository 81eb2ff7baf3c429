package server

import (
	"context"
	"html/template"
	"sort"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
)

// checkinHandlers serves the check-in pages and API over one checkin.Service: every handler, page and
// hook of the feature is a method of it. This file holds the routes and the feature's hooks (archive,
// export, dashboard card); pages_checkins.go the list of weeks, pages_checkins_week.go the week page,
// pages_checkins_answer.go the answer form, pages_checkins_listen.go active listening,
// pages_checkins_pause.go pauses, pages_checkins_view.go what the pages show of weeks and answers;
// api_checkins.go the API and api_checkins_json.go its response shapes.
type checkinHandlers struct {
	*Server
	svc *checkin.Service
}

// routes registers the weekly check-in pages and API (DESIGN §2.4, §3.2).
func (h *checkinHandlers) routes(pages, api fiber.Router) {
	rc := h.requireCouple

	pages.Get("/checkins", rc, h.listPage)
	pages.Get("/checkins/:week", rc, h.weekPage)
	pages.Post("/checkins/:week", rc, h.answerSubmit)
	pages.Post("/checkins/:week/reflections", rc, h.reflectSubmit)
	pages.Post("/checkins/:week/reflections/:id/response", rc, h.respondSubmit)
	pages.Post("/checkins/:week/reflections/:id/validation", rc, h.validateSubmit)
	pages.Post("/timeouts", rc, h.timeoutSubmit)
	pages.Post("/timeouts/end", rc, h.timeoutEndSubmit)

	api.Get("/checkins", rc, h.apiList)
	api.Get("/checkins/:week", rc, h.apiWeek)
	api.Put("/checkins/:week/mine", rc, h.apiSaveAnswer)
	api.Post("/checkins/:week/reflections", rc, h.apiReflect)
	api.Post("/checkins/:week/reflections/:id/response", rc, h.apiRespond)
	api.Post("/checkins/:week/reflections/:id/validation", rc, h.apiValidate)
	api.Post("/timeouts", rc, h.apiStartTimeout)
	api.Get("/timeouts/current", rc, h.apiCurrentTimeout)
	api.Post("/timeouts/current/end", rc, h.apiEndTimeout)
}

// checkinArchiveWeek is one week of the user's own answers in an ended couple.
type checkinArchiveWeek struct {
	Key     string
	Label   string
	Answers *checkinAnswerView
	Heard   []string
}

// archiveSection shows, in an ended couple, the user's own answers and what they heard (DESIGN §2.2).
func (h *checkinHandlers) archiveSection(c *fiber.Ctx, userID string, past couple.Past) (template.HTML, error) {
	answers, heard, err := h.svc.Archive(c.UserContext(), userID, past.Couple.ID)
	if err != nil || (len(answers) == 0 && len(heard) == 0) {
		return "", err
	}
	byWeek := map[string]*checkinArchiveWeek{}
	var weeks []*checkinArchiveWeek
	at := func(key string) *checkinArchiveWeek {
		if w, ok := byWeek[key]; ok {
			return w
		}
		label := key
		if wk, ok := checkin.ParseWeek(key); ok {
			label = wk.Label()
		}
		byWeek[key] = &checkinArchiveWeek{Key: key, Label: label}
		weeks = append(weeks, byWeek[key])
		return byWeek[key]
	}
	for i := range answers {
		at(answers[i].Week).Answers = toCheckinAnswerView(&answers[i], true)
	}
	for _, r := range heard {
		w := at(r.Week)
		w.Heard = append(w.Heard, r.Text)
		if r.Validation != "" {
			w.Heard = append(w.Heard, r.Validation)
		}
	}
	sort.Slice(weeks, func(i, j int) bool { return weeks[i].Key < weeks[j].Key })
	return h.views.partial("checkins-archive", weeks)
}

// export returns the user's check-ins: their own answers with their safety ratings, the partner's
// opened answers without theirs, reflections and time-outs (DESIGN §2.9, SECURITY H1).
func (h *checkinHandlers) export(ctx context.Context, u *account.User, m *couple.Membership) (any, error) {
	ex, err := h.svc.Export(ctx, u.ID, m)
	if err != nil {
		return nil, err
	}
	out := checkinExportJSON{Answers: []checkinMyAnswerJSON{}, PartnerAnswers: []checkinPartnerAnswerJSON{}, Reflections: []checkinReflectionJSON{}, Timeouts: []checkinTimeoutJSON{}}
	for i := range ex.Mine {
		out.Answers = append(out.Answers, *toCheckinMyAnswerJSON(&ex.Mine[i]))
	}
	for i := range ex.Partner {
		out.PartnerAnswers = append(out.PartnerAnswers, *toCheckinPartnerAnswerJSON(&ex.Partner[i]))
	}
	for i := range ex.Reflections {
		out.Reflections = append(out.Reflections, toCheckinReflectionJSON(&ex.Reflections[i], u.ID))
	}
	for i := range ex.Timeouts {
		out.Timeouts = append(out.Timeouts, toCheckinTimeoutJSON(&ex.Timeouts[i], u.ID))
	}
	return out, nil
}

// checkinCardData is what the dashboard card shows.
type checkinCardData struct {
	Week      checkinWeekItem
	Timeout   *checkinTimeoutView
	LowSafety bool
	CSRF      string
}

// dashboardCard shows this week's state and any time-out, in two statements.
func (h *checkinHandlers) dashboardCard(c *fiber.Ctx, m *couple.Membership) (template.HTML, error) {
	if m == nil {
		return "", nil
	}
	g, err := glance(c.UserContext(), h.svc, m)
	if err != nil {
		return "", err
	}
	d := checkinCardData{CSRF: h.csrfToken(c), LowSafety: g.LowSafety, Week: toCheckinWeekItem(g.Week, g.Week.Week)}
	if d.Timeout, err = h.timeoutView(c, m); err != nil {
		return "", err
	}
	return h.views.partial("checkins-card", d)
}

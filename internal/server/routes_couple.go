package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/couple"
)

// The couple scope, the one mechanism every couple-scoped feature uses (SECURITY C2, C6):
//
//   - loadMembership (global middleware) reads the signed-in user's current couple from the database on
//     every request; nothing about the couple is cached in the session or token, so leaving or deleting an
//     account cuts the former partner's access on their very next request.
//   - s.requireCouple guards every couple-scoped route: without a current couple the API answers 404 and
//     pages lead to /couple.
//   - A handler takes the couple only from membership(c): m.Couple.ID scopes every service call, and m.Me
//     is the acting member. An id from the URL or body is only ever looked up *within* that couple, so
//     another couple's resource is apperr.NotFound, indistinguishable from a missing one.
//
// Register a feature's couple routes like this, inside its routes function:
//
//	api.Get("/things/:id", s.requireCouple, s.apiThing)
//	// handler: m := membership(c); s.things.Get(ctx, m.Couple.ID, c.Params("id"))
//
// and add a row for each route to the cross-couple table (internal/server/crosscouple_test.go).

// routesJoinPublic registers the invite landing page, reachable before signing in.
func (s *Server) routesJoinPublic(app, _ fiber.Router) {
	app.Get("/join/:token", s.joinPage)
}

// routesCouple registers the couple, invite, leave, archive and dashboard routes.
func (s *Server) routesCouple(pages, api fiber.Router) {
	api.Post("/couple", s.apiStartCouple)
	api.Get("/couple", s.apiGetCouple)
	api.Patch("/couple", s.requireCouple, s.apiPatchCouple)
	api.Post("/couple/invite", s.requireCouple, s.apiInvite)
	api.Post("/couple/join", s.apiJoin)
	api.Post("/couple/leave", s.requireCouple, s.requireRecentAuth, s.apiLeave)
	api.Get("/me/archive", s.apiArchive)
	api.Get("/me/export", s.requireRecentAuth, s.apiExport)
	api.Delete("/me", s.requireRecentAuth, s.apiDeleteMe)

	pages.Get("/dashboard", s.dashboardPage)
	pages.Get("/couple", s.couplePage)
	pages.Post("/couple", s.coupleStartSubmit)
	pages.Post("/couple/settings", s.requireCouple, s.coupleSettingsSubmit)
	pages.Post("/couple/role", s.requireCouple, s.coupleRoleSubmit)
	pages.Post("/couple/invite", s.requireCouple, s.coupleInviteSubmit)
	pages.Post("/couple/join", s.coupleJoinSubmit)
	pages.Post("/couple/leave", s.requireCouple, s.requireRecentAuth, s.coupleLeaveSubmit)
	pages.Get("/archive", s.archivePage)
	pages.Get("/account/export", s.requireRecentAuth, s.exportDownload)
	pages.Get("/account/delete", s.deletePage)
	pages.Post("/account/delete", s.requireRecentAuth, s.deleteSubmit)
}

// memberJSON is a member as the couple sees them: never an email (SECURITY C5).
type memberJSON struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	JoinedAt    string `json:"joined_at"`
	Me          bool   `json:"me"`
}

// coupleJSON is the allowlisted shape of a couple in the API.
type coupleJSON struct {
	ID             string       `json:"id"`
	Status         string       `json:"status"`
	Timezone       string       `json:"timezone"`
	CheckinWeekday string       `json:"checkin_weekday"`
	CreatedAt      string       `json:"created_at"`
	EndedAt        *string      `json:"ended_at,omitempty"`
	Members        []memberJSON `json:"members"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func weekdayName(d int) string {
	if d < 0 || d >= len(couple.Weekdays) {
		return ""
	}
	return couple.Weekdays[d]
}

func personJSON(p couple.Person, me bool) memberJSON {
	return memberJSON{ID: p.UserID, DisplayName: p.DisplayName, Role: p.Role, JoinedAt: rfc3339(p.JoinedAt), Me: me}
}

// coupleJSONOf returns the current couple as JSON, or nil (JSON null) without one.
func coupleJSONOf(m *couple.Membership) *coupleJSON {
	if m == nil {
		return nil
	}
	out := &coupleJSON{ID: m.Couple.ID, Status: m.Status(), Timezone: m.Couple.Timezone,
		CheckinWeekday: weekdayName(m.Couple.CheckinWeekday), CreatedAt: rfc3339(m.Couple.CreatedAt),
		Members: []memberJSON{personJSON(m.Me, true)}}
	if m.Partner != nil {
		out.Members = append(out.Members, personJSON(*m.Partner, false))
	}
	return out
}

// pastJSON is an ended couple in the user's archive.
type pastJSON struct {
	ID             string  `json:"id"`
	Status         string  `json:"status"`
	Timezone       string  `json:"timezone"`
	CheckinWeekday string  `json:"checkin_weekday"`
	CreatedAt      string  `json:"created_at"`
	EndedAt        *string `json:"ended_at,omitempty"`
	JoinedAt       string  `json:"joined_at"`
	LeftAt         string  `json:"left_at"`
	Partner        string  `json:"partner_display_name"`
}

func pastJSONOf(p couple.Past) pastJSON {
	out := pastJSON{ID: p.Couple.ID, Status: "ended", Timezone: p.Couple.Timezone, CheckinWeekday: weekdayName(p.Couple.CheckinWeekday),
		CreatedAt: rfc3339(p.Couple.CreatedAt), JoinedAt: rfc3339(p.JoinedAt), LeftAt: rfc3339(p.LeftAt), Partner: p.Partner}
	if p.Couple.EndedAt != nil {
		e := rfc3339(*p.Couple.EndedAt)
		out.EndedAt = &e
	}
	return out
}

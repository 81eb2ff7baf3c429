package server

import (
	"context"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
)

// feature is one part of Mend as its users know it: its routes and what it adds to the pages and
// operations every feature shares. Any hook may be nil.
type feature struct {
	// name is the feature's key in a user's export.
	name string
	// public registers the routes that answer without a session; each must be on publicPages or
	// publicAPI (routes.go), which the route test checks.
	public func(pages, api fiber.Router)
	// routes registers the routes that need a session (pages, then /api/v1).
	routes func(pages, api fiber.Router)
	// card renders the feature's card on the dashboard.
	card dashboardHook
	// export returns the feature's section of a user's export.
	export exportHook
	// archive renders the feature's read-only section of an ended couple on /archive.
	archive archiveHook
	// erase removes what the feature holds of a user when they delete their account; nil where every
	// row goes with the user by the schema's ON DELETE CASCADE.
	erase couple.EraseHook
}

// featureList is every feature Mend has and where each lives. The order is the order people see: the
// dashboard's cards, the archive's sections and the export's keys follow it.
func (s *Server) featureList(svc services) []feature {
	agreements := &agreementHandlers{Server: s, svc: svc.agreements, plan: svc.plan}
	ack := &ackHandlers{Server: s, svc: svc.plan}
	actionPlan := &planHandlers{Server: s, svc: svc.plan}
	progress := &progressHandlers{Server: s, svc: svc.plan}
	moments := &momentHandlers{Server: s, svc: svc.plan}
	checkins := &checkinHandlers{Server: s, svc: svc.checkins}
	return []feature{
		// Guidance: the article in our own words (routes_guidance.go, internal/guidance, web/guidance).
		{name: "guidance", public: s.routesGuidance},
		// Accounts: sign-in, registration, sessions, password, export and deletion (pages_auth.go,
		// api_auth.go, pages_account.go, api_account.go, api_mydata.go, internal/account).
		{name: "account", public: s.routesAuthPublic, routes: s.routesAccount},
		// Couples: starting one, the invite, settings, roles, leaving, the archive and the dashboard
		// (pages_couple.go, pages_join.go, api_couple.go, pages_dashboard.go, internal/couple).
		{name: "couple", public: s.routesJoinPublic, routes: s.routesCouple},
		// Agreements: versions, consent log, review (routes_agreements.go, pages_agreements*.go,
		// api_agreements.go, internal/agreement).
		{name: "agreements", routes: agreements.routes, card: agreements.dashboardCard, export: agreements.export,
			archive: agreements.archiveSection, erase: agreement.DeleteUser},
		// Weekly check-ins, active listening and time-outs (routes_checkins.go, pages_checkins*.go,
		// api_checkins*.go, internal/checkin).
		{name: "checkins", routes: checkins.routes, card: checkins.dashboardCard, export: checkins.export,
			archive: checkins.archiveSection, erase: checkin.Erase},
		// The acknowledgment (routes_plan.go, pages_plan_ack.go, api_plan.go, internal/plan).
		{name: "acknowledgment", routes: ack.routes, export: ack.export},
		// The action plan and the therapy prompt (routes_plan.go, pages_plan.go, api_plan.go, internal/plan).
		{name: "plan", routes: actionPlan.routes, card: actionPlan.dashboardCard, export: actionPlan.export,
			archive: actionPlan.archiveSection},
		// Moments of connection (pages_plan_moments.go, api_plan_moments.go, internal/plan).
		{name: "moments", routes: moments.routes, export: moments.export},
		// Progress: the charts and small wins (routes_plan.go, pages_plan_progress.go, pages_plan_chart.go,
		// api_plan_progress.go, internal/plan).
		{name: "progress", routes: progress.routes},
	}
}

// exportHook returns one feature's section of a user's export. m is nil when the user has no couple.
type exportHook func(ctx context.Context, u *account.User, m *couple.Membership) (any, error)

// dashboardHook renders one feature's card for the dashboard; empty HTML means no card.
// It is called only when the user has a current couple (m is never nil).
type dashboardHook func(c *fiber.Ctx, m *couple.Membership) (template.HTML, error)

// archiveHook renders one feature's read-only section of an ended couple on /archive (DESIGN §2.2): only
// what userID wrote themselves in that couple, plus what they had accepted; empty HTML means nothing to show.
type archiveHook func(c *fiber.Ctx, userID string, past couple.Past) (template.HTML, error)

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
	accounts := &accountHandlers{Server: s, svc: svc.accounts, couples: svc.couples, pulse: svc.notify}
	couples := &coupleHandlers{Server: s, svc: svc.couples, accounts: svc.accounts, plan: svc.plan, questions: svc.questions}
	agreements := &agreementHandlers{Server: s, svc: svc.agreements, plan: svc.plan}
	ack := &ackHandlers{Server: s, svc: svc.plan}
	actionPlan := &planHandlers{Server: s, svc: svc.plan}
	progress := &progressHandlers{Server: s, svc: svc.plan, triggers: svc.triggers, monthly: svc.monthly}
	moments := &momentHandlers{Server: s, svc: svc.plan}
	checkins := &checkinHandlers{Server: s, svc: svc.checkins}
	safety := &safetyHandlers{accountHandlers: accounts, plan: svc.plan, checkins: svc.checkins, agreements: svc.agreements, notify: svc.notify}
	pulse := &pulse{Server: s, svc: svc.notify}
	triggers := &triggerHandlers{Server: s, svc: svc.triggers, lowSafety: svc.checkins.CheckLowSafety}
	questions := &questionHandlers{Server: s, svc: svc.questions, lowSafety: svc.checkins.CheckLowSafety}
	monthly := &monthlyHandlers{Server: s, svc: svc.monthly, lowSafety: svc.checkins.CheckLowSafety}
	forYou := &updateHandlers{Server: s, svc: svc.updates}
	return []feature{
		// Guidance: the article in our own words (routes_guidance.go, internal/guidance, web/guidance).
		{name: "guidance", public: s.routesGuidance},
		// Accounts: sign-in, registration, sessions, password, export and deletion (routes_account.go,
		// pages_auth.go, pages_account.go, pages_mydata.go, api_auth.go, api_account.go, api_mydata.go,
		// signin.go, account_ops.go, internal/account).
		{name: "account", public: accounts.public, routes: accounts.routes},
		// Notifications: each person's settings, the confirmed address, the calendar feed (routes_pulse.go,
		// pages_pulse.go, api_pulse.go, internal/notify, internal/mail). Rows go with the account by ON DELETE CASCADE.
		{name: "notifications", public: pulse.public, routes: pulse.routes, export: pulse.export},
		// "For you": what changed for me, first on the home page, derived from the other features' data;
		// only the marks of what I have seen are kept (routes_updates.go, internal/updates). Rows go with
		// the account by ON DELETE CASCADE.
		{name: "updates", routes: forYou.routes},
		// Couples: starting one, the invite, settings, roles, leaving, the archive and the dashboard
		// (routes_couple.go, pages_couple.go, pages_join.go, api_couple.go, api_couple_json.go,
		// pages_dashboard.go, pages_archive.go, internal/couple).
		{name: "couple", public: couples.public, routes: couples.routes},
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
		// Progress: the charts and small wins, each person's own triggers per week and the monthly trends
		// (routes_plan.go, pages_plan_progress.go, pages_plan_chart.go, progress_repair.go,
		// api_plan_progress.go, internal/plan).
		{name: "progress", routes: progress.routes},
		// The trigger log, its signals and the responses to them (routes_triggers.go, pages_triggers.go,
		// api_triggers.go, internal/trigger). Every row goes with its author by ON DELETE CASCADE.
		{name: "triggers", routes: triggers.routes, export: triggers.export, archive: triggers.archiveSection},
		// Questions answered once and kept, and their pause (routes_questions.go, pages_questions.go,
		// api_questions.go, internal/question). Every row goes with its writer by ON DELETE CASCADE.
		{name: "questions", routes: questions.routes, export: questions.export, archive: questions.archiveSection},
		// The monthly look, sealed as the weekly answers, and each person's own trend (routes_monthly.go,
		// pages_monthly.go, api_monthly.go, internal/monthly). Every row goes by ON DELETE CASCADE.
		{name: "monthly", routes: monthly.routes, export: monthly.export},
		// The Safety Check, the sign-in history, two-step sign-in, passkeys, auto-lock and the pause of
		// every notification (routes_safety.go, safety.go, pages_safety.go, api_safety.go, pages_twostep.go,
		// api_twostep.go, twostep.go, qr.go, passkeys.go, api_passkeys.go, pages_passkeys.go,
		// web/static/js/passkey.js, internal/account events.go, totp.go, challenge.go, passkey.go,
		// autolock.go, internal/notify pause.go).
		{name: "security", public: safety.public, routes: safety.routes, export: safety.export},
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

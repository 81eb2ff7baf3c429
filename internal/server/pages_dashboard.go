package server

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/auth"
	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/updates"
)

// dashboardData is what dashboard.html shows besides the membership in the view.
type dashboardData struct {
	couplePageData
	// LowSafety is set while the user's latest safety answer is low: the next step is then support
	// for them, never something to do together (DESIGN §2.4).
	LowSafety bool
	// Cards are the features' dashboard cards, in the feature list's order.
	Cards []template.HTML
	// ForYou are the user's updates, newest first ("For you", at the top of the page).
	ForYou []forYouItem
	// ForYouList is the list's items as HTML (pages_dashboard_foryou.go).
	ForYouList template.HTML
	// ForYouNew counts the ones not seen yet.
	ForYouNew int
	// Path is the next step on the user's own path (pages_dashboard_path.go).
	Path *homePath
}

// forYouItem is one update as the home page says it: in plain words, never with personal text.
type forYouItem struct {
	updates.Update
	Text string
}

// forYouWords say each kind of update. None names what the partner has not done.
var forYouWords = map[string]string{
	updates.AcknowledgmentShared:   "An acknowledgment was shared with you.",
	updates.AcknowledgmentResponse: "There is a response to your acknowledgment.",
	updates.AgreementWaiting:       "A version of an agreement is waiting for your answer.",
	updates.AgreementDueForReview:  "An agreement is due for a look together.",
	updates.AgreementWithdrawn:     "Consent to an agreement was withdrawn.",
	updates.CheckinOpened:          "A week's answers are open for you both.",
	updates.ReflectionWaiting:      "What was heard of your answers is waiting for you to say whether it is right.",
	updates.ReflectionAnswered:     "What you heard has an answer.",
	updates.TimeoutActive:          "A pause is in place. It ends by itself at its time.",
	updates.TherapyPrompt:          "Something to consider: support from someone trained to help, together.",
	updates.NewSignIn:              "A new device signed in to your account.",
}

// forYou returns the user's updates in the home page's words.
func (h *coupleHandlers) forYou(c *fiber.Ctx, d *dashboardData) error {
	list, err := h.updates.For(c.UserContext(), auth.CurrentUser(c).ID, membership(c))
	if err != nil {
		return err
	}
	for _, u := range list {
		text := forYouWords[u.Kind]
		if u.Kind == updates.TherapyPrompt && u.Detail == plan.PromptIndividual {
			text = "Help just for you is there whenever you want it."
		}
		d.ForYou = append(d.ForYou, forYouItem{Update: u, Text: text})
		if !u.Seen {
			d.ForYouNew++
		}
	}
	return nil
}

// dashboardPage shows the couple, the partner and whether they have joined, the invite while waiting,
// the next step, and each feature's card. Without a couple it shows, if a couple ended, only that it ended.
func (h *coupleHandlers) dashboardPage(c *fiber.Ctx) error {
	v := h.newView(c, "Home")
	v.Nav = "home"
	d := &dashboardData{}
	m := v.Membership
	if m != nil {
		// The agreements' card, the plan's card and "For you" read the agreement summaries, the plan's
		// card and "For you" the plan (its therapy prompt), the check-in card and "For you" the current
		// pause, and every card may ask whether the user's safety is low, which the check-in card's glance
		// answers: each is read once per view.
		c.SetUserContext(withGlanceMemo(withPauseMemo(plan.WithDashboardMemo(plan.WithSafetyMemo(agreement.WithMemo(c.UserContext())))), m))
	}
	if err := h.forYou(c, d); err != nil {
		return err
	}
	d.ForYouList = forYouList(d.ForYou, v.Zone())
	if m == nil {
		hist, err := h.svc.History(c.UserContext(), auth.CurrentUser(c).ID)
		if err != nil {
			return err
		}
		if len(hist) > 0 {
			d.Ended = &hist[0]
		}
		v.Data = d
		return h.render(c, "dashboard", v)
	}
	d.Weekday = time.Weekday(m.Couple.CheckinWeekday).String()
	if err := h.loadInvite(c, m, &d.couplePageData); err != nil {
		return err
	}
	var err error
	if d.LowSafety, err = h.plan.LowSafety(c.UserContext(), m); err != nil {
		return err
	}
	if d.Path, err = h.pathStep(c, m, d.LowSafety); err != nil {
		return err
	}
	for _, f := range h.features {
		if f.card == nil {
			continue
		}
		card, err := f.card(c, m)
		if err != nil {
			return err
		}
		if card != "" {
			d.Cards = append(d.Cards, card)
		}
	}
	v.Data = d
	return h.render(c, "dashboard", v)
}

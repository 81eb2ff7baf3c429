package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/agreement"
)

// agreementGroup is one status group of the list page.
type agreementGroup struct {
	ID, Heading, Intro string
	Items              []agreementItem
}

// agreementItem is one agreement as the list page shows it.
type agreementItem struct {
	ID, Title, Category, State string
	Version                    int
	Waiting                    bool
}

// categoryOption is one choice of the category select.
type categoryOption struct{ Value, Label string }

// agreementForm is the data of the new, edit and conflict pages.
type agreementForm struct {
	Categories []categoryOption
	Starters   []agreement.Starter
	Starter    string
	Action     string
	Keep       string
	Today      string
	MaxEnd     string
	MaxReview  string
	// ID and Number are set when editing an existing agreement (Number is the base version);
	// Theirs is the latest version shown beside the person's own text on the conflict page.
	ID           string
	Number, Next int
	Theirs       *theirVersion
}

// theirVersion is the latest version as the conflict page shows it.
type theirVersion struct {
	Number                               int
	Who, Title, Body, Category, ReviewOn string
	EndsOn                               string
}

func categoryOptions() []categoryOption {
	out := make([]categoryOption, 0, len(agreement.Categories))
	for _, c := range agreement.Categories {
		out = append(out, categoryOption{c, agreement.CategoryLabels[c]})
	}
	return out
}

// newForm fills the form data shared by the new, edit and conflict pages.
func (h *agreementHandlers) newForm(c *fiber.Ctx) agreementForm {
	today := h.svc.Today(membership(c))
	return agreementForm{Categories: categoryOptions(), Starters: agreement.Starters, Action: "/agreements", Keep: "agreement-new",
		Today: today, MaxEnd: agreement.AddMonths(today, agreement.MaxEndMonths), MaxReview: agreement.AddMonths(today, agreement.MaxReviewMonths)}
}

func formOf(in agreement.Input) map[string]string {
	return map[string]string{"title": in.Title, "body": in.Body, "category": in.Category, "review_on": in.ReviewOn, "ends_on": in.EndsOn}
}

// formInput reads the agreement fields of a posted form.
func formInput(c *fiber.Ctx) agreement.Input {
	return agreement.Input{Title: c.FormValue("title"), Body: c.FormValue("body"), Category: c.FormValue("category"),
		ReviewOn: c.FormValue("review_on"), EndsOn: c.FormValue("ends_on")}
}

func (h *agreementHandlers) agreementView(c *fiber.Ctx) *view {
	v := h.newView(c, "Agreements")
	v.Nav = "agreements"
	return v
}

func (h *agreementHandlers) listPage(c *fiber.Ctx) error {
	sc := membership(c)
	views, err := h.svc.List(c.UserContext(), sc)
	if err != nil {
		return err
	}
	groups := []agreementGroup{
		{ID: "due", Heading: "Due for a review", Intro: "The date you set to look at these again has come. There's no rush; it'll keep until you can sit down together."},
		{ID: "ended", Heading: "Period ended", Intro: "These transparency agreements reached their end date. Talk them over together, then record a review or propose a new period."},
		{ID: "proposed", Heading: "Proposed", Intro: "A version that one of you has not accepted yet. Read it, accept it, or suggest changes."},
		{ID: "active", Heading: "Active", Intro: "You have both accepted the latest version."},
		{ID: "withdrawn", Heading: "Withdrawn", Intro: "Consent was withdrawn. Either of you can propose a new version."},
	}
	index := map[string]int{"due": 0, agreement.StatusEnded: 1, agreement.StatusProposed: 2, agreement.StatusActive: 3, agreement.StatusWithdrawn: 4}
	for i := range views {
		a := &views[i]
		item := agreementItem{ID: a.ID, Title: a.Current.Title, Category: agreement.CategoryLabels[a.Current.Category],
			Version: a.Current.Number, Waiting: a.WaitingFor(sc.Me.UserID), State: stateLine(a, sc.Me.UserID)}
		key := a.Status
		if a.DueForReview {
			key = "due"
		}
		groups[index[key]].Items = append(groups[index[key]].Items, item)
	}
	shown := groups[:0]
	for _, g := range groups {
		if len(g.Items) > 0 {
			shown = append(shown, g)
		}
	}
	v := h.agreementView(c)
	v.Data = map[string]any{"Groups": shown, "Empty": len(views) == 0}
	return h.render(c, "agreements", v)
}

// stateLine says in a few words where an agreement stands for userID, without naming who is waiting.
func stateLine(a *agreement.View, userID string) string {
	switch {
	case a.DueForReview:
		return "Active. Review date: " + humanDate(a.ReviewOn) + "."
	case a.Status == agreement.StatusActive:
		if a.Current.EndsOn != nil {
			return "Active until " + humanDate(*a.Current.EndsOn) + "."
		}
		return "Active. Next review: " + humanDate(a.ReviewOn) + "."
	case a.Status == agreement.StatusEnded:
		return "Ended on " + humanDate(*a.Current.EndsOn) + "."
	case a.Status == agreement.StatusWithdrawn:
		return "Consent withdrawn."
	case a.WaitingFor(userID):
		return "Waiting for you to read it."
	default:
		return "You have accepted this version. It becomes active when you both have."
	}
}

func (h *agreementHandlers) newPage(c *fiber.Ctx) error {
	v := h.agreementView(c)
	form := h.newForm(c)
	in := agreement.Input{Category: "communication", ReviewOn: agreement.AddMonths(form.Today, 3)}
	if st := agreement.StarterByKey(c.Query("template")); st != nil {
		in = st.Fill(form.Today)
		form.Starter = st.Key
	}
	v.Form = formOf(in)
	v.Data = form
	return h.render(c, "agreement_new", v)
}

func (h *agreementHandlers) createSubmit(c *fiber.Ctx) error {
	in := formInput(c)
	a, err := h.svc.Create(c.UserContext(), membership(c), in)
	if err != nil {
		v := h.agreementView(c)
		v.Form = formOf(in)
		v.Data = h.newForm(c)
		return h.renderForm(c, "agreement_new", v, err)
	}
	return c.Redirect("/agreements/"+a.ID+"?saved=new", fiber.StatusSeeOther)
}

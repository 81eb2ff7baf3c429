package server

import (
	"strconv"

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

// agreementPage is the data of the new, edit and conflict pages besides the form.
type agreementPage struct {
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

func categoryOptions() []categoryOption {
	out := make([]categoryOption, 0, len(agreement.Categories))
	for _, c := range agreement.Categories {
		out = append(out, categoryOption{c, agreement.CategoryLabels[c]})
	}
	return out
}

// newAgreementPage fills the page data shared by the new, edit and conflict pages.
func (h *agreementHandlers) newAgreementPage(c *fiber.Ctx) agreementPage {
	today := h.svc.Today(membership(c))
	return agreementPage{Categories: categoryOptions(), Starters: agreement.Starters, Action: "/agreements", Keep: "agreement-new",
		Today: today, MaxEnd: agreement.AddMonths(today, agreement.MaxEndMonths), MaxReview: agreement.AddMonths(today, agreement.MaxReviewMonths)}
}

// agreementForm is the form of the new, edit and conflict pages. BaseVersion is the version an edit is
// based on (a hidden input; empty on the new page).
type agreementForm struct {
	Title, Body, Category, ReviewOn, EndsOn, BaseVersion string
	fieldErrors
}

func parseAgreementForm(c *fiber.Ctx) *agreementForm {
	return &agreementForm{Title: c.FormValue("title"), Body: c.FormValue("body"), Category: c.FormValue("category"),
		ReviewOn: c.FormValue("review_on"), EndsOn: c.FormValue("ends_on"), BaseVersion: c.FormValue("base_version")}
}

// agreementFormOf is a form filled with in, for a page shown before anything is typed.
func agreementFormOf(in agreement.Input) *agreementForm {
	return &agreementForm{Title: in.Title, Body: in.Body, Category: in.Category, ReviewOn: in.ReviewOn, EndsOn: in.EndsOn}
}

func (f *agreementForm) input() agreement.Input {
	return agreement.Input{Title: f.Title, Body: f.Body, Category: f.Category, ReviewOn: f.ReviewOn, EndsOn: f.EndsOn}
}

// versionNumber reads a version number posted in a form, or -1, which no version has, when it cannot.
func versionNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
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
	page := h.newAgreementPage(c)
	in := agreement.Input{Category: "communication", ReviewOn: agreement.AddMonths(page.Today, 3)}
	if st := agreement.StarterByKey(c.Query("template")); st != nil {
		in = st.Fill(page.Today)
		page.Starter = st.Key
	}
	v.Form = agreementFormOf(in)
	v.Data = page
	return h.render(c, "agreement_new", v)
}

func (h *agreementHandlers) createSubmit(c *fiber.Ctx) error {
	form := parseAgreementForm(c)
	a, err := h.svc.Create(c.UserContext(), membership(c), form.input())
	if err != nil {
		v := h.agreementView(c)
		v.Form = form
		v.Data = h.newAgreementPage(c)
		return h.renderForm(c, "agreement_new", v, err)
	}
	return c.Redirect("/agreements/"+a.ID+"?saved=new", fiber.StatusSeeOther)
}

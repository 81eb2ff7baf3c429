package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
)

// agreementDetail is the data of /agreements/{id}.
type agreementDetail struct {
	ID                        string
	Shown                     agreement.Version
	IsLatest                  bool
	Latest, Next              int
	Prev                      *agreement.Version
	TitleDiff, BodyDiff       []agreement.Segment
	TitleChanged, BodyChanged bool
	Changes                   []string
	Status, StatusText        string
	Category                  string
	ReviewOn, EndsOn          string
	DueForReview              bool
	Log                       []logLine
	Versions                  []versionLink
	CanAccept                 bool
	CanWithdraw               bool
	CanReview                 bool
	Solo                      bool
	NextReview                string
	Today, MaxReview          string
	Saved                     string
}

type logLine struct{ Who, What, At, Note string }

type versionLink struct {
	Number   int
	Who, At  string
	Shown    bool
	IsLatest bool
}

func logWhat(e agreement.Event) string {
	n := strconv.Itoa(e.Version)
	switch e.Action {
	case agreement.ActionProposed:
		return "proposed version " + n
	case agreement.ActionAccepted:
		return "accepted version " + n
	case agreement.ActionWithdrawn:
		return "withdrew consent to version " + n
	default:
		s := "reviewed version " + n
		if e.NextReviewOn != nil {
			s += "; next review " + humanDate(*e.NextReviewOn)
		}
		return s
	}
}

func statusText(a *agreement.View, userID string, solo bool) string {
	n := strconv.Itoa(a.Current.Number)
	switch a.Status {
	case agreement.StatusActive:
		return "Active: you both accepted version " + n + "."
	case agreement.StatusEnded:
		return "Ended: the agreed period finished on " + humanDate(*a.Current.EndsOn) + ". Talk it over together, then record a review or propose a new period."
	case agreement.StatusWithdrawn:
		return "Withdrawn: consent to version " + n + " was withdrawn. Either of you can propose a new version."
	}
	if solo {
		return "Proposed: version " + n + " will wait here until your partner joins and reads it."
	}
	if a.WaitingFor(userID) {
		return "Proposed: version " + n + " is waiting for you to read it. Accept it, or suggest changes."
	}
	return "Proposed: you have accepted version " + n + ". It becomes active when you have both accepted it."
}

// changes lists the differences besides title and body between two versions.
func changes(prev, cur *agreement.Version) []string {
	var out []string
	if prev.Category != cur.Category {
		out = append(out, "Kind: "+agreement.CategoryLabels[prev.Category]+" → "+agreement.CategoryLabels[cur.Category])
	}
	if prev.ReviewOn != cur.ReviewOn {
		out = append(out, "Review date: "+humanDate(prev.ReviewOn)+" → "+humanDate(cur.ReviewOn))
	}
	pe, ce := "none", "none"
	if prev.EndsOn != nil {
		pe = humanDate(*prev.EndsOn)
	}
	if cur.EndsOn != nil {
		ce = humanDate(*cur.EndsOn)
	}
	if pe != ce {
		out = append(out, "End date: "+pe+" → "+ce)
	}
	return out
}

// detail builds the page data for a, showing version shown (0 means the latest).
func (h *agreementHandlers) detail(c *fiber.Ctx, a *agreement.View, shown int) agreementDetail {
	sc := membership(c)
	solo := sc.Partner == nil
	ver := a.Version(shown)
	if ver == nil {
		ver = &a.Current
	}
	today := h.svc.Today(sc)
	d := agreementDetail{ID: a.ID, Shown: *ver, IsLatest: ver.Number == a.Current.Number, Latest: a.Current.Number, Next: a.Current.Number + 1,
		Prev: a.Before(ver.Number), Status: a.Status, StatusText: statusText(a, sc.Me.UserID, solo),
		Category: agreement.CategoryLabels[ver.Category], ReviewOn: humanDate(a.ReviewOn), DueForReview: a.DueForReview,
		CanAccept: a.CanAccept(sc.Me.UserID) && !solo, CanWithdraw: a.CanWithdraw(sc.Me.UserID), CanReview: a.CanReview(), Solo: solo,
		NextReview: agreement.AddMonths(today, 3), Today: today, MaxReview: agreement.AddMonths(today, agreement.MaxReviewMonths)}
	if !d.IsLatest {
		d.ReviewOn = humanDate(ver.ReviewOn)
	}
	if ver.EndsOn != nil {
		d.EndsOn = humanDate(*ver.EndsOn)
	}
	if d.Prev != nil {
		d.TitleDiff = agreement.WordDiff(d.Prev.Title, ver.Title)
		d.BodyDiff = agreement.WordDiff(d.Prev.Body, ver.Body)
		d.TitleChanged, d.BodyChanged = agreement.Changed(d.TitleDiff), agreement.Changed(d.BodyDiff)
		d.Changes = changes(d.Prev, ver)
	}
	for _, e := range a.Log {
		d.Log = append(d.Log, logLine{Who: whoName(sc, e.ActorID), What: logWhat(e), At: clockIn(e.CreatedAt, sc.Location), Note: e.Note})
	}
	for _, v := range a.Versions {
		d.Versions = append(d.Versions, versionLink{Number: v.Number, Who: whoName(sc, v.AuthorID),
			At: dayIn(v.CreatedAt, sc.Location), Shown: v.Number == ver.Number, IsLatest: v.Number == a.Current.Number})
	}
	return d
}

// consentForm is what was typed in one of the detail page's three forms: accept (the version accepted
// and a note), review (the next review date and a note) or withdraw (a note). Action names the form it
// came from ("accept", "review" or "withdraw"), so only that form shows the text and its errors again;
// it is empty on a page just opened.
type consentForm struct {
	Action, Version, NextReviewOn, Note string
	fieldErrors
}

func parseConsentForm(c *fiber.Ctx, action string) *consentForm {
	return &consentForm{Action: action, Version: c.FormValue("version"), NextReviewOn: c.FormValue("next_review_on"), Note: c.FormValue("note")}
}

// Posted reports whether the form came from the page's form for action.
func (f *consentForm) Posted(action string) bool { return f.Action == action }

func (h *agreementHandlers) showPage(c *fiber.Ctx) error {
	a, err := h.svc.Get(c.UserContext(), membership(c), c.Params("id"))
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(c.Query("version"))
	d := h.detail(c, a, n)
	switch c.Query("saved") {
	case "new":
		d.Saved = "agreement-new"
	case "edit":
		d.Saved = "agreement-" + a.ID
	}
	v := h.agreementView(c)
	v.Form = &consentForm{}
	v.Data = d
	h.markSeen(c, "/agreements/"+a.ID)
	return h.render(c, "agreement", v)
}

// consentDone answers a successful action with a redirect, or shows the page again with what went wrong:
// field errors (422) with the typed text kept, or a conflict (409) over the latest version.
func (h *agreementHandlers) consentDone(c *fiber.Ctx, id string, form *consentForm, err error) error {
	if err == nil {
		return c.Redirect("/agreements/"+id, fiber.StatusSeeOther)
	}
	if e := apperr.As(err); e == nil || (e.Kind != apperr.Invalid && e.Kind != apperr.Conflict) {
		return err
	}
	a, gerr := h.svc.Get(c.UserContext(), membership(c), id)
	if gerr != nil {
		return gerr
	}
	v := h.agreementView(c)
	v.Form = form
	v.Data = h.detail(c, a, 0)
	return h.renderForm(c, "agreement", v, err)
}

func (h *agreementHandlers) acceptSubmit(c *fiber.Ctx) error {
	id, form := c.Params("id"), parseConsentForm(c, "accept")
	_, err := h.svc.Accept(c.UserContext(), membership(c), id, versionNumber(form.Version), form.Note)
	return h.consentDone(c, id, form, err)
}

func (h *agreementHandlers) withdrawSubmit(c *fiber.Ctx) error {
	id, form := c.Params("id"), parseConsentForm(c, "withdraw")
	_, err := h.svc.Withdraw(c.UserContext(), membership(c), id, form.Note)
	return h.consentDone(c, id, form, err)
}

func (h *agreementHandlers) reviewSubmit(c *fiber.Ctx) error {
	id, form := c.Params("id"), parseConsentForm(c, "review")
	_, err := h.svc.Review(c.UserContext(), membership(c), id, form.NextReviewOn, form.Note)
	return h.consentDone(c, id, form, err)
}

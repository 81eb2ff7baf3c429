package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/plan"
)

// planPageData is what plan.html shows.
type planPageData struct {
	Section    string
	Plan       *plan.PlanView
	Items      []planItemPage
	Partner    string
	HasPartner bool
	Decisions  []option
	Today      string
	MaxRevisit string
	Added      bool
}

var therapyOptions = []option{
	{plan.TherapySeeing, plan.TherapyLabels[plan.TherapySeeing]},
	{plan.TherapyConsidering, plan.TherapyLabels[plan.TherapyConsidering]},
	{plan.TherapyNotNow, plan.TherapyLabels[plan.TherapyNotNow]},
}

// historyWords describe an item's history entries on the page.
var historyWords = map[string]string{
	"done": "marked it done", "undone": "took back “done”", "did_my_part": "marked “I did my part”",
	"undid_my_part": "took back “I did my part”", "noticed": "marked “I noticed it”", "unnoticed": "took back “I noticed it”",
}

// planItemPage is an item with its history in words.
type planItemPage struct {
	*plan.ItemView
	Lines []historyLine
}

type historyLine struct {
	Text string
	At   time.Time
}

func planItemPages(p *plan.PlanView, partner string) []planItemPage {
	out := make([]planItemPage, 0, len(p.Items))
	for i := range p.Items {
		it := planItemPage{ItemView: &p.Items[i]}
		for _, h := range it.History {
			who := partner
			if h.ByMe {
				who = "You"
			}
			it.Lines = append(it.Lines, historyLine{Text: who + " " + historyWords[h.What], At: h.At})
		}
		out = append(out, it)
	}
	return out
}

// planItemForm is the "Add your own item" form.
type planItemForm struct {
	Title, Notes string
	fieldErrors
}

func parsePlanItemForm(c *fiber.Ctx) *planItemForm {
	return &planItemForm{Title: c.FormValue("title"), Notes: c.FormValue("notes")}
}

func (f *planItemForm) input() plan.ItemInput { return plan.ItemInput{Title: f.Title, Notes: f.Notes} }

// therapyForm is either of the therapy section's two forms, as its hidden input Form names it: the
// decision ("decision": Decision and RevisitOn) or the private wish to look into it ("ask": Ask, "1"
// to say so and "0" to take it back).
type therapyForm struct {
	Form, Decision, RevisitOn, Ask string
	fieldErrors
}

func parseTherapyForm(c *fiber.Ctx) *therapyForm {
	return &therapyForm{Form: c.FormValue("form"), Decision: c.FormValue("decision"), RevisitOn: c.FormValue("revisit_on"), Ask: c.FormValue("ask")}
}

func (f *therapyForm) input() plan.TherapyInput {
	if f.Form == "ask" {
		ask := checked(f.Ask)
		return plan.TherapyInput{Ask: &ask}
	}
	d := f.Decision
	return plan.TherapyInput{Decision: &d, RevisitOn: f.RevisitOn}
}

// planMarkForm is one of an item's small forms for the user's own marks: Field names the mark (done,
// did_my_part or noticed) and Value is "1" to set it or "0" to take it back.
type planMarkForm struct {
	Field, Value string
}

func parsePlanMarkForm(c *fiber.Ctx) planMarkForm {
	return planMarkForm{Field: c.FormValue("field"), Value: c.FormValue("value")}
}

// change is the change the form asks for; false when it names no mark.
func (f planMarkForm) change() (plan.ItemChange, bool) {
	on := checked(f.Value)
	var ch plan.ItemChange
	switch f.Field {
	case "done":
		ch.Done = &on
	case "did_my_part":
		ch.DidMyPart = &on
	case "noticed":
		ch.Noticed = &on
	default:
		return ch, false
	}
	return ch, true
}

// planForms are the plan page's forms that show again after a failed submit.
type planForms struct {
	Item    *planItemForm
	Therapy *therapyForm
	formSet
}

// planView is the plan page with forms in it; a form left nil is new: the item empty, the therapy
// decision the one recorded.
func (h *planHandlers) planView(c *fiber.Ctx, forms *planForms) (*view, error) {
	m := membership(c)
	p, err := h.svc.Plan(c.UserContext(), m)
	if err != nil {
		return nil, err
	}
	if forms == nil {
		forms = &planForms{}
	}
	if forms.Item == nil {
		forms.Item = &planItemForm{}
	}
	if forms.Therapy == nil {
		forms.Therapy = &therapyForm{Decision: p.Therapy.Decision, RevisitOn: p.Therapy.RevisitOn}
	}
	v := h.newView(c, "Plan")
	v.Nav = "plan"
	v.Form = forms
	today := h.svc.Today(m)
	t, _ := time.Parse(plan.DateLayout, today)
	v.Data = &planPageData{Section: "plan", Plan: p, Items: planItemPages(p, partnerName(m)), Partner: partnerName(m), HasPartner: m.Partner != nil, Decisions: therapyOptions,
		Today: today, MaxRevisit: t.AddDate(0, plan.MaxRevisitMonths, 0).Format(plan.DateLayout), Added: c.Query("added") == "1"}
	return v, nil
}

func (h *planHandlers) planPage(c *fiber.Ctx) error {
	v, err := h.planView(c, nil)
	if err != nil {
		return err
	}
	h.markSeen(c, "/plan")
	return h.render(c, "plan", v)
}

// planFormError shows the plan page again over forms when err is about what was typed.
func (h *planHandlers) planFormError(c *fiber.Ctx, err error, forms *planForms) error {
	if !apperr.Is(err, apperr.Invalid) {
		return err
	}
	v, verr := h.planView(c, forms)
	if verr != nil {
		return verr
	}
	return h.renderForm(c, "plan", v, err)
}

func (h *planHandlers) planAddSubmit(c *fiber.Ctx) error {
	form := parsePlanItemForm(c)
	if _, err := h.svc.AddItem(c.UserContext(), membership(c), form.input()); err != nil {
		return h.planFormError(c, err, &planForms{Item: form, formSet: formSet{posted: form}})
	}
	return c.Redirect("/plan?added=1#add", fiber.StatusSeeOther)
}

// planMarkSubmit sets one of the user's own marks (done, did_my_part or noticed) from a small form of its own.
func (h *planHandlers) planMarkSubmit(c *fiber.Ctx) error {
	ch, ok := parsePlanMarkForm(c).change()
	if !ok {
		return apperr.New(apperr.Invalid, "That change could not be read. Go back and try again.")
	}
	it, err := h.svc.ChangeItem(c.UserContext(), membership(c), c.Params("id"), ch)
	if err != nil {
		return err
	}
	return c.Redirect("/plan#item-"+it.ID, fiber.StatusSeeOther)
}

func (h *planHandlers) planTherapySubmit(c *fiber.Ctx) error {
	form := parseTherapyForm(c)
	if _, err := h.svc.RecordTherapy(c.UserContext(), membership(c), form.input()); err != nil {
		return h.planFormError(c, err, &planForms{Therapy: form, formSet: formSet{posted: form}})
	}
	return c.Redirect("/plan#therapy", fiber.StatusSeeOther)
}

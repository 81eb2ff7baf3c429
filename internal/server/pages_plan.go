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

func (h *planHandlers) planView(c *fiber.Ctx) (*view, error) {
	m := membership(c)
	sc := m
	p, err := h.svc.Plan(c.UserContext(), sc)
	if err != nil {
		return nil, err
	}
	v := h.newView(c, "Plan")
	v.Nav = "plan"
	v.Form = map[string]string{"decision": p.Therapy.Decision, "revisit_on": p.Therapy.RevisitOn}
	today := h.svc.Today(sc)
	t, _ := time.Parse(plan.DateLayout, today)
	v.Data = &planPageData{Section: "plan", Plan: p, Items: planItemPages(p, partnerName(m)), Partner: partnerName(m), HasPartner: m.Partner != nil, Decisions: therapyOptions,
		Today: today, MaxRevisit: t.AddDate(0, plan.MaxRevisitMonths, 0).Format(plan.DateLayout), Added: c.Query("added") == "1"}
	return v, nil
}

func (h *planHandlers) planPage(c *fiber.Ctx) error {
	v, err := h.planView(c)
	if err != nil {
		return err
	}
	return h.render(c, "plan", v)
}

func (h *planHandlers) planFormError(c *fiber.Ctx, err error, keep ...string) error {
	if !apperr.Is(err, apperr.Invalid) {
		return err
	}
	v, verr := h.planView(c)
	if verr != nil {
		return verr
	}
	for _, k := range keep {
		v.values()[k] = c.FormValue(k)
	}
	return h.renderForm(c, "plan", v, err)
}

func (h *planHandlers) planAddSubmit(c *fiber.Ctx) error {
	in := plan.ItemInput{Title: c.FormValue("title"), Notes: c.FormValue("notes")}
	if _, err := h.svc.AddItem(c.UserContext(), membership(c), in); err != nil {
		return h.planFormError(c, err, "title", "notes")
	}
	return c.Redirect("/plan?added=1#add", fiber.StatusSeeOther)
}

// planMarkSubmit sets one of the user's own marks (done, did_my_part or noticed) from a small form of its own.
func (h *planHandlers) planMarkSubmit(c *fiber.Ctx) error {
	on := c.FormValue("value") == "1"
	var ch plan.ItemChange
	switch c.FormValue("field") {
	case "done":
		ch.Done = &on
	case "did_my_part":
		ch.DidMyPart = &on
	case "noticed":
		ch.Noticed = &on
	default:
		return apperr.New(apperr.Invalid, "That change could not be read. Go back and try again.")
	}
	it, err := h.svc.ChangeItem(c.UserContext(), membership(c), c.Params("id"), ch)
	if err != nil {
		return err
	}
	return c.Redirect("/plan#item-"+it.ID, fiber.StatusSeeOther)
}

func (h *planHandlers) planTherapySubmit(c *fiber.Ctx) error {
	var in plan.TherapyInput
	switch c.FormValue("form") {
	case "ask":
		ask := c.FormValue("ask") == "1"
		in.Ask = &ask
	default:
		d := c.FormValue("decision")
		in.Decision, in.RevisitOn = &d, c.FormValue("revisit_on")
	}
	if _, err := h.svc.RecordTherapy(c.UserContext(), membership(c), in); err != nil {
		return h.planFormError(c, err, "decision", "revisit_on")
	}
	return c.Redirect("/plan#therapy", fiber.StatusSeeOther)
}

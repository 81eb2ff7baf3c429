package server

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
)

// checkinListData is the /checkins page.
type checkinListData struct {
	Open      []checkinWeekItem // this week, then last week
	History   []checkinWeekItem
	Timeout   *checkinTimeoutView
	LowSafety bool
	Choices   []struct {
		Minutes int
		Label   string
	}
}

func (h *checkinHandlers) listPage(c *fiber.Ctx) error {
	return h.renderList(c, nil, nil)
}

// renderList shows /checkins; err (an invalid pause request) is shown with the typed values kept.
func (h *checkinHandlers) renderList(c *fiber.Ctx, form map[string]string, err error) error {
	m := membership(c)
	ctx := c.UserContext()
	cur, weeks, werr := h.svc.Weeks(ctx, m)
	if werr != nil {
		return werr
	}
	d := checkinListData{LowSafety: h.svc.LowSafety(ctx, m.Couple.ID, m.Me.UserID), Choices: checkinTimeoutChoices}
	for _, ws := range weeks {
		it := toCheckinWeekItem(ws, cur)
		if ws.Week == cur || ws.Week == cur.Prev() {
			d.Open = append(d.Open, it)
		} else {
			d.History = append(d.History, it)
		}
	}
	if d.Timeout, werr = h.timeoutView(c, m); werr != nil {
		return werr
	}
	v := h.newView(c, "Check-ins")
	v.Nav, v.Data, v.Form = "checkins", d, form
	if v.Form == nil {
		v.Form = map[string]string{"for": "60"}
	}
	if err != nil {
		return h.renderForm(c, "checkins", v, err)
	}
	return h.render(c, "checkins", v)
}

// checkinReflectionView is one reflection on the week page, with its form's kept input and error.
type checkinReflectionView struct {
	ID, Text, Note, Validation string
	Responded, Accurate        bool
	Validated                  bool
	// Restate: the author said "not quite", so the listener is invited to say it again (a validating
	// line follows only a confirmed reflection).
	Restate     bool
	Kept, Error string
}

// checkinPageData is the /checkins/{week} page.
type checkinPageData struct {
	Key, Label, Name, State, Status  string
	PartnerName                      string
	Notice                           string
	NoticeAt                         string // where the notice shows: "heard", "about-mine", or "" (the top)
	KeptDone                         bool
	Editable, Opened, Passed, Shared bool
	// LowSafety: the viewer's safety answer this week or their latest one is low, so the page shows the
	// safety card and offers the listening exercises quietly instead of pushing them (DESIGN §2.4).
	LowSafety        bool
	Ratings, Texts   []checkinField
	Agreements       []checkinAgreementField
	Skip             bool
	Mine, Partner    *checkinAnswerView
	PartnerGone      bool
	CanReflect       bool
	Heard, AboutMine []checkinReflectionView
	Timeout          *checkinTimeoutView
}

// weekPageData builds the week page; form and errs are the kept input and field errors of a failed post.
func (h *checkinHandlers) weekPageData(c *fiber.Ctx, m *couple.Membership, wv *checkin.WeekView, form, errs map[string]string) (*checkinPageData, error) {
	cur := h.svc.Current(m)
	mine := "none"
	if wv.Mine != nil {
		mine = "draft"
		if wv.Mine.Shared() {
			mine = "shared"
		}
	}
	d := &checkinPageData{Key: wv.Week.String(), Label: wv.Week.Label(), Name: checkinWeekName(wv.Week, cur), State: string(wv.State),
		Status: checkinStatus(wv.State, mine), Editable: wv.Editable, Opened: wv.State == checkin.StateOpened,
		Passed: wv.State == checkin.StatePassed, Shared: wv.Mine.Shared(), PartnerGone: wv.PartnerGone, PartnerName: "Your partner",
		LowSafety: wv.LowSafety || h.svc.LowSafety(c.UserContext(), m.Couple.ID, m.Me.UserID)}
	if wv.Editable && wv.Mine.Shared() && wv.Mine.Skip {
		d.Status = "You chose \"not this week\". Once you have both answered, the week passes without an exchange; until then you can still change your answer."
	}
	if m.Partner != nil {
		d.PartnerName = m.Partner.DisplayName
	}
	if form == nil {
		form = checkinAnswerForm(wv.Mine)
	}
	if d.Editable {
		d.Ratings, d.Texts, d.Agreements = checkinFormFields(form, errs, wv.Agreements)
		d.Skip = form["skip"] != ""
	} else {
		d.Mine = toCheckinAnswerView(wv.Mine, true)
	}
	if d.Opened {
		d.Partner = toCheckinAnswerView(wv.Partner, false)
		d.CanReflect = wv.Partner != nil && !wv.Partner.Skip
	}
	for _, r := range wv.Reflections {
		rv := checkinReflectionView{ID: r.ID, Text: r.Text, Note: r.Note, Validation: r.Validation,
			Responded: r.RespondedAt != nil, Accurate: r.Accurate != nil && *r.Accurate, Validated: r.ValidatedAt != nil}
		rv.Restate = rv.Responded && !rv.Accurate && d.CanReflect
		if form["target"] == r.ID {
			rv.Kept, rv.Error = form["reply"], errs["reply"]
		}
		if r.ListenerID == m.Me.UserID {
			d.Heard = append(d.Heard, rv)
		} else {
			d.AboutMine = append(d.AboutMine, rv)
		}
	}
	var err error
	d.Timeout, err = h.timeoutView(c, m)
	return d, err
}

func (h *checkinHandlers) weekView(c *fiber.Ctx, wv *checkin.WeekView) *view {
	title := "Week"
	if wv.Current {
		title = "This week"
	}
	v := h.newView(c, title)
	v.Nav = "checkins"
	return v
}

func (h *checkinHandlers) weekPage(c *fiber.Ctx) error {
	m := membership(c)
	wv, err := h.svc.Week(c.UserContext(), m, c.Params("week"))
	if err != nil {
		return err
	}
	d, err := h.weekPageData(c, m, wv, nil, nil)
	if err != nil {
		return err
	}
	d.NoticeAt = checkinSavedAt[c.Query("saved")]
	d.Notice = checkinSavedNotice(c.Query("saved"), wv.State)
	d.KeptDone = d.Notice != ""
	if c.Query("saved") == "shared" && (d.Opened || d.Passed) {
		d.Status = "" // the notice says it
	}
	v := h.weekView(c, wv)
	v.Data = d
	return h.render(c, "checkin", v)
}

// showWeekAgain renders the week page after a failed post: 422 with the typed text kept, 409 with the
// reason. A week that can't be found is the ordinary 404 page.
func (h *checkinHandlers) showWeekAgain(c *fiber.Ctx, form map[string]string, failure error) error {
	e := apperr.As(failure)
	if e == nil || e.Kind == apperr.NotFound {
		return failure
	}
	m := membership(c)
	wv, err := h.svc.Week(c.UserContext(), m, c.Params("week"))
	if err != nil {
		return err
	}
	d, err := h.weekPageData(c, m, wv, form, e.Fields)
	if err != nil {
		return err
	}
	v := h.weekView(c, wv)
	v.Data, v.Form = d, form
	return h.renderForm(c, "checkin", v, failure)
}

// checkinSavedAt is the part of the week page a save returns to, by its ?saved= value: its notice is
// shown just before that part and the redirect lands on the notice (#saved), so both are in view.
// Other saves show their notice at the top of the page.
var checkinSavedAt = map[string]string{"heard": "heard", "validation": "heard", "response": "about-mine"}

func (h *checkinHandlers) saved(c *fiber.Ctx, what string) error {
	anchor := ""
	if checkinSavedAt[what] != "" {
		anchor = "#saved"
	}
	return c.Redirect("/checkins/"+url.PathEscape(c.Params("week"))+"?saved="+what+anchor, fiber.StatusSeeOther)
}

func (h *checkinHandlers) answerSubmit(c *fiber.Ctx) error {
	m := membership(c)
	wv, err := h.svc.Week(c.UserContext(), m, c.Params("week"))
	if err != nil {
		return err
	}
	in, form, err := parseCheckinForm(c, wv.Agreements)
	if err == nil {
		_, err = h.svc.SaveAnswer(c.UserContext(), m, c.Params("week"), in)
	}
	if err != nil {
		return h.showWeekAgain(c, form, err)
	}
	if in.Submit {
		return h.saved(c, "shared")
	}
	return h.saved(c, "draft")
}

func (h *checkinHandlers) reflectSubmit(c *fiber.Ctx) error {
	m := membership(c)
	text := c.FormValue("heard")
	if _, err := h.svc.Reflect(c.UserContext(), m, c.Params("week"), text); err != nil {
		if e := apperr.As(err); e != nil && e.Fields["text"] != "" {
			err = apperr.Fields(map[string]string{"heard": e.Fields["text"]})
		}
		return h.showWeekAgain(c, map[string]string{"heard": text}, err)
	}
	return h.saved(c, "heard")
}

func (h *checkinHandlers) respondSubmit(c *fiber.Ctx) error {
	m := membership(c)
	note := c.FormValue("reply")
	accurate := c.FormValue("accurate")
	var err error
	if accurate != "yes" && accurate != "no" {
		err = apperr.Fields(map[string]string{"reply": "Choose \"Yes, that's it\" or \"Not quite\"."})
	} else {
		_, err = h.svc.Respond(c.UserContext(), m, c.Params("week"), c.Params("id"), accurate == "yes", note)
	}
	if err != nil {
		if e := apperr.As(err); e != nil && e.Fields["note"] != "" {
			err = apperr.Fields(map[string]string{"reply": e.Fields["note"]})
		}
		return h.showWeekAgain(c, map[string]string{"target": c.Params("id"), "reply": note}, err)
	}
	return h.saved(c, "response")
}

func (h *checkinHandlers) validateSubmit(c *fiber.Ctx) error {
	m := membership(c)
	text := c.FormValue("reply")
	if _, err := h.svc.Validate(c.UserContext(), m, c.Params("week"), c.Params("id"), text); err != nil {
		if e := apperr.As(err); e != nil && e.Fields["text"] != "" {
			err = apperr.Fields(map[string]string{"reply": e.Fields["text"]})
		}
		return h.showWeekAgain(c, map[string]string{"target": c.Params("id"), "reply": text}, err)
	}
	return h.saved(c, "validation")
}

func (h *checkinHandlers) timeoutSubmit(c *fiber.Ctx) error {
	m := membership(c)
	form := map[string]string{"for": c.FormValue("for"), "note": c.FormValue("note")}
	minutes, err := strconv.Atoi(form["for"])
	ok := false
	for _, ch := range checkinTimeoutChoices {
		ok = ok || ch.Minutes == minutes
	}
	if err != nil || !ok {
		return h.renderList(c, form, apperr.Fields(map[string]string{"for": "Choose how long to pause for."}))
	}
	if _, err := h.svc.StartTimeout(c.UserContext(), m, h.now().Add(time.Duration(minutes)*time.Minute), form["note"]); err != nil {
		if apperr.As(err) == nil {
			return err
		}
		return h.renderList(c, form, err)
	}
	return c.Redirect("/checkins", fiber.StatusSeeOther)
}

// timeoutEndSubmit ends the viewer's own pause early; the other partner is refused (403), and a pause
// that has already ended leads back quietly.
func (h *checkinHandlers) timeoutEndSubmit(c *fiber.Ctx) error {
	err := h.svc.EndTimeout(c.UserContext(), membership(c))
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	back := localPath(c.FormValue("back"))
	return c.Redirect(back, fiber.StatusSeeOther)
}

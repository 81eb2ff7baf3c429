package server

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
)

// checkinReflectionView is one reflection on the week page, with what was typed in its reply form and
// its message when a post of it was refused.
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
	LowSafety      bool
	Ratings, Texts []checkinField
	Agreements     []checkinAgreementField
	Steps          checkinSteps
	Skip           bool
	Mine, Partner  *checkinAnswerView
	PartnerGone    bool
	CanReflect     bool
	// ListenFirst: the viewer's next task is to say what they heard, so the partner's answers lead.
	ListenFirst      bool
	Heard, AboutMine []checkinReflectionView
	// HeardForm is "What I heard", empty unless a post of it was refused.
	HeardForm *checkinHeardForm
	Timeout   *checkinTimeoutView
}

// weekPageData builds the week page. failed is the form of a post that was refused, with what was
// typed and its messages (nil: every form as the saved answers have it).
func (h *checkinHandlers) weekPageData(c *fiber.Ctx, m *couple.Membership, wv *checkin.WeekView, failed typedForm) (*checkinPageData, error) {
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
		LowSafety: wv.LowSafety || h.svc.LowSafety(c.UserContext(), m.Couple.ID, m.Me.UserID), HeardForm: &checkinHeardForm{}}
	if wv.Editable && wv.Mine.Shared() && wv.Mine.Skip {
		d.Status = "You chose \"not this week\". Once you have both answered, the week passes without an exchange; until then you can still change your answer."
	}
	if m.Partner != nil {
		d.PartnerName = m.Partner.DisplayName
	}
	answers, reply := checkinAnswerFormOf(wv.Mine), &checkinReplyForm{}
	switch f := failed.(type) {
	case *checkinAnswerForm:
		answers = f
	case *checkinHeardForm:
		d.HeardForm = f
	case *checkinReplyForm:
		reply = f
	}
	if d.Editable {
		d.Ratings, d.Texts, d.Agreements = answers.fields(wv.Agreements)
		d.Skip = answers.Skip != ""
		d.Steps = newCheckinSteps(d.Ratings, d.Texts, d.Agreements, d.Shared)
	} else {
		d.Mine = toCheckinAnswerView(wv.Mine, true)
	}
	if d.Opened {
		d.Partner = toCheckinAnswerView(wv.Partner, false)
		d.CanReflect = wv.Partner != nil && !wv.Partner.Skip
	}
	d.addReflections(wv.Reflections, m.Me.UserID, reply)
	d.ListenFirst = d.CanReflect && len(d.Heard) == 0 && !d.LowSafety
	var err error
	d.Timeout, err = h.timeoutView(c, m)
	return d, err
}

// addReflections puts the week's reflections on the page: what the viewer heard, and what the partner
// heard of the viewer's answers, with reply's text and message on the reflection it answers.
func (d *checkinPageData) addReflections(reflections []checkin.Reflection, me string, reply *checkinReplyForm) {
	for _, r := range reflections {
		rv := checkinReflectionView{ID: r.ID, Text: r.Text, Note: r.Note, Validation: r.Validation,
			Responded: r.RespondedAt != nil, Accurate: r.Accurate != nil && *r.Accurate, Validated: r.ValidatedAt != nil}
		rv.Restate = rv.Responded && !rv.Accurate && d.CanReflect
		if reply.Target == r.ID {
			rv.Kept, rv.Error = reply.Reply, reply.FieldError("reply")
		}
		if r.ListenerID == me {
			d.Heard = append(d.Heard, rv)
		} else {
			d.AboutMine = append(d.AboutMine, rv)
		}
	}
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

// weekPage is /checkins/{week}: my answers (a form while the week takes them), once the week opens the
// partner's and the listening, and a saved post's notice.
func (h *checkinHandlers) weekPage(c *fiber.Ctx) error {
	m := membership(c)
	wv, err := h.svc.Week(c.UserContext(), m, c.Params("week"))
	if err != nil {
		return err
	}
	d, err := h.weekPageData(c, m, wv, nil)
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
	h.markSeen(c, "/checkins/"+wv.Week.String())
	return h.render(c, "checkin", v)
}

// showWeekAgain draws the week page after a refused post of form, reading the week once: 422 with what
// was typed kept and the fields marked, 409 with the reason. A week that can't be found is the
// ordinary 404 page.
func (h *checkinHandlers) showWeekAgain(c *fiber.Ctx, form typedForm, failure error) error {
	e := apperr.As(failure)
	if e == nil || e.Kind == apperr.NotFound {
		return failure
	}
	form.setFieldErrors(e.Fields) // before the page is drawn from the form, not only when it is rendered
	m := membership(c)
	wv, err := h.svc.Week(c.UserContext(), m, c.Params("week"))
	if err != nil {
		return err
	}
	d, err := h.weekPageData(c, m, wv, form)
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

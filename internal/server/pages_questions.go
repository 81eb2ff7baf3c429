package server

import (
	"cmp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/question"
)

// questionsPageData is what questions.html shows.
type questionsPageData struct {
	repairPage
	Questions   []questionView
	Pause       *questionPauseView
	NextCheckin string // the next check-in day, in words
	Today, Max  string // the range of the wait date
	Notice      string
	Asked       *questionView // the question just asked, when it resembles earlier ones
	PauseFor    []option
}

type questionView struct {
	ID, Text, AskedBy, AskedOn, WaitNote string
	Mine, Waiting                        bool
	Answer                               *versionView
	Earlier                              []versionView // earlier versions, newest first
	Corrected                            bool
	FollowUps                            []followUpView
	Similar                              []similarView
}

type versionView struct {
	Number     int
	Text, When string
	// Changes is the word diff from the version before; nil for the first.
	Changes []agreement.Segment
}

type followUpView struct{ Text, Who, When string }

type similarView struct {
	ID, Line string
}

type questionPauseView struct {
	Mine        bool
	Until, Note string
}

// questionNotices are the short confirmations shown after a form, keyed by the redirect's query.
var questionNotices = map[string]string{
	"asked":    "Your question is in the ledger.",
	"waiting":  "Your question is written down. Only you can see it until the day you chose.",
	"answered": "Your answer is kept. If you ever need to correct it, the correction is added beside it.",
	"followed": "Your follow-up is added.",
	"paused":   "The questions are paused.",
	"resumed":  "The pause has ended.",
}

// pauseChoices are the lengths the page offers for a pause.
var pauseChoices = []option{{"24", "Until this time tomorrow"}, {"72", "For three days"}, {"168", "For a week"}}

func dayLabel(s string) string {
	t, err := time.Parse(question.DateLayout, s)
	if err != nil {
		return s
	}
	return t.Format("Monday 2 January")
}

func toQuestionView(v *question.View, m *couple.Membership) questionView {
	qv := questionView{ID: v.ID, Text: v.Text, AskedOn: localDate(v.CreatedAt, m), Mine: v.AskerID == m.Me.UserID, Waiting: v.Waiting}
	qv.AskedBy = "Asked by " + partnerName(m)
	if qv.Mine {
		qv.AskedBy = "You asked"
	}
	if v.Waiting && v.WaitOn != nil {
		qv.WaitNote = "Waiting until " + dayLabel(*v.WaitOn) + ". Until then only you can see it."
		if v.WaitKind == question.WaitCheckin {
			qv.WaitNote = "Waiting for your check-in on " + dayLabel(*v.WaitOn) + ". Until then only you can see it."
		}
	}
	for i, a := range v.Versions {
		vv := versionView{Number: a.Version, Text: a.Text, When: localTime(a.CreatedAt, m)}
		if i > 0 {
			vv.Changes = agreement.WordDiff(v.Versions[i-1].Text, a.Text)
		}
		if i == len(v.Versions)-1 {
			qv.Answer = &vv
		} else {
			qv.Earlier = append([]versionView{vv}, qv.Earlier...)
		}
	}
	qv.Corrected = len(v.Versions) > 1
	for _, f := range v.FollowUps {
		who := partnerName(m)
		if f.AuthorID == m.Me.UserID {
			who = "You"
		}
		qv.FollowUps = append(qv.FollowUps, followUpView{Text: f.Text, Who: who, When: localTime(f.CreatedAt, m)})
	}
	for _, e := range v.Similar {
		line := "Something like this was asked on " + localDate(e.CreatedAt, m) + "; here is what was said."
		if e.AskerID == m.Me.UserID {
			line = "You asked something like this on " + localDate(e.CreatedAt, m) + "; here is what was said."
		}
		qv.Similar = append(qv.Similar, similarView{ID: e.ID, Line: line})
	}
	return qv
}

// questionForms are the forms of the questions page: asking, the pause, and the answer or follow-up
// of one question; formSet gives a failed submit's messages to the one posted.
type questionForms struct {
	Ask              *askForm
	Pause            *questionPauseForm
	Answer, FollowUp *questionTextForm // nil unless posted
	formSet
}

// AnswerFor is the posted answer form when it was for the question with id, or nil.
func (f *questionForms) AnswerFor(id string) *questionTextForm { return f.Answer.of(id) }

// FollowUpFor is the posted follow-up form when it was for the question with id, or nil.
func (f *questionForms) FollowUpFor(id string) *questionTextForm { return f.FollowUp.of(id) }

// AskPosted reports whether the ask form is the one posted (its fold is then open, whatever else).
func (f *questionForms) AskPosted() bool { return f.Ask != nil && f.posted == typedForm(f.Ask) }

// askForm asks a question: Wait is "now", "checkin" or "date", with WaitOn the day chosen.
type askForm struct {
	Text, Wait, WaitOn string
	fieldErrors
}

func parseAskForm(c *fiber.Ctx) *askForm {
	return &askForm{Text: c.FormValue("text"), Wait: c.FormValue("wait"), WaitOn: c.FormValue("wait_on")}
}

// wait is the service's wait: none, the next check-in, or the day chosen.
func (f *askForm) wait() (string, error) {
	switch f.Wait {
	case "checkin":
		return question.NextCheckin, nil
	case "date":
		if f.WaitOn == "" {
			return "", apperr.Fields(map[string]string{"wait_until": "Choose the day it should wait for."})
		}
		return f.WaitOn, nil
	}
	return "", nil
}

// questionTextForm is an answer or a follow-up to the question with the ID Question.
type questionTextForm struct {
	Question, Text string
	fieldErrors
}

func parseQuestionTextForm(c *fiber.Ctx) *questionTextForm {
	return &questionTextForm{Question: c.Params("id"), Text: c.FormValue("text")}
}

func (f *questionTextForm) of(id string) *questionTextForm {
	if f == nil || f.Question != id {
		return nil
	}
	return f
}

// questionPauseForm pauses the questions For a number of hours, with an optional note.
type questionPauseForm struct {
	For, Note string
	fieldErrors
}

// ForError is the message for the length chosen: the page's own ("for"), or the service's about the
// end it makes ("until").
func (f *questionPauseForm) ForError() string {
	return cmp.Or(f.FieldError("for"), f.FieldError("until"))
}

func parseQuestionPauseForm(c *fiber.Ctx) *questionPauseForm {
	return &questionPauseForm{For: c.FormValue("for"), Note: c.FormValue("note")}
}

// questionsView builds the questions page for the signed-in member with forms in it; a form left
// nil is new.
func (h *questionHandlers) questionsView(c *fiber.Ctx, forms *questionForms) (*view, error) {
	m := membership(c)
	ctx := c.UserContext()
	list, err := h.svc.List(ctx, m)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.CurrentPause(ctx, m)
	if err != nil {
		return nil, err
	}
	rp, err := repairPageFor(ctx, m, h.lowSafety)
	if err != nil {
		return nil, err
	}
	today := h.svc.Today(m)
	d := &questionsPageData{repairPage: rp,
		NextCheckin: question.NextCheckinDay(today, m.Couple.CheckinWeekday).Format("Monday 2 January"),
		Today:       today.Format(question.DateLayout), Max: today.AddDate(0, 0, question.MaxWaitDays).Format(question.DateLayout),
		Notice: questionNotices[c.Query("done")], PauseFor: pauseChoices}
	if p != nil {
		d.Pause = &questionPauseView{Mine: p.UserID == m.Me.UserID, Until: localTime(p.UntilAt, m), Note: p.Note}
	}
	for i := range list {
		qv := toQuestionView(&list[i], m)
		if qv.ID == c.Query("q") && len(qv.Similar) > 0 {
			d.Asked = &qv
		}
		d.Questions = append(d.Questions, qv)
	}
	if forms == nil {
		forms = &questionForms{}
	}
	if forms.Ask == nil {
		forms.Ask = &askForm{Wait: "now"}
	}
	if forms.Pause == nil {
		forms.Pause = &questionPauseForm{For: "24"}
	}
	v := h.newView(c, "Questions")
	v.Nav = "repair"
	v.Form = forms
	v.Data = d
	return v, nil
}

func (h *questionHandlers) listPage(c *fiber.Ctx) error {
	v, err := h.questionsView(c, nil)
	if err != nil {
		return err
	}
	return h.render(c, "questions", v)
}

// again shows the page again with the refused form's error and what was typed in it (forms holds
// the posted form, and names it in its formSet).
func (h *questionHandlers) again(c *fiber.Ctx, err error, forms *questionForms) error {
	if !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	v, verr := h.questionsView(c, forms)
	if verr != nil {
		return verr
	}
	return h.renderForm(c, "questions", v, err)
}

func (h *questionHandlers) askSubmit(c *fiber.Ctx) error {
	form := parseAskForm(c)
	wait, err := form.wait()
	var q *question.View
	if err == nil {
		q, err = h.svc.Ask(c.UserContext(), membership(c), form.Text, wait)
	}
	if err != nil {
		return h.again(c, err, &questionForms{Ask: form, formSet: formSet{posted: form}})
	}
	done := "asked"
	if q.Waiting {
		done = "waiting"
	}
	return c.Redirect("/questions?done="+done+"&q="+q.ID+"#question-"+q.ID, fiber.StatusSeeOther)
}

func (h *questionHandlers) answerSubmit(c *fiber.Ctx) error {
	form := parseQuestionTextForm(c)
	if _, err := h.svc.Answer(c.UserContext(), membership(c), form.Question, form.Text); err != nil {
		return h.again(c, err, &questionForms{Answer: form, formSet: formSet{posted: form}})
	}
	return c.Redirect("/questions?done=answered#question-"+form.Question, fiber.StatusSeeOther)
}

func (h *questionHandlers) followUpSubmit(c *fiber.Ctx) error {
	form := parseQuestionTextForm(c)
	if _, err := h.svc.FollowUp(c.UserContext(), membership(c), form.Question, form.Text); err != nil {
		return h.again(c, err, &questionForms{FollowUp: form, formSet: formSet{posted: form}})
	}
	return c.Redirect("/questions?done=followed#question-"+form.Question, fiber.StatusSeeOther)
}

func (h *questionHandlers) pauseSubmit(c *fiber.Ctx) error {
	form := parseQuestionPauseForm(c)
	forms := &questionForms{Pause: form, formSet: formSet{posted: form}}
	hours, err := strconv.Atoi(form.For)
	if err != nil || hours < 1 {
		return h.again(c, apperr.Fields(map[string]string{"for": "Choose how long the pause lasts."}), forms)
	}
	until := h.svc.Now().Add(time.Duration(hours) * time.Hour)
	if _, err := h.svc.StartPause(c.UserContext(), membership(c), until, form.Note); err != nil {
		return h.again(c, err, forms)
	}
	return c.Redirect("/questions?done=paused", fiber.StatusSeeOther)
}

func (h *questionHandlers) pauseEndSubmit(c *fiber.Ctx) error {
	if err := h.svc.EndPause(c.UserContext(), membership(c)); err != nil {
		return err
	}
	return c.Redirect("/questions?done=resumed", fiber.StatusSeeOther)
}

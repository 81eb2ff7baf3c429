package server

import (
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
	Questions   []questionView
	Partner     string
	HasPartner  bool
	LowSafety   bool
	Path        repairPath
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

// localDate writes t's date in the couple's time zone, such as "3 March".
func localDate(t time.Time, m *couple.Membership) string {
	return t.In(m.Location).Format("2 January")
}

// questionsView builds the questions page for the signed-in member.
func (h *questionHandlers) questionsView(c *fiber.Ctx) (*view, error) {
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
	low, err := h.lowSafety(ctx, m.Couple.ID, m.Me.UserID)
	if err != nil {
		return nil, err
	}
	today := h.svc.Today(m)
	d := &questionsPageData{Partner: partnerName(m), HasPartner: m.Partner != nil, LowSafety: low, Path: pathFor(m),
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
	v := h.newView(c, "Questions")
	v.Nav = "repair"
	v.Form = map[string]string{"wait": "now", "for": "24"}
	v.Data = d
	return v, nil
}

func (h *questionHandlers) listPage(c *fiber.Ctx) error {
	v, err := h.questionsView(c)
	if err != nil {
		return err
	}
	return h.render(c, "questions", v)
}

// again shows the page again with a form's error and what was typed (form names the form).
func (h *questionHandlers) again(c *fiber.Ctx, err error, form map[string]string) error {
	if !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	v, verr := h.questionsView(c)
	if verr != nil {
		return verr
	}
	for k, val := range form {
		v.values()[k] = val
	}
	return h.renderForm(c, "questions", v, err)
}

func (h *questionHandlers) askSubmit(c *fiber.Ctx) error {
	wait := ""
	switch c.FormValue("wait") {
	case "checkin":
		wait = question.NextCheckin
	case "date":
		wait = c.FormValue("wait_on")
		if wait == "" {
			return h.again(c, apperr.Fields(map[string]string{"wait_until": "Choose the day it should wait for."}),
				map[string]string{"form": "ask", "text": c.FormValue("text"), "wait": "date"})
		}
	}
	q, err := h.svc.Ask(c.UserContext(), membership(c), c.FormValue("text"), wait)
	if err != nil {
		return h.again(c, err, map[string]string{"form": "ask", "text": c.FormValue("text"), "wait": c.FormValue("wait"), "wait_on": c.FormValue("wait_on")})
	}
	done := "asked"
	if q.Waiting {
		done = "waiting"
	}
	return c.Redirect("/questions?done="+done+"&q="+q.ID+"#question-"+q.ID, fiber.StatusSeeOther)
}

func (h *questionHandlers) answerSubmit(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, err := h.svc.Answer(c.UserContext(), membership(c), id, c.FormValue("text")); err != nil {
		return h.again(c, err, map[string]string{"form": "answer", "question": id, "text": c.FormValue("text")})
	}
	return c.Redirect("/questions?done=answered#question-"+id, fiber.StatusSeeOther)
}

func (h *questionHandlers) followUpSubmit(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, err := h.svc.FollowUp(c.UserContext(), membership(c), id, c.FormValue("text")); err != nil {
		return h.again(c, err, map[string]string{"form": "follow-up", "question": id, "text": c.FormValue("text")})
	}
	return c.Redirect("/questions?done=followed#question-"+id, fiber.StatusSeeOther)
}

func (h *questionHandlers) pauseSubmit(c *fiber.Ctx) error {
	hours, err := strconv.Atoi(c.FormValue("for"))
	if err != nil || hours < 1 {
		return h.again(c, apperr.Fields(map[string]string{"for": "Choose how long the pause lasts."}),
			map[string]string{"form": "pause", "note": c.FormValue("note")})
	}
	until := h.svc.Now().Add(time.Duration(hours) * time.Hour)
	if _, err := h.svc.StartPause(c.UserContext(), membership(c), until, c.FormValue("note")); err != nil {
		return h.again(c, err, map[string]string{"form": "pause", "for": c.FormValue("for"), "note": c.FormValue("note")})
	}
	return c.Redirect("/questions?done=paused", fiber.StatusSeeOther)
}

func (h *questionHandlers) pauseEndSubmit(c *fiber.Ctx) error {
	if err := h.svc.EndPause(c.UserContext(), membership(c)); err != nil {
		return err
	}
	return c.Redirect("/questions?done=resumed", fiber.StatusSeeOther)
}

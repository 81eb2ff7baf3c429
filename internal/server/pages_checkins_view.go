package server

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/couple"
)

// checkinWeekItem is one week in a list or card.
type checkinWeekItem struct {
	Key, Label, Name, State string
	Status                  string // a sentence about the week, the same whoever is waiting
	Mine                    string // none, draft or shared
}

func checkinWeekName(w, cur checkin.Week) string {
	switch w {
	case cur:
		return "This week"
	case cur.Prev():
		return "Last week"
	default:
		return "Week of " + w.Label()
	}
}

func toCheckinWeekItem(ws checkin.WeekSummary, cur checkin.Week) checkinWeekItem {
	it := checkinWeekItem{Key: ws.Week.String(), Label: ws.Week.Label(), Name: checkinWeekName(ws.Week, cur), State: string(ws.State), Mine: ws.Mine}
	it.Status = checkinStatus(ws.State, ws.Mine)
	return it
}

// checkinStatus describes a week from the viewer's side. It never says who is waiting.
func checkinStatus(state checkin.State, mine string) string {
	switch {
	case state == checkin.StateOpened:
		return "Your answers are open: you can both read them."
	case state == checkin.StatePassed:
		return "This week passed without an exchange. Each of you keeps your own answers, and that's all right."
	case state == checkin.StateSealed:
		return "Closed. Answers that didn't open stay with the person who wrote them."
	case mine == "shared":
		return "You've shared your answers. Answers open when you have both shared."
	case mine == "draft":
		return "You have a draft. Only you can see it."
	default:
		return "Ready when you are. Answers open when you have both shared."
	}
}

// checkinTimeoutView is a pause as the banner shows it.
type checkinTimeoutView struct {
	Back  string // the page to return to after ending the pause
	Mine  bool   // the viewer asked for it, so only they are offered to end it early
	Until string // in the couple's time zone, in words, with the zone named
	Note  string
	CSRF  string
}

func (h *checkinHandlers) timeoutView(c *fiber.Ctx, m *couple.Membership) (*checkinTimeoutView, error) {
	t, err := h.svc.CurrentTimeout(c.UserContext(), m)
	if err != nil || t == nil {
		return nil, err
	}
	until := checkinClock(t.UntilAt, m.Location, h.now()) + " (" + zoneName(m.Location) + ")"
	return &checkinTimeoutView{Back: c.Path(), Mine: t.UserID == m.Me.UserID, Until: until, Note: t.Note, CSRF: h.csrfToken(c)}, nil
}

// checkinClock says when t is, in loc: "21:30 today", "09:00 tomorrow (Thursday 26 November)".
func checkinClock(t time.Time, loc *time.Location, now time.Time) string {
	if loc == nil {
		loc = time.UTC
	}
	lt, ln := t.In(loc), now.In(loc)
	day := lt.Format("Monday 2 January")
	switch {
	case lt.YearDay() == ln.YearDay() && lt.Year() == ln.Year():
		return lt.Format("15:04") + " today"
	case lt.Sub(ln) < 48*time.Hour:
		return lt.Format("15:04") + " tomorrow (" + day + ")"
	default:
		return lt.Format("15:04") + " on " + day
	}
}

// checkinTimeoutChoices are the pause lengths the page form offers (all within 24 hours).
var checkinTimeoutChoices = []struct {
	Minutes int
	Label   string
}{{20, "20 minutes"}, {60, "1 hour"}, {120, "2 hours"}, {240, "4 hours"}, {480, "8 hours"}, {1440, "Until this time tomorrow"}}

type checkinField struct {
	Name, Label, Help, Value, Error string
	ID                              string // the control's id; help and error ids derive from it
	Describe                        string // aria-describedby: the help and error ids present
}

func newCheckinField(name, label, help, value, errMsg string) checkinField {
	f := checkinField{Name: name, Label: label, Help: help, Value: value, Error: errMsg, ID: "f-" + strings.ReplaceAll(name, "_", "-")}
	var ids []string
	if help != "" {
		ids = append(ids, f.ID+"-help")
	}
	if errMsg != "" {
		ids = append(ids, f.ID+"-error")
	}
	f.Describe = strings.Join(ids, " ")
	return f
}

type checkinAgreementField struct {
	Name, Title, Value, Error string
	ID                        string
	Choices                   []checkinLabelled // Label is the value sent, Value the text shown
}

type checkinLabelled struct {
	Label, Value string
}

// checkinAnswerView is a set of answers to read.
type checkinAnswerView struct {
	Skip       bool
	Shared     bool
	Texts      []checkinLabelled
	Ratings    []checkinLabelled
	Safety     string // only ever filled for the viewer's own answers
	Agreements []checkinLabelled
}

func checkinRating(v *int) string {
	if v == nil {
		return "Not answered"
	}
	return strconv.Itoa(*v) + " out of 10"
}

// toCheckinAnswerView renders answers to read; withSafety is true only for the viewer's own answers.
func toCheckinAnswerView(a *checkin.Answer, withSafety bool) *checkinAnswerView {
	if a == nil {
		return nil
	}
	v := &checkinAnswerView{Skip: a.Skip, Shared: a.Shared()}
	if a.Skip {
		return v
	}
	for _, t := range []checkinLabelled{{"Something I appreciated", a.Appreciation}, {"What went well", a.WentWell},
		{"What was hard", a.WasHard}, {"What I need next week", a.Need}} {
		if t.Value != "" {
			v.Texts = append(v.Texts, t)
		}
	}
	v.Ratings = []checkinLabelled{{"Trust", checkinRating(a.Trust)}, {"Connection", checkinRating(a.Connection)}}
	if withSafety {
		v.Safety = checkinRating(a.Safety)
	}
	for _, k := range a.Agreements {
		v.Agreements = append(v.Agreements, checkinLabelled{k.Title, checkin.Kept[k.Kept]})
	}
	return v
}

// checkinAnswerForm turns saved answers into form values.
func checkinAnswerForm(a *checkin.Answer) map[string]string {
	f := map[string]string{}
	if a == nil {
		return f
	}
	f["appreciation"], f["went_well"], f["was_hard"], f["need"] = a.Appreciation, a.WentWell, a.WasHard, a.Need
	for _, r := range []struct {
		k string
		v *int
	}{{"trust", a.Trust}, {"connection", a.Connection}, {"safety", a.Safety}} {
		if r.v != nil {
			f[r.k] = strconv.Itoa(*r.v)
		}
	}
	if a.Skip {
		f["skip"] = "yes"
	}
	for _, k := range a.Agreements {
		f["agreement."+k.AgreementID] = k.Kept
	}
	return f
}

// parseCheckinForm reads the answer form: the raw values to show again, and the input for the service.
func parseCheckinForm(c *fiber.Ctx, agreements []checkin.AgreementRef) (checkin.AnswerInput, map[string]string, error) {
	form := map[string]string{}
	for _, k := range []string{"appreciation", "went_well", "was_hard", "need", "trust", "connection", "safety", "skip"} {
		form[k] = c.FormValue(k)
	}
	in := checkin.AnswerInput{Appreciation: form["appreciation"], WentWell: form["went_well"], WasHard: form["was_hard"],
		Need: form["need"], Skip: form["skip"] != "", Submit: c.FormValue("action") == "share"}
	bad := apperr.Form{}
	for _, r := range []struct {
		k string
		p **int
	}{{"trust", &in.Trust}, {"connection", &in.Connection}, {"safety", &in.Safety}} {
		if form[r.k] == "" {
			continue
		}
		n, err := strconv.Atoi(form[r.k])
		if err != nil {
			bad.Add(r.k, "Choose a number from 0 to 10.")
			continue
		}
		*r.p = &n
	}
	for _, a := range agreements {
		if v := c.FormValue("agreement." + a.ID); v != "" {
			form["agreement."+a.ID] = v
			in.Agreements = append(in.Agreements, checkin.KeptInput{AgreementID: a.ID, Kept: v})
		}
	}
	return in, form, bad.Err()
}

// checkinFormFields builds the answer form's fields from values and errors.
func checkinFormFields(form, errs map[string]string, agreements []checkin.AgreementRef) (ratings, texts []checkinField, kept []checkinAgreementField) {
	helps := map[string]string{
		"trust": "0 is none at all, 10 is complete trust.", "connection": "How close you felt this week, from 0 to 10.",
		"safety": "Only you will ever see this answer.", "was_hard": "One thing is enough.",
		"appreciation": "Something your partner did, said or was.",
	}
	for _, r := range checkin.Ratings {
		ratings = append(ratings, newCheckinField(r.Field, r.Label, helps[r.Field], form[r.Field], errs[r.Field]))
	}
	for _, t := range checkin.Texts {
		texts = append(texts, newCheckinField(t.Field, t.Label, helps[t.Field], form[t.Field], errs[t.Field]))
	}
	for i, a := range agreements {
		errMsg := errs[fmt.Sprintf("agreements.%d.kept", i)]
		if errMsg == "" {
			errMsg = errs[fmt.Sprintf("agreements.%d.agreement_id", i)]
		}
		kept = append(kept, checkinAgreementField{Name: "agreement." + a.ID, Title: a.Title, Value: form["agreement."+a.ID],
			Error: errMsg, ID: fmt.Sprintf("f-agreement-%d", i), Choices: checkinKeptChoices()})
	}
	return ratings, texts, kept
}

func checkinKeptChoices() []checkinLabelled {
	out := make([]checkinLabelled, 0, len(checkin.KeptOrder))
	for _, k := range checkin.KeptOrder {
		out = append(out, checkinLabelled{Label: k, Value: checkin.Kept[k]})
	}
	return out
}

// checkinSavedNotice is the notice after a successful post, keyed by the ?saved= value.
func checkinSavedNotice(saved string, state checkin.State) string {
	switch {
	case saved == "shared" && state == checkin.StateOpened:
		return "You have both shared, so your answers are open now."
	case saved == "shared" && state == checkin.StatePassed:
		return "Thank you. You have both answered, and this week passed without an exchange: each of you keeps your own answers."
	case saved == "shared":
		return "Thank you for sharing. You can still change your answers until they open."
	case saved == "draft":
		return "Saved as a draft. Only you can see it."
	case saved == "heard":
		return "Thank you. What you heard is shared now."
	case saved == "response", saved == "validation":
		return "Thank you, that's shared now."
	default:
		return ""
	}
}

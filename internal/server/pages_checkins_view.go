package server

import (
	"html/template"
	"strconv"

	"github.com/mendhq/mend/internal/checkin"
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

// checkinLabelled is a label with its value, in answers to read and in the kept choices.
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

// Rows writes the answers as the rows of a description list: the texts, the ratings, the safety
// rating when it is there, and the agreements.
func (v *checkinAnswerView) Rows() template.HTML {
	w := &htmlWriter{}
	row := func(label, value string) {
		w.raw("<dt>")
		w.text(label)
		w.raw("</dt><dd>")
		w.text(value)
		w.raw("</dd>\n")
	}
	for _, l := range v.Texts {
		row(l.Label, l.Value)
	}
	for _, l := range v.Ratings {
		row(l.Label, l.Value)
	}
	if v.Safety != "" {
		w.raw(`<dt>How safe I feel <span class="muted">(only you see this)</span></dt><dd>`)
		w.text(v.Safety)
		w.raw("</dd>\n")
	}
	for _, l := range v.Agreements {
		row(l.Label, l.Value)
	}
	return w.html()
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

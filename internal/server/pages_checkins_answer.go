package server

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/checkin"
)

// checkinAnswerForm is the week page's answer form (DESIGN §2.4): the texts and ratings as typed,
// "not this week", which button was pressed, and one kept answer per agreement answered about.
type checkinAnswerForm struct {
	Appreciation, WentWell, WasHard, Need string
	Trust, Connection, Safety             string
	Skip                                  string // "yes" when "not this week" is ticked
	Action                                string // "share" or "draft"
	// Kept holds the agreements answered about, in the order posted, which is the order of the
	// service's agreements.N fields.
	Kept []checkinKeptForm
	fieldErrors
}

// checkinKeptForm is one agreement's "did I keep it?", posted as agreement.<id>.
type checkinKeptForm struct {
	AgreementID, Kept string
}

// checkinKeptPrefix begins the name of each agreement's input; its id follows.
const checkinKeptPrefix = "agreement."

// inputs maps the names of the form's texts and ratings to its fields.
func (f *checkinAnswerForm) inputs() map[string]*string {
	return map[string]*string{"appreciation": &f.Appreciation, "went_well": &f.WentWell, "was_hard": &f.WasHard, "need": &f.Need,
		"trust": &f.Trust, "connection": &f.Connection, "safety": &f.Safety}
}

// parseCheckinAnswerForm reads the answer form. The agreements come from the posted names, so the
// week need not be read first: the service refuses any it does not ask about.
func parseCheckinAnswerForm(c *fiber.Ctx) *checkinAnswerForm {
	f := &checkinAnswerForm{Skip: c.FormValue("skip"), Action: c.FormValue("action")}
	for name, p := range f.inputs() {
		*p = c.FormValue(name)
	}
	for _, p := range postedWithPrefix(c, checkinKeptPrefix) {
		f.Kept = append(f.Kept, checkinKeptForm{AgreementID: p.Name, Kept: p.Value})
	}
	return f
}

// checkinAnswerFormOf is the form filled with saved answers (empty when a is nil).
func checkinAnswerFormOf(a *checkin.Answer) *checkinAnswerForm {
	f := &checkinAnswerForm{}
	if a == nil {
		return f
	}
	f.Appreciation, f.WentWell, f.WasHard, f.Need = a.Appreciation, a.WentWell, a.WasHard, a.Need
	f.Trust, f.Connection, f.Safety = checkinRatingValue(a.Trust), checkinRatingValue(a.Connection), checkinRatingValue(a.Safety)
	if a.Skip {
		f.Skip = "yes"
	}
	for _, k := range a.Agreements {
		f.Kept = append(f.Kept, checkinKeptForm{AgreementID: k.AgreementID, Kept: k.Kept})
	}
	return f
}

func checkinRatingValue(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// input is what the form asks the service to save, or an Invalid error for a rating that is not a
// number.
func (f *checkinAnswerForm) input() (checkin.AnswerInput, error) {
	in := checkin.AnswerInput{Appreciation: f.Appreciation, WentWell: f.WentWell, WasHard: f.WasHard, Need: f.Need,
		Skip: f.Skip != "", Submit: f.Action == "share"}
	bad := apperr.Form{}
	for _, r := range []struct {
		name, v string
		p       **int
	}{{"trust", f.Trust, &in.Trust}, {"connection", f.Connection, &in.Connection}, {"safety", f.Safety, &in.Safety}} {
		if r.v == "" {
			continue
		}
		n, err := strconv.Atoi(r.v)
		if err != nil {
			bad.Add(r.name, "Choose a number from 0 to 10.")
			continue
		}
		*r.p = &n
	}
	for _, k := range f.Kept {
		in.Agreements = append(in.Agreements, checkin.KeptInput{AgreementID: k.AgreementID, Kept: k.Kept})
	}
	return in, bad.Err()
}

// errCheckinAgreementChanged is the page's message when an agreement answered about is no longer one
// the week asks about (withdrawn while the page was open, say): the page drawn again no longer shows
// it, so the message says what happened.
const errCheckinAgreementChanged = "One of the agreements changed while you were answering, so nothing is saved yet. " +
	"What you wrote is kept below: look it over and save again."

// explain returns the service's err, with the page's own message when it refused an agreement.
func (f *checkinAnswerForm) explain(err error) error {
	e := apperr.As(err)
	if e == nil || e.Kind != apperr.Invalid {
		return err
	}
	for k := range e.Fields {
		if strings.HasSuffix(k, ".agreement_id") {
			return &apperr.Error{Kind: apperr.Invalid, Message: errCheckinAgreementChanged, Fields: e.Fields}
		}
	}
	return err
}

// kept returns the answer given about agreement id and its message, if any.
func (f *checkinAnswerForm) kept(id string) (value, errMsg string) {
	for i, k := range f.Kept {
		if k.AgreementID == id {
			errMsg = f.FieldError(fmt.Sprintf("agreements.%d.kept", i))
			if errMsg == "" {
				errMsg = f.FieldError(fmt.Sprintf("agreements.%d.agreement_id", i))
			}
			return k.Kept, errMsg
		}
	}
	return "", ""
}

// checkinField is one text or rating of the answer form, as the page draws it.
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

// checkinAgreementField is one agreement's "did I keep it?" as the page draws it.
type checkinAgreementField struct {
	Name, Title, Value, Error string
	ID                        string
}

// KeptRadios writes the field's choices (checkin.KeptOrder, each sent as its key and shown in its
// words), the one answered checked.
func (f checkinAgreementField) KeptRadios() template.HTML {
	w := &htmlWriter{}
	name := esc(f.Name)
	for _, k := range checkin.KeptOrder {
		w.raw(`<label><input type="radio" name="`)
		w.raw(name)
		w.raw(`" value="`)
		w.text(k)
		w.raw(`"`)
		if k == f.Value {
			w.raw(` checked`)
		}
		w.raw(`><span>`)
		w.text(checkin.Kept[k])
		w.raw("</span></label>\n")
	}
	return w.html()
}

// checkinFieldHelps are the help lines of the answer form's fields.
var checkinFieldHelps = map[string]string{
	"trust": "0 is none at all, 10 is complete trust.", "connection": "How close you felt this week, from 0 to 10.",
	"safety": "Only you will ever see this answer.", "was_hard": "One thing is enough.",
	"appreciation": "Something your partner did, said or was.",
}

// fields draws the form's ratings, texts and, for each agreement the week asks about, its kept answer,
// with the form's values and messages.
func (f *checkinAnswerForm) fields(agreements []checkin.AgreementRef) (ratings, texts []checkinField, kept []checkinAgreementField) {
	in := f.inputs()
	for _, r := range checkin.Ratings {
		ratings = append(ratings, newCheckinField(r.Field, r.Label, checkinFieldHelps[r.Field], *in[r.Field], f.FieldError(r.Field)))
	}
	for _, t := range checkin.Texts {
		texts = append(texts, newCheckinField(t.Field, t.Label, checkinFieldHelps[t.Field], *in[t.Field], f.FieldError(t.Field)))
	}
	for i, a := range agreements {
		value, errMsg := f.kept(a.ID)
		kept = append(kept, checkinAgreementField{Name: checkinKeptPrefix + a.ID, Title: a.Title, Value: value,
			Error: errMsg, ID: "f-agreement-" + strconv.Itoa(i)})
	}
	return ratings, texts, kept
}

// answerSubmit saves the member's answers from the page, reading the week only through the one save;
// a refused form reads it once more to draw the page again (showWeekAgain).
func (h *checkinHandlers) answerSubmit(c *fiber.Ctx) error {
	form := parseCheckinAnswerForm(c)
	in, err := form.input()
	if err == nil {
		_, err = h.svc.SaveAnswer(c.UserContext(), membership(c), c.Params("week"), in)
	}
	if err != nil {
		return h.showWeekAgain(c, form, form.explain(err))
	}
	if in.Submit {
		return h.saved(c, "shared")
	}
	return h.saved(c, "draft")
}

package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/trigger"
)

// localLayout is how a datetime-local input writes a moment, in the couple's time zone.
const localLayout = "2006-01-02T15:04"

// triggersPageData is what triggers.html shows.
type triggersPageData struct {
	repairPage
	Entries  []triggerView
	Received []receivedView
	Kinds    []responseKind
	Max      string
	Notice   string
}

type triggerView struct {
	ID, When, What, Helped string
	Strength               int
	Signalled              bool
	SignalledAt            string
	SharedText             *string
	Responses              []responseView
}

type responseView struct {
	Kind, Text, When, Who string
}

type receivedView struct {
	ID, When, Message string
	Text              *string
	Responses         []responseView
}

type responseKind struct{ Value, Label, Hint string }

func responseKinds() []responseKind {
	out := make([]responseKind, 0, len(trigger.ResponseKinds))
	for _, k := range trigger.ResponseKinds {
		out = append(out, responseKind{k.Key, k.Label, k.Hint})
	}
	return out
}

func toResponseViews(list []trigger.Response, m *couple.Membership) []responseView {
	out := make([]responseView, 0, len(list))
	for _, r := range list {
		who := "From " + partnerName(m)
		if r.ResponderID == m.Me.UserID {
			who = "You wrote"
		}
		out = append(out, responseView{Kind: trigger.KindLabel(r.Kind), Text: r.Text, When: localTime(r.CreatedAt, m), Who: who})
	}
	return out
}

func toTriggerView(e *trigger.Entry, m *couple.Membership) triggerView {
	v := triggerView{ID: e.ID, When: localTime(e.At, m), What: e.What, Helped: e.Helped, Strength: e.Strength}
	if e.Signal != nil {
		v.Signalled, v.SignalledAt, v.SharedText = true, localTime(e.Signal.CreatedAt, m), e.Signal.Text
		v.Responses = toResponseViews(e.Responses, m)
	}
	return v
}

// triggerNotices are the short confirmations shown after a form, keyed by the redirect's query.
var triggerNotices = map[string]string{
	"saved":     "Saved. Only you can see it.",
	"removed":   "Removed.",
	"signalled": "Sent. Any response will appear under the entry.",
	"responded": "Your response has been sent.",
}

// triggerForms are the forms of the trigger log: a new entry, and the response to one signal
// received; formSet gives a failed submit's messages to the one posted.
type triggerForms struct {
	Entry    *triggerEntryForm
	Response *signalResponseForm // nil unless posted
	formSet
}

// ResponseFor is the posted response form when it was for the signal with id, or nil.
func (f *triggerForms) ResponseFor(id string) *signalResponseForm {
	if f.Response == nil || f.Response.Signal != id {
		return nil
	}
	return f.Response
}

// triggerEntryForm is a trigger log entry, new or changed: At is a datetime-local value in the
// couple's time zone, Strength the 0–10 choice.
type triggerEntryForm struct {
	At, What, Strength, Helped string
	fieldErrors
}

func parseTriggerEntryForm(c *fiber.Ctx) *triggerEntryForm {
	return &triggerEntryForm{At: c.FormValue("at"), What: c.FormValue("what"), Strength: c.FormValue("strength"), Helped: c.FormValue("helped")}
}

// triggerEntryFormOf is the edit form filled with e.
func triggerEntryFormOf(e *trigger.Entry, m *couple.Membership) *triggerEntryForm {
	return &triggerEntryForm{At: e.At.In(m.Location).Format(localLayout), What: e.What, Strength: strconv.Itoa(e.Strength), Helped: e.Helped}
}

// signalResponseForm is a response to the signal with the ID Signal.
type signalResponseForm struct {
	Signal, Kind, Text string
	fieldErrors
}

func parseSignalResponseForm(c *fiber.Ctx) *signalResponseForm {
	return &signalResponseForm{Signal: c.Params("id"), Kind: c.FormValue("kind"), Text: c.FormValue("text")}
}

// triggersView builds the trigger log page for the signed-in member with forms in it; a form left
// nil is new.
func (h *triggerHandlers) triggersView(c *fiber.Ctx, forms *triggerForms) (*view, error) {
	m := membership(c)
	ctx := c.UserContext()
	entries, err := h.svc.List(ctx, m)
	if err != nil {
		return nil, err
	}
	received, err := h.svc.Received(ctx, m)
	if err != nil {
		return nil, err
	}
	rp, err := repairPageFor(ctx, m, h.lowSafety)
	if err != nil {
		return nil, err
	}
	d := &triggersPageData{repairPage: rp, Kinds: responseKinds(), Max: h.svc.Now().In(m.Location).Format(localLayout),
		Notice: triggerNotices[c.Query("done")]}
	for i := range entries {
		d.Entries = append(d.Entries, toTriggerView(&entries[i], m))
	}
	for _, r := range received {
		d.Received = append(d.Received, receivedView{ID: r.ID, When: localTime(r.CreatedAt, m), Message: trigger.SignalMessage, Text: r.Text,
			Responses: toResponseViews(r.Responses, m)})
	}
	if forms == nil {
		forms = &triggerForms{}
	}
	if forms.Entry == nil {
		forms.Entry = &triggerEntryForm{At: d.Max}
	}
	v := h.newView(c, "Notes")
	v.Nav = "repair"
	v.Form = forms
	v.Data = d
	return v, nil
}

// again shows the log again with a refused form's messages and what was typed in it (forms holds the
// posted form, and names it in its formSet); any other error is returned as it is.
func (h *triggerHandlers) again(c *fiber.Ctx, err error, forms *triggerForms) error {
	if !apperr.Is(err, apperr.Invalid) {
		return err
	}
	v, verr := h.triggersView(c, forms)
	if verr != nil {
		return verr
	}
	return h.renderForm(c, "triggers", v, err)
}

func (h *triggerHandlers) listPage(c *fiber.Ctx) error {
	v, err := h.triggersView(c, nil)
	if err != nil {
		return err
	}
	return h.render(c, "triggers", v)
}

// formMoment reads a datetime-local value in the couple's time zone; empty is the zero time.
func formMoment(v string, m *couple.Membership) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{localLayout, localLayout + ":05"} {
		if t, err := time.ParseInLocation(layout, v, m.Location); err == nil {
			return t, nil
		}
	}
	return time.Time{}, apperr.Fields(map[string]string{"at": "Choose a date and time."})
}

// formStrength reads a 0–10 choice; nil when none was made (the service says so).
func formStrength(v string) *int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return nil
	}
	return &n
}

func (h *triggerHandlers) createSubmit(c *fiber.Ctx) error {
	m := membership(c)
	form := parseTriggerEntryForm(c)
	at, err := formMoment(form.At, m)
	if err == nil {
		_, err = h.svc.Create(c.UserContext(), m, trigger.Input{At: at, What: form.What, Strength: formStrength(form.Strength), Helped: form.Helped})
	}
	if err != nil {
		return h.again(c, err, &triggerForms{Entry: form, formSet: formSet{posted: form}})
	}
	return c.Redirect("/triggers?done=saved", fiber.StatusSeeOther)
}

// triggerEditData is what trigger_edit.html shows.
type triggerEditData struct {
	ID, Max string
}

// editView is the edit page of e with form in it; nil is the form of e as saved.
func (h *triggerHandlers) editView(c *fiber.Ctx, e *trigger.Entry, form *triggerEntryForm) *view {
	m := membership(c)
	if form == nil {
		form = triggerEntryFormOf(e, m)
	}
	v := h.newView(c, "Notes")
	v.Nav = "repair"
	v.Data = triggerEditData{ID: e.ID, Max: h.svc.Now().In(m.Location).Format(localLayout)}
	v.Form = &triggerForms{Entry: form, formSet: formSet{posted: form}} // the page's only form
	return v
}

func (h *triggerHandlers) editPage(c *fiber.Ctx) error {
	e, err := h.svc.Get(c.UserContext(), membership(c), c.Params("id"))
	if err != nil {
		return err
	}
	return h.render(c, "trigger_edit", h.editView(c, e, nil))
}

func (h *triggerHandlers) editSubmit(c *fiber.Ctx) error {
	m := membership(c)
	e, err := h.svc.Get(c.UserContext(), m, c.Params("id"))
	if err != nil {
		return err
	}
	form := parseTriggerEntryForm(c)
	at, err := formMoment(form.At, m)
	strength := formStrength(form.Strength)
	if err == nil && strength == nil {
		err = apperr.Fields(map[string]string{"strength": "Choose how strong it was, from 0 to 10."})
	}
	if err == nil {
		_, err = h.svc.Update(c.UserContext(), m, e.ID, trigger.Patch{At: &at, What: &form.What, Strength: strength, Helped: &form.Helped})
	}
	if apperr.Is(err, apperr.Invalid) {
		return h.renderForm(c, "trigger_edit", h.editView(c, e, form), err)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/triggers?done=saved#trigger-"+e.ID, fiber.StatusSeeOther)
}

func (h *triggerHandlers) deleteSubmit(c *fiber.Ctx) error {
	if err := h.svc.Delete(c.UserContext(), membership(c), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/triggers?done=removed", fiber.StatusSeeOther)
}

// triggerSignalData is what trigger_signal.html shows: exactly what the partner would read, both ways.
type triggerSignalData struct {
	repairPage
	Entry   triggerView
	Message string
}

func (h *triggerHandlers) signalPage(c *fiber.Ctx) error {
	m := membership(c)
	e, err := h.svc.Get(c.UserContext(), m, c.Params("id"))
	if err != nil {
		return err
	}
	rp, err := repairPageFor(c.UserContext(), m, h.lowSafety)
	if err != nil {
		return err
	}
	v := h.newView(c, "Notes")
	v.Nav = "repair"
	v.Data = triggerSignalData{repairPage: rp, Entry: toTriggerView(e, m), Message: trigger.SignalMessage}
	return h.render(c, "trigger_signal", v)
}

func (h *triggerHandlers) signalSubmit(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, err := h.svc.Signal(c.UserContext(), membership(c), id, c.FormValue("include_text") == "1"); err != nil {
		return err
	}
	return c.Redirect("/triggers?done=signalled#trigger-"+id, fiber.StatusSeeOther)
}

func (h *triggerHandlers) respondSubmit(c *fiber.Ctx) error {
	form := parseSignalResponseForm(c)
	_, err := h.svc.Respond(c.UserContext(), membership(c), form.Signal, form.Kind, form.Text)
	if err != nil {
		return h.again(c, err, &triggerForms{Response: form, formSet: formSet{posted: form}})
	}
	return c.Redirect("/triggers?done=responded#signal-"+form.Signal, fiber.StatusSeeOther)
}

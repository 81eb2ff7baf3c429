package server

import (
	"time"

	"github.com/mendhq/mend/internal/checkin"
)

// The check-in API's response shapes: allowlisted fields only (SECURITY C5). The partner's answers have
// their own type with no safety field at all, so no code path can put it on the wire.

type checkinWeekSummaryJSON struct {
	Week      string `json:"week"`
	State     string `json:"state"`
	StartsOn  string `json:"starts_on"`
	EndsOn    string `json:"ends_on"`
	MyAnswers string `json:"my_answers"` // none, draft or shared: the caller's own progress only
}

type checkinListJSON struct {
	CurrentWeek string                   `json:"current_week"`
	Weeks       []checkinWeekSummaryJSON `json:"weeks"`
}

type checkinKeptJSON struct {
	AgreementID string `json:"agreement_id"`
	Title       string `json:"title"`
	Kept        string `json:"kept"`
}

type checkinMyAnswerJSON struct {
	Week         string            `json:"week"`
	Status       string            `json:"status"` // draft or shared
	Skip         bool              `json:"skip"`
	Appreciation string            `json:"appreciation"`
	WentWell     string            `json:"went_well"`
	WasHard      string            `json:"was_hard"`
	Need         string            `json:"need"`
	Trust        *int              `json:"trust"`
	Connection   *int              `json:"connection"`
	Safety       *int              `json:"safety"`
	Agreements   []checkinKeptJSON `json:"agreements"`
	UpdatedAt    string            `json:"updated_at"`
	SharedAt     *string           `json:"shared_at"`
}

type checkinPartnerAnswerJSON struct {
	Week         string            `json:"week"`
	Skip         bool              `json:"skip"`
	Appreciation string            `json:"appreciation"`
	WentWell     string            `json:"went_well"`
	WasHard      string            `json:"was_hard"`
	Need         string            `json:"need"`
	Trust        *int              `json:"trust"`
	Connection   *int              `json:"connection"`
	Agreements   []checkinKeptJSON `json:"agreements"`
	SharedAt     *string           `json:"shared_at"`
}

type checkinReflectionJSON struct {
	ID          string  `json:"id"`
	Week        string  `json:"week"`
	By          string  `json:"by"` // me or partner: who wrote what they heard
	Text        string  `json:"text"`
	Accurate    *bool   `json:"accurate"`
	Note        string  `json:"note"`
	RespondedAt *string `json:"responded_at"`
	Validation  string  `json:"validation"`
	ValidatedAt *string `json:"validated_at"`
	CreatedAt   string  `json:"created_at"`
}

type checkinAgreementRefJSON struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type checkinWeekJSON struct {
	Week        string                    `json:"week"`
	State       string                    `json:"state"`
	StartsOn    string                    `json:"starts_on"`
	EndsOn      string                    `json:"ends_on"`
	Editable    bool                      `json:"editable"`
	Mine        *checkinMyAnswerJSON      `json:"mine"`
	Partner     *checkinPartnerAnswerJSON `json:"partner"`
	Reflections []checkinReflectionJSON   `json:"reflections"`
	Agreements  []checkinAgreementRefJSON `json:"agreements"` // what the answers may say about, while editable
}

type checkinTimeoutJSON struct {
	ID        string  `json:"id"`
	Until     string  `json:"until"`
	Note      string  `json:"note"`
	AskedBy   string  `json:"asked_by"` // me or partner
	CreatedAt string  `json:"created_at"`
	EndedAt   *string `json:"ended_at"`
}

type checkinExportJSON struct {
	Answers        []checkinMyAnswerJSON      `json:"answers"`
	PartnerAnswers []checkinPartnerAnswerJSON `json:"partner_answers"`
	Reflections    []checkinReflectionJSON    `json:"reflections"`
	Timeouts       []checkinTimeoutJSON       `json:"timeouts"`
}

func checkinKeptOf(a *checkin.Answer) []checkinKeptJSON {
	out := []checkinKeptJSON{}
	for _, k := range a.Agreements {
		out = append(out, checkinKeptJSON{AgreementID: k.AgreementID, Title: k.Title, Kept: k.Kept})
	}
	return out
}

func toCheckinMyAnswerJSON(a *checkin.Answer) *checkinMyAnswerJSON {
	if a == nil {
		return nil
	}
	status := "draft"
	if a.Shared() {
		status = "shared"
	}
	return &checkinMyAnswerJSON{Week: a.Week, Status: status, Skip: a.Skip, Appreciation: a.Appreciation, WentWell: a.WentWell,
		WasHard: a.WasHard, Need: a.Need, Trust: a.Trust, Connection: a.Connection, Safety: a.Safety,
		Agreements: checkinKeptOf(a), UpdatedAt: rfc3339(a.UpdatedAt), SharedAt: rfc3339OrNull(a.SubmittedAt)}
}

func toCheckinPartnerAnswerJSON(a *checkin.Answer) *checkinPartnerAnswerJSON {
	if a == nil {
		return nil
	}
	return &checkinPartnerAnswerJSON{Week: a.Week, Skip: a.Skip, Appreciation: a.Appreciation, WentWell: a.WentWell,
		WasHard: a.WasHard, Need: a.Need, Trust: a.Trust, Connection: a.Connection,
		Agreements: checkinKeptOf(a), SharedAt: rfc3339OrNull(a.SubmittedAt)}
}

func toCheckinReflectionJSON(r *checkin.Reflection, me string) checkinReflectionJSON {
	by := "partner"
	if r.ListenerID == me {
		by = "me"
	}
	return checkinReflectionJSON{ID: r.ID, Week: r.Week, By: by, Text: r.Text, Accurate: r.Accurate, Note: r.Note,
		RespondedAt: rfc3339OrNull(r.RespondedAt), Validation: r.Validation, ValidatedAt: rfc3339OrNull(r.ValidatedAt),
		CreatedAt: rfc3339(r.CreatedAt)}
}

func toCheckinTimeoutJSON(t *checkin.Timeout, me string) checkinTimeoutJSON {
	by := "partner"
	if t.UserID == me {
		by = "me"
	}
	return checkinTimeoutJSON{ID: t.ID, Until: rfc3339(t.UntilAt), Note: t.Note, AskedBy: by, CreatedAt: rfc3339(t.CreatedAt),
		EndedAt: rfc3339OrNull(t.EndedAt)}
}

func toCheckinWeekJSON(v *checkin.WeekView, me string) checkinWeekJSON {
	out := checkinWeekJSON{Week: v.Week.String(), State: string(v.State), StartsOn: v.Week.Monday().Format(time.DateOnly),
		EndsOn: v.Week.Sunday().Format(time.DateOnly), Editable: v.Editable, Mine: toCheckinMyAnswerJSON(v.Mine),
		Partner: toCheckinPartnerAnswerJSON(v.Partner), Reflections: []checkinReflectionJSON{}, Agreements: []checkinAgreementRefJSON{}}
	for i := range v.Reflections {
		out.Reflections = append(out.Reflections, toCheckinReflectionJSON(&v.Reflections[i], me))
	}
	for _, a := range v.Agreements {
		out.Agreements = append(out.Agreements, checkinAgreementRefJSON{ID: a.ID, Title: a.Title})
	}
	return out
}

package server

import (
	"time"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
)

// The allowlisted JSON shapes of the plan feature (SECURITY C5).

type hintJSON struct {
	Field   string `json:"field"`
	Phrase  string `json:"phrase"`
	Message string `json:"message"`
}

type ackResponseJSON struct {
	Status    string `json:"status"`
	Note      string `json:"note"`
	Version   int    `json:"version"`
	CreatedAt string `json:"created_at"`
}

type ackVersionJSON struct {
	Number         int      `json:"number"`
	WhatHappened   string   `json:"what_happened"`
	Responsibility string   `json:"responsibility"`
	Impact         string   `json:"impact"`
	Commitments    []string `json:"commitments"`
	CreatedAt      string   `json:"created_at"`
	SharedAt       *string  `json:"shared_at"`
}

// myAckJSON is the author's own acknowledgment, drafts included.
type myAckJSON struct {
	ID             string           `json:"id"`
	WhatHappened   string           `json:"what_happened"`
	Responsibility string           `json:"responsibility"`
	Impact         string           `json:"impact"`
	Commitments    []string         `json:"commitments"`
	Version        int              `json:"version"`
	Shared         bool             `json:"shared"`
	SharedVersion  *int             `json:"shared_version"`
	SharedAt       *string          `json:"shared_at"`
	UpdatedAt      string           `json:"updated_at"`
	Versions       []ackVersionJSON `json:"versions"`
	Response       *ackResponseJSON `json:"response"`
}

// partnerAckJSON is the partner's acknowledgment: only its latest shared version.
type partnerAckJSON struct {
	ID             string           `json:"id"`
	Author         string           `json:"author_display_name"`
	WhatHappened   string           `json:"what_happened"`
	Responsibility string           `json:"responsibility"`
	Impact         string           `json:"impact"`
	Commitments    []string         `json:"commitments"`
	Version        int              `json:"version"`
	SharedAt       string           `json:"shared_at"`
	MyResponse     *ackResponseJSON `json:"my_response"`
}

func optTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	v := rfc3339(*t)
	return &v
}

func hintsJSON(hs []plan.Hint) []hintJSON {
	out := make([]hintJSON, 0, len(hs))
	for _, h := range hs {
		out = append(out, hintJSON{Field: h.Field, Phrase: h.Phrase, Message: h.Message})
	}
	return out
}

func responseJSON(r *plan.AckResponse) *ackResponseJSON {
	if r == nil {
		return nil
	}
	return &ackResponseJSON{Status: r.Status, Note: r.Note, Version: r.Version, CreatedAt: rfc3339(r.CreatedAt)}
}

func ackVersionJSONOf(v plan.AckVersion) ackVersionJSON {
	t := v.Text()
	return ackVersionJSON{Number: v.Number, WhatHappened: t.WhatHappened, Responsibility: t.Responsibility, Impact: t.Impact,
		Commitments: nonNil(t.Commitments), CreatedAt: rfc3339(v.CreatedAt), SharedAt: optTime(v.SharedAt)}
}

func myAckJSONOf(m *plan.MyAck) *myAckJSON {
	if m == nil {
		return nil
	}
	out := &myAckJSON{ID: m.ID, WhatHappened: m.Text.WhatHappened, Responsibility: m.Text.Responsibility, Impact: m.Text.Impact,
		Commitments: nonNil(m.Text.Commitments), Version: m.Version, UpdatedAt: rfc3339(m.UpdatedAt), Response: responseJSON(m.Response)}
	if m.Shared != nil {
		n := m.Shared.Number
		out.Shared, out.SharedVersion, out.SharedAt = !m.DraftAhead(), &n, optTime(m.Shared.SharedAt)
	}
	for _, v := range m.Versions {
		out.Versions = append(out.Versions, ackVersionJSONOf(v))
	}
	return out
}

func partnerAckJSONOf(p *plan.PartnerAck, m *couple.Membership) *partnerAckJSON {
	if p == nil {
		return nil
	}
	return &partnerAckJSON{ID: p.ID, Author: partnerName(m), WhatHappened: p.Text.WhatHappened, Responsibility: p.Text.Responsibility,
		Impact: p.Text.Impact, Commitments: nonNil(p.Text.Commitments), Version: p.Version, SharedAt: rfc3339(p.SharedAt),
		MyResponse: responseJSON(p.MyResponse)}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// marksJSON is one person's marks; done is their own say that the item is done.
type marksJSON struct {
	DidMyPart bool `json:"did_my_part"`
	Noticed   bool `json:"noticed"`
	Done      bool `json:"done"`
}

type evidenceJSON struct {
	Met  bool   `json:"met"`
	Text string `json:"text"`
}

type historyJSON struct {
	What string `json:"what"`
	By   string `json:"by"`
	At   string `json:"at"`
}

type itemJSON struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"`
	Notes       string        `json:"notes"`
	Kind        string        `json:"kind"`
	CreatedByMe bool          `json:"created_by_me"`
	Done        bool          `json:"done"`
	DoneAt      *string       `json:"done_at"`
	Evidence    *evidenceJSON `json:"evidence"`
	Mine        marksJSON     `json:"mine"`
	Partner     *marksJSON    `json:"partner"`
	History     []historyJSON `json:"history"`
	Guide       string        `json:"guide,omitempty"`
	Action      string        `json:"action,omitempty"`
}

func itemJSONOf(it *plan.ItemView) itemJSON {
	out := itemJSON{ID: it.ID, Title: it.Title, Notes: it.Notes, Kind: "custom", CreatedByMe: it.CreatedByMe, Done: it.Done,
		DoneAt: optTime(it.DoneAt), Mine: marksJSON(it.Mine), History: []historyJSON{}, Guide: it.Guide, Action: it.Action}
	if it.Starter != "" {
		out.Kind = "article"
	}
	if it.Evidence != nil {
		out.Evidence = &evidenceJSON{Met: it.Evidence.Met, Text: it.Evidence.Text}
	}
	if it.Partner != nil {
		p := marksJSON(*it.Partner)
		out.Partner = &p
	}
	for _, h := range it.History {
		by := "partner"
		if h.ByMe {
			by = "me"
		}
		out.History = append(out.History, historyJSON{What: h.What, By: by, At: rfc3339(h.At)})
	}
	return out
}

type therapyJSON struct {
	Decision    *string `json:"decision"`
	RevisitOn   *string `json:"revisit_on"`
	DecidedAt   *string `json:"decided_at"`
	DecidedByMe bool    `json:"decided_by_me"`
	Asked       bool    `json:"asked"`
	BothAsked   bool    `json:"both_asked"`
}

func therapyJSONOf(t plan.TherapyView) therapyJSON {
	out := therapyJSON{DecidedAt: optTime(t.DecidedAt), DecidedByMe: t.DecidedByMe, Asked: t.Asked, BothAsked: t.BothAsked}
	if t.Decision != "" {
		out.Decision = &t.Decision
	}
	if t.RevisitOn != "" {
		out.RevisitOn = &t.RevisitOn
	}
	return out
}

type promptJSON struct {
	Show    bool     `json:"show"`
	Variant string   `json:"variant"`
	Reasons []string `json:"reasons"`
}

func promptJSONOf(p plan.Prompt) promptJSON {
	return promptJSON{Show: p.Show, Variant: p.Variant, Reasons: nonNil(p.Reasons)}
}

type tallyJSON struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

type momentJSON struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	On        string `json:"on"`
	Note      string `json:"note"`
	Shared    bool   `json:"shared"`
	Mine      bool   `json:"mine"`
	CreatedAt string `json:"created_at"`
}

func momentJSONOf(m plan.Moment, userID string) momentJSON {
	return momentJSON{ID: m.ID, Kind: m.Kind, On: m.OnDate, Note: m.Note, Shared: m.Shared, Mine: m.Mine(userID), CreatedAt: rfc3339(m.CreatedAt)}
}

// pathJSON is one of the plan's paths: what it suggests to the asking user next (plan.Path).
type pathJSON struct {
	Role        string           `json:"role"`
	Title       string           `json:"title"`
	Guide       string           `json:"guide"`
	GuideLabel  string           `json:"guide_label"`
	Suggestions []suggestionJSON `json:"suggestions"`
}

type suggestionJSON struct {
	Text  string `json:"text"`
	Href  string `json:"href"`
	Label string `json:"label"`
	Joint bool   `json:"joint"`
}

func pathsJSONOf(ps []plan.Path) []pathJSON {
	out := make([]pathJSON, 0, len(ps))
	for _, p := range ps {
		j := pathJSON{Role: p.Role, Title: p.Title, Guide: p.Guide, GuideLabel: p.GuideLabel, Suggestions: make([]suggestionJSON, 0, len(p.Suggestions))}
		for _, s := range p.Suggestions {
			j.Suggestions = append(j.Suggestions, suggestionJSON{Text: s.Text, Href: s.Href, Label: s.Label, Joint: s.Joint})
		}
		out = append(out, j)
	}
	return out
}

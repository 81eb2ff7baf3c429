package server

import (
	"sort"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/apperr"
)

// agreementJSON is the allowlisted shape of an agreement in the API and the export.
type agreementJSON struct {
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	Body         string        `json:"body"`
	Category     string        `json:"category"`
	ReviewOn     string        `json:"review_on"`
	EndsOn       *string       `json:"ends_on"`
	Status       string        `json:"status"`
	Version      int           `json:"version"`
	DueForReview bool          `json:"due_for_review"`
	WaitingForMe bool          `json:"waiting_for_me"`
	AcceptedBy   []string      `json:"accepted_by"`
	CreatedAt    string        `json:"created_at"`
	UpdatedAt    string        `json:"updated_at"`
	Versions     []versionJSON `json:"versions,omitempty"`
	Log          []eventJSON   `json:"log,omitempty"`

	// AcceptedByFormerPartner marks, in the export, a joint text the former partner had accepted before
	// deleting their account (DESIGN §2.9): their acceptance stays, their id does not.
	AcceptedByFormerPartner bool `json:"accepted_by_former_partner,omitempty"`
}

type versionJSON struct {
	Number    int     `json:"number"`
	Title     string  `json:"title"`
	Body      string  `json:"body"`
	Category  string  `json:"category"`
	ReviewOn  string  `json:"review_on"`
	EndsOn    *string `json:"ends_on"`
	Author    *string `json:"author"` // null: a former partner who has deleted their account
	CreatedAt string  `json:"created_at"`
}

type eventJSON struct {
	Action       string  `json:"action"`
	Version      int     `json:"version"`
	By           *string `json:"by"` // null: a former partner who has deleted their account
	At           string  `json:"at"`
	Note         string  `json:"note"`
	NextReviewOn *string `json:"next_review_on,omitempty"`
}

// userRef is a user id for JSON, or nil for the empty id of a partner who has deleted their account.
func userRef(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

// toAgreementJSON shapes v for userID; full adds the versions and the consent log.
func toAgreementJSON(v *agreement.View, userID string, full bool) agreementJSON {
	out := agreementJSON{
		ID: v.ID, Title: v.Current.Title, Body: v.Current.Body, Category: v.Current.Category, ReviewOn: v.ReviewOn,
		EndsOn: v.Current.EndsOn, Status: v.Status, Version: v.Current.Number, DueForReview: v.DueForReview,
		WaitingForMe: v.WaitingFor(userID), AcceptedBy: []string{},
		CreatedAt: rfc3339(v.CreatedAt), UpdatedAt: rfc3339(v.UpdatedAt),
	}
	for id := range v.AcceptedBy {
		if id == "" {
			out.AcceptedByFormerPartner = true
			continue
		}
		out.AcceptedBy = append(out.AcceptedBy, id)
	}
	sort.Strings(out.AcceptedBy)
	if !full {
		return out
	}
	for _, ver := range v.Versions {
		out.Versions = append(out.Versions, versionJSON{Number: ver.Number, Title: ver.Title, Body: ver.Body, Category: ver.Category,
			ReviewOn: ver.ReviewOn, EndsOn: ver.EndsOn, Author: userRef(ver.AuthorID), CreatedAt: rfc3339(ver.CreatedAt)})
	}
	for _, e := range v.Log {
		out.Log = append(out.Log, eventJSON{Action: e.Action, Version: e.Version, By: userRef(e.ActorID), At: rfc3339(e.CreatedAt),
			Note: e.Note, NextReviewOn: e.NextReviewOn})
	}
	return out
}

// agreementRequest is the body of POST /agreements and PUT /agreements/{id}; only these fields are read.
type agreementRequest struct {
	Title       string  `json:"title"`
	Body        string  `json:"body"`
	Category    string  `json:"category"`
	ReviewOn    string  `json:"review_on"`
	EndsOn      *string `json:"ends_on"`
	BaseVersion *int    `json:"base_version"`
}

func (r agreementRequest) input() agreement.Input {
	in := agreement.Input{Title: r.Title, Body: r.Body, Category: r.Category, ReviewOn: r.ReviewOn}
	if r.EndsOn != nil {
		in.EndsOn = *r.EndsOn
	}
	return in
}

func (h *agreementHandlers) sendAgreement(c *fiber.Ctx, status int, v *agreement.View) error {
	return sendJSON(c, status, fiber.Map{"agreement": toAgreementJSON(v, membership(c).Me.UserID, true)})
}

func (h *agreementHandlers) apiList(c *fiber.Ctx) error {
	sc := membership(c)
	views, err := h.svc.List(c.UserContext(), sc)
	if err != nil {
		return err
	}
	out := make([]agreementJSON, 0, len(views))
	for i := range views {
		out = append(out, toAgreementJSON(&views[i], sc.Me.UserID, false))
	}
	return sendJSON(c, fiber.StatusOK, fiber.Map{"agreements": out})
}

func (h *agreementHandlers) apiCreate(c *fiber.Ctx) error {
	var req agreementRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := h.svc.Create(c.UserContext(), membership(c), req.input())
	if err != nil {
		return err
	}
	return h.sendAgreement(c, fiber.StatusCreated, v)
}

func (h *agreementHandlers) apiGet(c *fiber.Ctx) error {
	v, err := h.svc.Get(c.UserContext(), membership(c), c.Params("id"))
	if err != nil {
		return err
	}
	return h.sendAgreement(c, fiber.StatusOK, v)
}

func (h *agreementHandlers) apiEdit(c *fiber.Ctx) error {
	var req agreementRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	sc := membership(c)
	if req.BaseVersion == nil {
		// Existence first, so another couple's agreement is a 404 whatever the body says.
		if _, err := h.svc.Get(c.UserContext(), sc, c.Params("id")); err != nil {
			return err
		}
		return apperr.Fields(map[string]string{"base_version": "Name the version your edit is based on."})
	}
	v, err := h.svc.Edit(c.UserContext(), sc, c.Params("id"), *req.BaseVersion, req.input())
	if err != nil {
		return err
	}
	return h.sendAgreement(c, fiber.StatusOK, v)
}

func (h *agreementHandlers) apiAccept(c *fiber.Ctx) error {
	var req struct {
		Version *int   `json:"version"`
		Note    string `json:"note"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	sc := membership(c)
	if req.Version == nil {
		if _, err := h.svc.Get(c.UserContext(), sc, c.Params("id")); err != nil {
			return err
		}
		return apperr.Fields(map[string]string{"version": "Name the version you accept."})
	}
	v, err := h.svc.Accept(c.UserContext(), sc, c.Params("id"), *req.Version, req.Note)
	if err != nil {
		return err
	}
	return h.sendAgreement(c, fiber.StatusOK, v)
}

func (h *agreementHandlers) apiWithdraw(c *fiber.Ctx) error {
	var req struct {
		Note string `json:"note"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := h.svc.Withdraw(c.UserContext(), membership(c), c.Params("id"), req.Note)
	if err != nil {
		return err
	}
	return h.sendAgreement(c, fiber.StatusOK, v)
}

func (h *agreementHandlers) apiReview(c *fiber.Ctx) error {
	var req struct {
		NextReviewOn string `json:"next_review_on"`
		Note         string `json:"note"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := h.svc.Review(c.UserContext(), membership(c), c.Params("id"), req.NextReviewOn, req.Note)
	if err != nil {
		return err
	}
	return h.sendAgreement(c, fiber.StatusOK, v)
}

package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/plan"
)

type ackReq struct {
	WhatHappened   string   `json:"what_happened"`
	Responsibility string   `json:"responsibility"`
	Impact         string   `json:"impact"`
	Commitments    []string `json:"commitments"`
	Share          bool     `json:"share"`
}

type ackResponseReq struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

func (h *ackHandlers) sendAck(c *fiber.Ctx, p *plan.AckPage) error {
	m := membership(c)
	return c.JSON(fiber.Map{"acknowledgment": myAckJSONOf(p.Mine), "partner_acknowledgment": partnerAckJSONOf(p.Partner, m),
		"hints": hintsJSON(p.Hints)})
}

func (h *ackHandlers) apiGetAck(c *fiber.Ctx) error {
	p, err := h.svc.Acknowledgment(c.UserContext(), membership(c))
	if err != nil {
		return err
	}
	return h.sendAck(c, p)
}

func (h *ackHandlers) apiPutAck(c *fiber.Ctx) error {
	var req ackReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t := plan.AckText{WhatHappened: req.WhatHappened, Responsibility: req.Responsibility, Impact: req.Impact, Commitments: req.Commitments}
	p, err := h.svc.SaveAcknowledgment(c.UserContext(), membership(c), t, req.Share)
	if err != nil {
		return err
	}
	return h.sendAck(c, p)
}

func (h *ackHandlers) apiAckResponse(c *fiber.Ctx) error {
	var req ackResponseReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := h.svc.Respond(c.UserContext(), membership(c), req.Status, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"response": responseJSON(r)})
}

func (h *planHandlers) apiGetPlan(c *fiber.Ctx) error {
	p, err := h.svc.Plan(c.UserContext(), membership(c))
	if err != nil {
		return err
	}
	items := make([]itemJSON, 0, len(p.Items))
	for i := range p.Items {
		items = append(items, itemJSONOf(&p.Items[i]))
	}
	return c.JSON(fiber.Map{"items": items, "progress": tallyJSON{Done: p.Done, Total: p.Total},
		"therapy": therapyJSONOf(p.Therapy), "therapy_prompt": promptJSONOf(p.Prompt), "paths": pathsJSONOf(p.Paths)})
}

type itemReq struct {
	Title string `json:"title"`
	Notes string `json:"notes"`
}

func (h *planHandlers) apiAddPlanItem(c *fiber.Ctx) error {
	var req itemReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	it, err := h.svc.AddItem(c.UserContext(), membership(c), plan.ItemInput{Title: req.Title, Notes: req.Notes})
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.StatusCreated, fiber.Map{"item": itemJSONOf(it)})
}

type itemPatchReq struct {
	Done      *bool `json:"done"`
	DidMyPart *bool `json:"did_my_part"`
	Noticed   *bool `json:"noticed"`
}

func (h *planHandlers) apiPatchPlanItem(c *fiber.Ctx) error {
	var req itemPatchReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	it, err := h.svc.ChangeItem(c.UserContext(), membership(c), c.Params("id"),
		plan.ItemChange{Done: req.Done, DidMyPart: req.DidMyPart, Noticed: req.Noticed})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"item": itemJSONOf(it)})
}

type therapyReq struct {
	Decision  *string `json:"decision"`
	RevisitOn *string `json:"revisit_on"`
	Ask       *bool   `json:"ask"`
}

func (h *planHandlers) apiPlanTherapy(c *fiber.Ctx) error {
	var req therapyReq
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := plan.TherapyInput{Decision: req.Decision, Ask: req.Ask}
	if req.RevisitOn != nil {
		in.RevisitOn = *req.RevisitOn
	}
	t, err := h.svc.RecordTherapy(c.UserContext(), membership(c), in)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"therapy": therapyJSONOf(*t)})
}

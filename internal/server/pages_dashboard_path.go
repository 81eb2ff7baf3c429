package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/question"
)

// homePath is the home page's block of one calm next step on the user's own path (issue 19): the path
// of their role, or both without one. Nothing locks on the role, and no step names anything the
// partner has not done.
type homePath struct {
	// Both is set without a role that picks a path; AskRole then invites recording one (not for
	// "prefer not to say").
	Both, AskRole bool
	// LowSafety is set while the user's latest safety answer is low: the block then leads with support
	// for them, and each path keeps only its guide.
	LowSafety bool
	Steps     []homeStep
}

// homeStep is the next step on one path: a line, its link, and the path's guide.
type homeStep struct {
	Title, Text, Href, Label string
	// Joint is set on a step done with the partner; none is offered while safety is low.
	Joint             bool
	Or                *homeStep
	Guide, GuideLabel string
}

var (
	hurtGuide  = homeStep{Guide: plan.GuideHurtPartner, GuideLabel: "The guide for the partner who was hurt"}
	brokeGuide = homeStep{Guide: plan.GuideBrokeTrust, GuideLabel: "The guide for the partner who broke trust"}
)

func withGuide(s, g homeStep) homeStep {
	s.Guide, s.GuideLabel = g.Guide, g.GuideLabel
	return s
}

// hurtStep is the next step for the partner who was hurt: the private trigger log, or, while the
// questions are open, a question.
func hurtStep(q *question.Next, hasPartner bool) homeStep {
	s := homeStep{Text: "When something brings the hurt back, note it in your trigger log. Only you see it.", Href: "/triggers", Label: "Open your trigger log"}
	if hasPartner && q != nil && !q.Paused {
		s.Or = &homeStep{Text: "Or write down a question you need answered; it can wait for your next check-in.", Href: "/questions", Label: "Ask a question", Joint: true}
	}
	return withGuide(s, hurtGuide)
}

// brokeStep is the next step for the partner who broke trust: a question waiting for their answer,
// else their acknowledgment until it is shared, else keeping what was agreed.
func brokeStep(q *question.Next, ackShared bool) homeStep {
	switch {
	case q != nil && q.Unanswered > 0:
		return withGuide(homeStep{Text: "A question is waiting for your answer. Answer it in writing, honestly; what you write is kept, and a correction shows as one.",
			Href: "/questions", Label: "Go to the questions", Joint: true}, brokeGuide)
	case !ackShared:
		return withGuide(homeStep{Text: "Write what happened, what you take responsibility for and what you will change. It stays a private draft until you share it.",
			Href: "/acknowledgment", Label: "Write the acknowledgment"}, brokeGuide)
	}
	return withGuide(homeStep{Text: "Trust comes back through what you keep doing. Look at what you agreed, and keep it.",
		Href: "/agreements", Label: "Your agreements", Joint: true}, brokeGuide)
}

// pathStep reads what the user's path needs and returns the block; lowSafety is the user's, read once
// for the whole home page.
func (h *coupleHandlers) pathStep(c *fiber.Ctx, m *couple.Membership, lowSafety bool) (*homePath, error) {
	p := &homePath{LowSafety: lowSafety}
	if lowSafety {
		// Support for the person comes first (the block says so); of each path only its guide stays.
		hurt, broke := hurtGuide, brokeGuide
		switch m.Me.Role {
		case plan.RoleHurt:
			p.Steps = []homeStep{hurt}
		case plan.RoleBrokeTrust:
			p.Steps = []homeStep{broke}
		default:
			hurt.Title, broke.Title = "If you were hurt", "If you broke trust"
			p.Both, p.Steps = true, []homeStep{hurt, broke}
		}
		return p, nil
	}
	ctx := c.UserContext()
	// What the questions hold matters on both paths once there is a partner to ask or answer.
	var q *question.Next
	if m.Partner != nil && (m.Me.Role == plan.RoleHurt || m.Me.Role == plan.RoleBrokeTrust) {
		n, err := h.questions.Next(ctx, m)
		if err != nil {
			return nil, err
		}
		q = &n
	}
	switch m.Me.Role {
	case plan.RoleHurt:
		p.Steps = []homeStep{hurtStep(q, m.Partner != nil)}
	case plan.RoleBrokeTrust:
		shared := false
		if q == nil || q.Unanswered == 0 {
			var err error
			if shared, err = h.plan.AckShared(ctx, m); err != nil {
				return nil, err
			}
		}
		p.Steps = []homeStep{brokeStep(q, shared)}
	default:
		// Both paths, read from nothing: each path's first tool, which works for anyone.
		p.Both, p.AskRole = true, m.Me.Role == ""
		hurt := hurtStep(nil, false)
		hurt.Title = "If you were hurt"
		broke := brokeStep(nil, false)
		broke.Title = "If you broke trust"
		p.Steps = []homeStep{hurt, broke}
	}
	return p, nil
}

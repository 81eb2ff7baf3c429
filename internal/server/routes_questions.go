package server

import (
	"context"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/question"
)

// questionHandlers serves the questions' pages and API over one question.Service.
type questionHandlers struct {
	*Server
	svc       *question.Service
	lowSafety lowSafetyCheck
}

// routes registers the questions answered once and kept (DESIGN §5.4). Every route is couple-scoped.
func (h *questionHandlers) routes(pages, api fiber.Router) {
	rc := h.requireCouple

	pages.Get("/questions", rc, h.listPage)
	pages.Post("/questions", rc, h.askSubmit)
	pages.Post("/questions/pause", rc, h.pauseSubmit)
	pages.Post("/questions/pause/end", rc, h.pauseEndSubmit)
	pages.Post("/questions/:id/answer", rc, h.answerSubmit)
	pages.Post("/questions/:id/follow-up", rc, h.followUpSubmit)

	api.Get("/questions", rc, h.apiList)
	api.Post("/questions", rc, h.apiAsk)
	api.Post("/questions/pause", rc, h.apiPause)
	api.Post("/questions/pause/end", rc, h.apiPauseEnd)
	api.Post("/questions/:id/answer", rc, h.apiAnswer)
	api.Post("/questions/:id/follow-up", rc, h.apiFollowUp)
}

// questionExportJSON is the questions' section of a user's export.
type questionExportJSON struct {
	Asked            []questionJSON `json:"asked"`
	Received         []questionJSON `json:"received"`
	AnswersWritten   []answerJSON   `json:"answers_written"`
	FollowUpsWritten []followUpJSON `json:"follow_ups_written"`
}

// export returns the questions the user asked, those their partner asked that they can see now, and
// every answer and follow-up they wrote (DESIGN §2.9).
func (h *questionHandlers) export(ctx context.Context, u *account.User, m *couple.Membership) (any, error) {
	ex, err := h.svc.ExportFor(ctx, u.ID, m)
	if err != nil {
		return nil, err
	}
	out := questionExportJSON{Asked: []questionJSON{}, Received: []questionJSON{}, AnswersWritten: []answerJSON{}, FollowUpsWritten: []followUpJSON{}}
	for i := range ex.Asked {
		out.Asked = append(out.Asked, toQuestionJSON(&ex.Asked[i]))
	}
	for i := range ex.Received {
		out.Received = append(out.Received, toQuestionJSON(&ex.Received[i]))
	}
	for _, a := range ex.Answers {
		out.AnswersWritten = append(out.AnswersWritten, toAnswerJSON(a))
	}
	for _, f := range ex.FollowUps {
		out.FollowUpsWritten = append(out.FollowUpsWritten, toFollowUpJSON(f))
	}
	return out, nil
}

// archiveSection shows, on /archive, what the user wrote in an ended couple's questions.
func (h *questionHandlers) archiveSection(c *fiber.Ctx, userID string, past couple.Past) (template.HTML, error) {
	a, err := h.svc.ArchiveOf(c.UserContext(), userID, past.Couple.ID)
	if err != nil || a.Empty() {
		return "", err
	}
	return h.views.partial("repair-question-archive", map[string]any{"ID": past.Couple.ID, "Archive": a})
}

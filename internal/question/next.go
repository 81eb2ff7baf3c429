package question

import (
	"context"

	"github.com/mendhq/mend/internal/couple"
)

// Next is what the home page's next step needs of the questions: whether they are paused and, when
// they are not, how many of the partner's questions have come to their day without an answer yet.
type Next struct {
	Paused     bool
	Unanswered int
}

// Next returns the member's Next: counts only, never a question's words.
func (s *Service) Next(ctx context.Context, m *couple.Membership) (Next, error) {
	db := s.db.WithContext(ctx)
	p, err := currentPause(db, m.Couple.ID, s.nowUTC())
	if err != nil {
		return Next{}, wrap("next", err)
	}
	if p != nil {
		return Next{Paused: true}, nil
	}
	if m.PartnerID() == "" {
		return Next{}, nil
	}
	var n int64
	err = visible(db.Model(&Question{}), m, s.today(m)).Where("asker_id = ?", m.PartnerID()).
		Where("NOT EXISTS (SELECT 1 FROM question_answers WHERE question_answers.question_id = questions.id)").Count(&n).Error
	if err != nil {
		return Next{}, wrap("next", err)
	}
	return Next{Unanswered: int(n)}, nil
}

package checkin

import (
	"context"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
)

// SaveUnseen stores the member's answers as SaveAnswer does when the read before its write saw no
// answers of theirs, while another save had just stored some: the answers are sealed for a fresh row
// id, then land in the row already there. allowed are the agreements the answers may speak of.
func SaveUnseen(ctx context.Context, s *Service, m *couple.Membership, week string, in AnswerInput, allowed []AgreementRef) error {
	kept, err := in.validate(allowed)
	if err != nil {
		return err
	}
	a := in.answer(m, week, s.nowUTC())
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, err := store(ctx, tx, &a, in.Submit, kept, "", nil)
		return err
	})
}

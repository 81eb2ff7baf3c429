package checkin

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
)

// Export is what a user may take away of check-ins: their own answers (with their safety ratings) in
// every couple, and, in their current couple, the partner's opened answers without safety ratings and
// every reflection and time-out. Of former couples it keeps only what the user wrote.
type Export struct {
	Mine        []Answer
	Partner     []Answer
	Reflections []Reflection
	Timeouts    []Timeout
}

// Export collects the user's check-in data; m is nil when the user has no couple now.
func (s *Service) Export(ctx context.Context, userID string, m *couple.Membership) (*Export, error) {
	db := s.db.WithContext(ctx)
	out := &Export{}
	if err := db.Where("user_id = ?", userID).Order("week, couple_id").Find(&out.Mine).Error; err != nil {
		return nil, fmt.Errorf("checkin: export: %w", err)
	}
	if err := withAgreements(db, out.Mine); err != nil {
		return nil, fmt.Errorf("checkin: export: %w", err)
	}
	current := ""
	if m != nil {
		current = m.Couple.ID
		err := db.Where("couple_id = ? AND user_id <> ? AND week IN (?)", current, userID,
			db.Model(&openedWeek{}).Select("week").Where("couple_id = ?", current)).Order("week").Find(&out.Partner).Error
		if err != nil {
			return nil, fmt.Errorf("checkin: export: %w", err)
		}
		if err := withAgreements(db, out.Partner); err != nil {
			return nil, fmt.Errorf("checkin: export: %w", err)
		}
		for i := range out.Partner {
			out.Partner[i].Safety = nil
		}
	}
	err := db.Where("couple_id = ? OR listener_id = ? OR author_id = ?", current, userID, userID).
		Order("week, created_at").Find(&out.Reflections).Error
	if err != nil {
		return nil, fmt.Errorf("checkin: export: %w", err)
	}
	for i := range out.Reflections {
		r := &out.Reflections[i]
		if r.CoupleID == current {
			continue
		}
		if r.ListenerID == userID { // the former partner's response is theirs
			r.Accurate, r.Note, r.RespondedAt = nil, "", nil
		} else { // the restatement and validating line are the former partner's
			r.Text, r.Validation, r.ValidatedAt = "", "", nil
		}
	}
	if err := db.Where("couple_id = ? OR user_id = ?", current, userID).Order("created_at").Find(&out.Timeouts).Error; err != nil {
		return nil, fmt.Errorf("checkin: export: %w", err)
	}
	if err := s.openTimeouts(ctx, out.Timeouts); err != nil {
		return nil, fmt.Errorf("checkin: export: %w", err)
	}
	return out, nil
}

// Archive returns what the user wrote in one of their couples, for their read-only archive once it has
// ended (DESIGN §2.2): their own answers (with their own safety ratings) and what they heard of the
// other person's answers, with their validating lines. Nothing the other person wrote is returned.
func (s *Service) Archive(ctx context.Context, userID, coupleID string) ([]Answer, []Reflection, error) {
	db := s.db.WithContext(ctx)
	var answers []Answer
	if err := db.Where("couple_id = ? AND user_id = ?", coupleID, userID).Order("week").Find(&answers).Error; err != nil {
		return nil, nil, fmt.Errorf("checkin: archive: %w", err)
	}
	if err := withAgreements(db, answers); err != nil {
		return nil, nil, fmt.Errorf("checkin: archive: %w", err)
	}
	var heard []Reflection
	if err := db.Where("couple_id = ? AND listener_id = ?", coupleID, userID).Order("week, created_at").Find(&heard).Error; err != nil {
		return nil, nil, fmt.Errorf("checkin: archive: %w", err)
	}
	for i := range heard {
		heard[i].Accurate, heard[i].Note, heard[i].RespondedAt = nil, "", nil
	}
	return answers, heard, nil
}

// RemovedAgreementTitle stands in, in a check-in answer, for the title of an agreement version whose
// author deleted their account.
const RemovedAgreementTitle = "An agreement that was removed"

// Erase removes what the database cascade leaves of userID's writing: their responses to what the other
// person heard of their answers (those rows are the other person's reflections and stay, without the
// response), and the copies of agreement titles they wrote that the other person's answers keep
// (SECURITY H2). Run it inside the account-deletion transaction, after the agreements' hook has removed
// the user's agreement versions and before the user row is deleted; the cascade then removes the user's
// answers, the reflections they wrote and the pauses they asked for. It also recounts the check-in facts
// of the weeks they answered in without them (eraseFactsSQL), so the facts stay those of the answers left.
func Erase(ctx context.Context, tx *gorm.DB, userID string) error {
	err := tx.WithContext(ctx).Model(&Reflection{}).Where("author_id = ?", userID).
		Updates(map[string]any{"accurate": nil, "note": "", "responded_at": nil}).Error
	if err != nil {
		return fmt.Errorf("checkin: erase: %w", err)
	}
	err = tx.WithContext(ctx).Model(&AgreementAnswer{}).
		Where("title <> ? AND NOT EXISTS (SELECT 1 FROM agreement_versions v WHERE v.agreement_id = checkin_agreement_answers.agreement_id"+
			" AND v.title = checkin_agreement_answers.title)", RemovedAgreementTitle).
		Update("title", RemovedAgreementTitle).Error
	if err != nil {
		return fmt.Errorf("checkin: erase: %w", err)
	}
	if err := tx.WithContext(ctx).Exec(eraseFactsSQL, userID, userID, userID, userID, true, userID, userID).Error; err != nil {
		return fmt.Errorf("checkin: erase: %w", err)
	}
	return nil
}

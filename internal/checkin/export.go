package checkin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/vault"
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
	v := vault.From(s.db)
	if err := withAgreements(db, out.Mine); err != nil {
		return nil, fmt.Errorf("checkin: export: %w", err)
	}
	if err := openAnswers(ctx, v, out.Mine); err != nil {
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
		if err := openAnswers(ctx, v, out.Partner); err != nil {
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
	// Opened once what is not the user's to take is blanked: only what is returned is opened.
	if err := openReflections(ctx, v, out.Reflections); err != nil {
		return nil, fmt.Errorf("checkin: export: %w", err)
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
	v := vault.From(s.db)
	if err := withAgreements(db, answers); err != nil {
		return nil, nil, fmt.Errorf("checkin: archive: %w", err)
	}
	if err := openAnswers(ctx, v, answers); err != nil {
		return nil, nil, fmt.Errorf("checkin: archive: %w", err)
	}
	var heard []Reflection
	if err := db.Where("couple_id = ? AND listener_id = ?", coupleID, userID).Order("week, created_at").Find(&heard).Error; err != nil {
		return nil, nil, fmt.Errorf("checkin: archive: %w", err)
	}
	for i := range heard {
		heard[i].Accurate, heard[i].Note, heard[i].RespondedAt = nil, "", nil
	}
	if err := openReflections(ctx, v, heard); err != nil {
		return nil, nil, fmt.Errorf("checkin: archive: %w", err)
	}
	return answers, heard, nil
}

// RemovedAgreementTitle stands in, in a check-in answer, for the title of an agreement version whose
// author deleted their account.
const RemovedAgreementTitle = "An agreement that was removed"

// Erase removes what the database cascade leaves of userID's writing: their responses to what the other
// person heard of their answers (those rows are the other person's reflections and stay, without the
// response), and the copies of agreement titles they wrote that the other person's answers keep
// (SECURITY H2): those that no remaining version of their agreement has (eraseTitles). Run it inside the account-deletion transaction, after the agreements' hook has removed
// the user's agreement versions and before the user row is deleted; the cascade then removes the user's
// answers, the reflections they wrote and the pauses they asked for. It also recounts the check-in facts
// of the weeks they answered in without them (eraseFactsSQL), so the facts stay those of the answers left.
func Erase(ctx context.Context, tx *gorm.DB, userID string) error {
	err := tx.WithContext(ctx).Model(&Reflection{}).Where("author_id = ?", userID).
		Updates(map[string]any{"accurate": nil, "note": "", "responded_at": nil}).Error
	if err != nil {
		return fmt.Errorf("checkin: erase: %w", err)
	}
	if err := eraseTitles(ctx, tx.WithContext(ctx), userID); err != nil {
		return fmt.Errorf("checkin: erase: %w", err)
	}
	if err := tx.WithContext(ctx).Exec(eraseFactsSQL, userID, userID, userID, userID, true, userID, userID).Error; err != nil {
		return fmt.Errorf("checkin: erase: %w", err)
	}
	return nil
}

// keptOfCouplesSQL reads the per-agreement answers in the check-ins of the couples userID is or was a
// member of (a check-in asks about its own couple's agreements only), with their answers' couple.
const keptOfCouplesSQL = `SELECT a.couple_id, k.answer_id, k.agreement_id, k.title FROM checkin_agreement_answers k
	JOIN checkin_answers a ON a.id = k.answer_id
	WHERE a.couple_id IN (SELECT couple_id FROM couple_members WHERE user_id = ?) AND k.title <> ''`

// eraseTitles replaces with RemovedAgreementTitle each copy of an agreement title, in the answers of
// userID's couples, that no remaining version of its agreement has (the agreements' hook has just
// removed userID's versions that were not joint texts). Titles are sealed on both sides, so they are
// compared here, opened, rather than in SQL: a copy stays when a version of its agreement has the same
// title. A version's title opens with the key its ciphertext names (vault.Open), whoever owns it. A
// title that does not open (its key shredded, or damaged) matches nothing: on the version's side it
// keeps no copy, on the copy's side it is replaced, so a deletion is never stopped by an unreadable
// text.
func eraseTitles(ctx context.Context, tx *gorm.DB, userID string) error {
	type copyRow struct{ coupleID, answerID, agreementID, title string }
	var copies []copyRow
	err := eachRow(tx.Raw(keptOfCouplesSQL, userID), func(rows *sql.Rows) error {
		var c copyRow
		err := rows.Scan(&c.coupleID, &c.answerID, &c.agreementID, &c.title)
		copies = append(copies, c)
		return err
	})
	if err != nil || len(copies) == 0 {
		return err
	}
	v := vault.From(tx)
	ids := make([]string, 0, len(copies))
	seen := map[string]bool{}
	for _, c := range copies {
		if !seen[c.agreementID] {
			seen[c.agreementID] = true
			ids = append(ids, c.agreementID)
		}
	}
	type versionTitle struct{ agreementID, title string }
	kept := map[versionTitle]bool{}
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		q := tx.Raw("SELECT id, agreement_id, title FROM agreement_versions WHERE agreement_id IN ?", part)
		if err := eachRow(q, func(rows *sql.Rows) error {
			var id string
			var t versionTitle
			if err := rows.Scan(&id, &t.agreementID, &t.title); err != nil {
				return err
			}
			plain, err := openOrNothing(ctx, v, vault.Field{Table: "agreement_versions", Column: "title", Row: id}, t.title)
			if err == nil && plain != "" {
				t.title = plain
				kept[t] = true
			}
			return err
		}); err != nil {
			return err
		}
	}
	for _, c := range copies {
		plain, err := openOrNothing(ctx, v, titleField(c.answerID, c.agreementID), c.title)
		if err != nil {
			return err
		}
		if plain == RemovedAgreementTitle || plain != "" && kept[versionTitle{c.agreementID, plain}] {
			continue
		}
		removed, err := sealTitle(ctx, v, c.coupleID, c.answerID, c.agreementID, RemovedAgreementTitle)
		if err != nil {
			return err
		}
		if err := tx.Model(&AgreementAnswer{}).Where("answer_id = ? AND agreement_id = ?", c.answerID, c.agreementID).
			Update("title", removed).Error; err != nil {
			return err
		}
	}
	return nil
}

// openOrNothing is vault.Open, with "" for a text that does not open (its key shredded, or damaged).
func openOrNothing(ctx context.Context, v *vault.Vault, f vault.Field, stored string) (string, error) {
	plain, err := v.Open(ctx, f, stored)
	if errors.Is(err, vault.ErrShredded) || errors.Is(err, vault.ErrTampered) {
		return "", nil
	}
	return plain, err
}

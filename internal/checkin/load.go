package checkin

import (
	"gorm.io/gorm"
)

// How a week is read. Reading a week and saving answers run on every check-in request, so each is a
// fixed, small number of statements whatever the couple's history: the member's answers and, once
// the week has opened, the partner's come back in one statement together with the week's state, and
// the per-agreement answers of both in one more.

// weekAnswersSQL reads whether a week has opened, with the answers of it the member may see: always
// their own, and the partner's only once the week has opened. The condition is in the SQL, so the
// partner's unopened answers never leave the database. The LEFT JOIN from a one-row table gives one
// row (with no answer) when there are none.
const weekAnswersSQL = `SELECT o.opened, a.* FROM
	(SELECT EXISTS (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?) AS opened) AS o
	LEFT JOIN checkin_answers AS a ON a.couple_id = ? AND a.week = ? AND (a.user_id = ? OR o.opened)`

type weekAnswerRow struct {
	Opened bool
	Answer `gorm:"embedded"`
}

// weekAnswers returns whether the couple's week has opened, the member's own answers (nil when they
// have none) and, once it has opened, the partner's (nil before, or when they are gone), with their
// per-agreement answers.
func weekAnswers(db *gorm.DB, coupleID, week, me string) (opened bool, mine, partner *Answer, err error) {
	var rows []weekAnswerRow
	if err := db.Raw(weekAnswersSQL, coupleID, week, coupleID, week, me).Scan(&rows).Error; err != nil {
		return false, nil, nil, err
	}
	answers := make([]Answer, 0, len(rows))
	for _, r := range rows {
		opened = opened || r.Opened
		if r.ID != "" {
			answers = append(answers, r.Answer)
		}
	}
	if err := withAgreements(db, answers); err != nil {
		return false, nil, nil, err
	}
	for i := range answers {
		switch {
		case answers[i].UserID == me:
			mine = &answers[i]
		case opened:
			partner = &answers[i]
		}
	}
	return opened, mine, partner, nil
}

// withAgreements fills in the per-agreement answers of answers, in one statement per 500 answers.
func withAgreements(db *gorm.DB, answers []Answer) error {
	const batch = 500
	for start := 0; start < len(answers); start += batch {
		part := answers[start:min(start+batch, len(answers))]
		ids := make([]string, len(part))
		at := make(map[string]*Answer, len(part))
		for i := range part {
			ids[i] = part[i].ID
			at[part[i].ID] = &part[i]
			part[i].Agreements = nil
		}
		var kept []AgreementAnswer
		if err := db.Where("answer_id IN ?", ids).Order("answer_id, position").Find(&kept).Error; err != nil {
			return err
		}
		for _, k := range kept {
			if a := at[k.AnswerID]; a != nil {
				a.Agreements = append(a.Agreements, k)
			}
		}
	}
	return nil
}

// draftStateSQL reads, before saving the member's answers, whether the week has opened and which
// agreements their answers already speak of (they may still be answered about), in one statement:
// one row with NULL agreement when there are none.
const draftStateSQL = `SELECT o.opened, k.agreement_id, k.title FROM
	(SELECT EXISTS (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?) AS opened) AS o
	LEFT JOIN checkin_answers AS a ON a.couple_id = ? AND a.week = ? AND a.user_id = ?
	LEFT JOIN checkin_agreement_answers AS k ON k.answer_id = a.id
	ORDER BY k.position`

// draftState returns whether the week has opened and the agreements the member's answers speak of.
func draftState(db *gorm.DB, coupleID, week, me string) (bool, []AgreementRef, error) {
	var rows []struct {
		Opened      bool
		AgreementID *string
		Title       *string
	}
	if err := db.Raw(draftStateSQL, coupleID, week, coupleID, week, me).Scan(&rows).Error; err != nil {
		return false, nil, err
	}
	opened := false
	var refs []AgreementRef
	for _, r := range rows {
		opened = opened || r.Opened
		if r.AgreementID != nil && r.Title != nil {
			refs = append(refs, AgreementRef{ID: *r.AgreementID, Title: *r.Title})
		}
	}
	return opened, refs, nil
}

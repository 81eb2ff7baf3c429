package checkin

import (
	"database/sql"

	"gorm.io/gorm"
)

// How a week is read. Reading a week and saving answers run on every check-in request, so each is a
// fixed, small number of statements whatever the couple's history: the member's answers and, once
// the week has opened, the partner's come back in one statement together with the week's state and
// the per-agreement answers of both. These statements name their columns and are scanned
// by hand (still through GORM, which sends reads to the readers): on these paths GORM's reflection
// cost more than the queries themselves.

// answerCols are the columns scanAnswer reads, in its order.
const answerCols = `a.id, a.couple_id, a.week, a.user_id, a.skip, a.appreciation, a.went_well, a.was_hard, a.need,
	a.trust, a.connection, a.safety, a.created_at, a.updated_at, a.submitted_at`

// scanAnswer reads a row of answerCols, followed by extra.
func scanAnswer(rows *sql.Rows, extra ...any) (Answer, error) {
	var a Answer
	dest := []any{&a.ID, &a.CoupleID, &a.Week, &a.UserID, &a.Skip, &a.Appreciation, &a.WentWell, &a.WasHard, &a.Need,
		&a.Trust, &a.Connection, &a.Safety, &a.CreatedAt, &a.UpdatedAt, &a.SubmittedAt}
	err := rows.Scan(append(dest, extra...)...)
	return a, err
}

// weekAnswersSQL reads the answers of a week that the member may see, each with whether the week has
// opened, whether it passed, and its per-agreement answers joined on, one row per per-agreement answer
// in order (one row with NULLs when there are none): always the member's own answers, and the
// partner's only once the week has opened (never when it passed). The condition is in the SQL, so the
// partner's unopened answers never leave the database.
const weekAnswersSQL = `SELECT ` + answerCols + `,
	EXISTS (SELECT 1 FROM checkin_weeks AS w WHERE w.couple_id = a.couple_id AND w.week = a.week),
	EXISTS (SELECT 1 FROM checkin_passed_weeks AS p WHERE p.couple_id = a.couple_id AND p.week = a.week),
	k.agreement_id, k.title, k.kept, k.position
FROM checkin_answers AS a
LEFT JOIN checkin_agreement_answers AS k ON k.answer_id = a.id
WHERE a.couple_id = ? AND a.week = ?
	AND (a.user_id = ? OR EXISTS (SELECT 1 FROM checkin_weeks AS w WHERE w.couple_id = a.couple_id AND w.week = a.week))
ORDER BY a.id, k.position`

// weekAnswers returns how the couple's week concluded (StateOpened, StatePassed, or "" while it has
// not), the member's own answers (nil when they have none) and, once it has opened, the partner's (nil
// before, when it passed, or when they are gone), with their per-agreement answers, in one statement
// (two when the member has no answers).
func weekAnswers(db *gorm.DB, coupleID, week, me string) (concluded State, mine, partner *Answer, err error) {
	answers := make([]Answer, 0, 2)
	opened, passed := false, false
	err = eachRow(db.Raw(weekAnswersSQL, coupleID, week, me), func(rows *sql.Rows) error {
		var o, p bool
		var agreementID, title, kept sql.NullString
		var position sql.NullInt64
		a, err := scanAnswer(rows, &o, &p, &agreementID, &title, &kept, &position)
		if err != nil {
			return err
		}
		if n := len(answers); n == 0 || answers[n-1].ID != a.ID {
			answers = append(answers, a)
		}
		if agreementID.Valid {
			last := &answers[len(answers)-1]
			last.Agreements = append(last.Agreements, AgreementAnswer{AnswerID: a.ID, AgreementID: agreementID.String,
				Title: title.String, Kept: kept.String, Position: int(position.Int64)})
		}
		opened, passed = opened || o, passed || p
		return nil
	})
	if err != nil {
		return "", nil, nil, err
	}
	if len(answers) == 0 {
		// No answers of the member's: the state needs asking on its own. A week passes only once both
		// have shared, so one without the member's answers has not passed.
		opened, err := isOpened(db, coupleID, week)
		if opened {
			concluded = StateOpened
		}
		return concluded, nil, nil, err
	}
	switch {
	case opened:
		concluded = StateOpened
	case passed:
		concluded = StatePassed
	}
	for i := range answers {
		switch {
		case answers[i].UserID == me:
			mine = &answers[i]
		case opened:
			partner = &answers[i]
		}
	}
	return concluded, mine, partner, nil
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
		q := db.Raw("SELECT answer_id, agreement_id, title, kept, position FROM checkin_agreement_answers WHERE answer_id IN ? ORDER BY position", ids)
		if err := eachRow(q, func(rows *sql.Rows) error {
			var k AgreementAnswer
			if err := rows.Scan(&k.AnswerID, &k.AgreementID, &k.Title, &k.Kept, &k.Position); err != nil {
				return err
			}
			if a := at[k.AnswerID]; a != nil {
				a.Agreements = append(a.Agreements, k)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// eachRow runs q and calls scan for each row.
func eachRow(q *gorm.DB, scan func(*sql.Rows) error) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// draftStateSQL reads, before saving the member's answers, whether the week has opened or passed, the
// id of the member's answers if they have any, and which agreements those answers already speak of
// (they may still be answered about), with each one's stored title, in one statement: every row says
// whether the week opened and whether it passed, and carries one of those agreements (NULLs when there
// are none, in the one row then returned).
const draftStateSQL = `SELECT
	EXISTS (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?),
	EXISTS (SELECT 1 FROM checkin_passed_weeks WHERE couple_id = ? AND week = ?),
	a.id, k.agreement_id, k.title
FROM (SELECT 1 AS one) AS o
LEFT JOIN checkin_answers AS a ON a.couple_id = ? AND a.week = ? AND a.user_id = ?
LEFT JOIN checkin_agreement_answers AS k ON k.answer_id = a.id
ORDER BY k.position`

// draft is what draftState reads before the member's answers are saved.
type draft struct {
	// concluded is how the week concluded: StateOpened, StatePassed, or "" while it has not.
	concluded State
	// answerID is the id of the member's stored answers, "" when they have none.
	answerID string
	// answered are the agreements those answers speak of, with their titles as stored (sealed).
	answered []AgreementRef
}

// draftState reads the draft of the member's answers for the week.
func draftState(db *gorm.DB, coupleID, week, me string) (draft, error) {
	var d draft
	err := eachRow(db.Raw(draftStateSQL, coupleID, week, coupleID, week, coupleID, week, me), func(rows *sql.Rows) error {
		var opened, passed bool
		var answerID, id, title sql.NullString
		if err := rows.Scan(&opened, &passed, &answerID, &id, &title); err != nil {
			return err
		}
		switch {
		case opened:
			d.concluded = StateOpened
		case passed:
			d.concluded = StatePassed
		}
		d.answerID = answerID.String
		if id.Valid {
			d.answered = append(d.answered, AgreementRef{ID: id.String, Title: title.String})
		}
		return nil
	})
	return d, err
}

// reflectionsSQL reads a week's reflections in the order they were written.
const reflectionsSQL = `SELECT id, couple_id, week, listener_id, author_id, text, accurate, note, responded_at, validation,
	validated_at, created_at FROM checkin_reflections WHERE couple_id = ? AND week = ? ORDER BY created_at, id`

func loadReflections(db *gorm.DB, coupleID, week string) ([]Reflection, error) {
	var out []Reflection
	err := eachRow(db.Raw(reflectionsSQL, coupleID, week), func(rows *sql.Rows) error {
		var r Reflection
		var author sql.NullString
		if err := rows.Scan(&r.ID, &r.CoupleID, &r.Week, &r.ListenerID, &author, &r.Text, &r.Accurate, &r.Note, &r.RespondedAt,
			&r.Validation, &r.ValidatedAt, &r.CreatedAt); err != nil {
			return err
		}
		r.AuthorID = author.String
		out = append(out, r)
		return nil
	})
	return out, err
}

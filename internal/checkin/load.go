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

// weekAnswersSQL reads the answers of a week that the member may see, in two parts of one statement:
// part 0 is a row per answer, with whether the week has opened and whether it passed; part 1 is a row
// per per-agreement answer of those answers, carrying only its answer's id and its own columns (NULLs
// in the answer's), so a week of eight agreements does not send the answer's texts sixteen times more.
// Rows come by answer, its part 0 row first, then its agreements in order. The member's own answers
// always come; the partner's only once the week has opened (never when it passed). The condition is
// in the SQL, so the partner's unopened answers never leave the database. Part 0 comes first in the
// statement: SQLite takes a compound statement's column types from it, so its times are read as times.
const weekAnswersSQL = `SELECT 0 AS part, a.id AS answer_id, a.couple_id, a.week, a.user_id, a.skip, a.appreciation,
	a.went_well, a.was_hard, a.need, a.trust, a.connection, a.safety, a.created_at, a.updated_at, a.submitted_at,
	EXISTS (SELECT 1 FROM checkin_weeks AS w WHERE w.couple_id = a.couple_id AND w.week = a.week),
	EXISTS (SELECT 1 FROM checkin_passed_weeks AS p WHERE p.couple_id = a.couple_id AND p.week = a.week),
	NULL, NULL, NULL, NULL AS position
FROM checkin_answers AS a
WHERE a.couple_id = ? AND a.week = ?` + visibleAnswer + `
UNION ALL
SELECT 1, k.answer_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	k.agreement_id, k.title, k.kept, k.position
FROM checkin_answers AS a
JOIN checkin_agreement_answers AS k ON k.answer_id = a.id
WHERE a.couple_id = ? AND a.week = ?` + visibleAnswer + `
ORDER BY answer_id, part, position`

// visibleAnswer narrows checkin_answers a to those the member (the third argument) may read.
const visibleAnswer = `
	AND (a.user_id = ? OR EXISTS (SELECT 1 FROM checkin_weeks AS w WHERE w.couple_id = a.couple_id AND w.week = a.week))`

// weekRow is a row of weekAnswersSQL: an answer (part 0) or one of its per-agreement answers (part 1).
// Scanning into one value keeps a row to one allocation for its destinations.
type weekRow struct {
	part                                  int
	answerID                              string
	coupleID, week, userID                sql.NullString
	skip, opened, passed                  sql.NullBool
	appreciation, wentWell, wasHard, need sql.NullString
	trust, connection, safety, position   sql.NullInt64
	createdAt, updatedAt, submittedAt     sql.NullTime
	agreementID, title, kept              sql.NullString
}

func (r *weekRow) dest() []any {
	return []any{&r.part, &r.answerID, &r.coupleID, &r.week, &r.userID, &r.skip, &r.appreciation, &r.wentWell, &r.wasHard,
		&r.need, &r.trust, &r.connection, &r.safety, &r.createdAt, &r.updatedAt, &r.submittedAt, &r.opened, &r.passed,
		&r.agreementID, &r.title, &r.kept, &r.position}
}

// answer is the answer a part 0 row holds.
func (r *weekRow) answer() Answer {
	a := Answer{ID: r.answerID, CoupleID: r.coupleID.String, Week: r.week.String, UserID: r.userID.String, Skip: r.skip.Bool,
		Appreciation: r.appreciation.String, WentWell: r.wentWell.String, WasHard: r.wasHard.String, Need: r.need.String,
		CreatedAt: r.createdAt.Time, UpdatedAt: r.updatedAt.Time}
	a.Trust, a.Connection, a.Safety = nullInt(r.trust), nullInt(r.connection), nullInt(r.safety)
	if r.submittedAt.Valid {
		at := r.submittedAt.Time
		a.SubmittedAt = &at
	}
	return a
}

func nullInt(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// weekAnswers returns how the couple's week concluded (StateOpened, StatePassed, or "" while it has
// not), the member's own answers (nil when they have none) and, once it has opened, the partner's (nil
// before, when it passed, or when they are gone), with their per-agreement answers, in one statement
// (two when the member has no answers).
func weekAnswers(db *gorm.DB, coupleID, week, me string) (concluded State, mine, partner *Answer, err error) {
	answers := make([]Answer, 0, 2)
	opened, passed := false, false
	var r weekRow
	dest := r.dest()
	err = eachRow(db.Raw(weekAnswersSQL, coupleID, week, me, coupleID, week, me), func(rows *sql.Rows) error {
		r = weekRow{}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if r.part == 0 {
			answers = append(answers, r.answer())
			opened, passed = opened || r.opened.Bool, passed || r.passed.Bool
			return nil
		}
		if n := len(answers); n > 0 && answers[n-1].ID == r.answerID {
			last := &answers[n-1]
			last.Agreements = append(last.Agreements, AgreementAnswer{AnswerID: r.answerID, AgreementID: r.agreementID.String,
				Title: r.title.String, Kept: r.kept.String, Position: int(r.position.Int64)})
		}
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

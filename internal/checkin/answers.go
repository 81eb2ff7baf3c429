package checkin

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/token"
)

// KeptInput is one agreement's answer as sent by the member.
type KeptInput struct {
	AgreementID string
	Kept        string
}

// AnswerInput is what the member sends for their week. Submit shares the answers; without it they are
// a draft (and answers shared earlier go back to being a draft, as long as the week has not opened).
// Skip ("not this week") keeps no text and no ratings.
type AnswerInput struct {
	Trust        *int
	Connection   *int
	Safety       *int
	Appreciation string
	WentWell     string
	WasHard      string
	Need         string
	Agreements   []KeptInput
	Skip         bool
	Submit       bool
}

// Rating names, in form order, with how they are asked.
var Ratings = []struct{ Field, Label string }{
	{"trust", "Trust"}, {"connection", "Connection"}, {"safety", "How safe I feel"},
}

// Texts lists the text answers, in form order.
var Texts = []struct{ Field, Label string }{
	{"appreciation", "Something I appreciated"}, {"went_well", "What went well"},
	{"was_hard", "What was hard (one thing)"}, {"need", "What I need next week"},
}

func (in *AnswerInput) rating(field string) *int {
	switch field {
	case "trust":
		return in.Trust
	case "connection":
		return in.Connection
	default:
		return in.Safety
	}
}

func (in *AnswerInput) text(field string) string {
	switch field {
	case "appreciation":
		return in.Appreciation
	case "went_well":
		return in.WentWell
	case "was_hard":
		return in.WasHard
	default:
		return in.Need
	}
}

// validate checks the input against the agreements the form may ask about; it returns the agreement
// answers to store.
func (in *AnswerInput) validate(allowed []AgreementRef) ([]AgreementAnswer, error) {
	f := apperr.Form{}
	for _, r := range Ratings {
		v := in.rating(r.Field)
		if v != nil && (*v < 0 || *v > 10) {
			f.Add(r.Field, "Choose a number from 0 to 10.")
		}
		if v == nil && in.Submit && !in.Skip {
			f.Add(r.Field, "Choose a number from 0 to 10 before sharing, or choose \"not this week\".")
		}
	}
	for _, t := range Texts {
		text.Clean(f, t.Field, in.text(t.Field), text.Rule{Max: MaxText, Multiline: true})
	}
	titles := map[string]string{}
	for _, a := range allowed {
		titles[a.ID] = a.Title
	}
	seen := map[string]bool{}
	var out []AgreementAnswer
	for i, k := range in.Agreements {
		field := "agreements." + strconv.Itoa(i)
		title, ok := titles[k.AgreementID]
		switch {
		case !ok:
			f.Add(field+".agreement_id", "That agreement isn't one this check-in asks about.")
		case seen[k.AgreementID]:
			f.Add(field+".agreement_id", "Each agreement can be answered once.")
		case Kept[k.Kept] == "":
			f.Add(field+".kept", "Choose kept, partly, not kept or not sure.")
		}
		seen[k.AgreementID] = true
		out = append(out, AgreementAnswer{AgreementID: k.AgreementID, Title: title, Kept: k.Kept, Position: i})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if in.Skip {
		return nil, nil
	}
	return out, nil
}

// SaveAnswer stores the member's answers for week key. When this share makes two shared answers, the
// week concludes for both in the same transaction: it opens, or it passes when either chose "not this
// week" (concludeWeek). It returns ErrWeekNotFound, ErrOpened, ErrPassed, ErrClosed, or an Invalid
// error naming the fields.
//
// What the answers are checked against (the week's state, the active agreements and those already
// answered about) is read from the readers first; the write is then one short immediate transaction
// of one to five statements (six on PostgreSQL, which first takes the couple's lock: lockCouple) that
// checks again, in SQL, that the week has not concluded. The returned view is built from what was
// written, without reading the week again, unless this share concluded it.
func (s *Service) SaveAnswer(ctx context.Context, m *couple.Membership, key string, in AnswerInput) (*WeekView, error) {
	w, err := s.Resolve(m, key)
	if err != nil {
		return nil, err
	}
	week := w.String()
	db := s.db.WithContext(ctx)
	concluded, answered, err := draftState(db, m.Couple.ID, week, m.Me.UserID)
	if err != nil {
		return nil, fmt.Errorf("checkin: save: %w", err)
	}
	if concluded != "" {
		return nil, concludedErr(concluded)
	}
	if !s.Editable(m, w) {
		return nil, ErrClosed
	}
	active, err := s.agreements(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("checkin: active agreements: %w", err)
	}
	kept, err := in.validate(formAgreements(active, answered))
	if err != nil {
		return nil, err
	}
	a := in.answer(m, week, s.nowUTC())
	var concludedNow State
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := lockCouple(tx, a.CoupleID); err != nil {
			return err
		}
		var err error
		concludedNow, err = store(tx, &a, in.Submit, kept)
		return err
	})
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("checkin: save: %w", err)
	}
	if concludedNow != "" {
		return s.Week(ctx, m, week)
	}
	a.Agreements = kept
	v := &WeekView{Week: w, State: StateOpen, Current: w == s.Current(m), Editable: true, Mine: &a, LowSafety: lowSafety(&a)}
	v.Agreements = formAgreements(active, answeredAbout(&a))
	return v, nil
}

// answer is the row that in stores for the member's week, as saved at now.
func (in *AnswerInput) answer(m *couple.Membership, week string, now time.Time) Answer {
	a := Answer{ID: token.ID(), CoupleID: m.Couple.ID, Week: week, UserID: m.Me.UserID, Skip: in.Skip, CreatedAt: now, UpdatedAt: now}
	if !in.Skip {
		a.Appreciation, a.WentWell = strings.TrimSpace(in.Appreciation), strings.TrimSpace(in.WentWell)
		a.WasHard, a.Need = strings.TrimSpace(in.WasHard), strings.TrimSpace(in.Need)
		a.Trust, a.Connection, a.Safety = in.Trust, in.Connection, in.Safety
	}
	if in.Submit {
		a.SubmittedAt = &now
	}
	return a
}

// upsertAnswerSQL inserts or updates the member's answers, unless the week has opened or passed; it
// returns the stored row's id and creation time, and no row when the week has concluded.
const upsertAnswerSQL = `INSERT INTO checkin_answers (id, couple_id, week, user_id, skip, appreciation, went_well, was_hard, need,
	trust, connection, safety, created_at, updated_at, submitted_at)
SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
WHERE NOT EXISTS (SELECT 1 FROM checkin_weeks WHERE couple_id = ? AND week = ?)
	AND NOT EXISTS (SELECT 1 FROM checkin_passed_weeks WHERE couple_id = ? AND week = ?)
ON CONFLICT (couple_id, week, user_id) DO UPDATE SET skip = excluded.skip, appreciation = excluded.appreciation,
	went_well = excluded.went_well, was_hard = excluded.was_hard, need = excluded.need, trust = excluded.trust,
	connection = excluded.connection, safety = excluded.safety, updated_at = excluded.updated_at, submitted_at = excluded.submitted_at
RETURNING id, created_at`

// openWeekSQL opens the week when two answers of it are shared and neither is "not this week".
const openWeekSQL = `INSERT INTO checkin_weeks (couple_id, week, opened_at)
SELECT ?, ?, ? WHERE (SELECT count(*) FROM checkin_answers WHERE couple_id = ? AND week = ? AND submitted_at IS NOT NULL AND NOT skip) >= 2
ON CONFLICT (couple_id, week) DO NOTHING`

// passWeekSQL passes the week when two answers of it are shared and one of them (or both) is "not
// this week".
const passWeekSQL = `INSERT INTO checkin_passed_weeks (couple_id, week, passed_at)
SELECT ?, ?, ? WHERE (SELECT count(*) FROM checkin_answers WHERE couple_id = ? AND week = ? AND submitted_at IS NOT NULL) >= 2
	AND EXISTS (SELECT 1 FROM checkin_answers WHERE couple_id = ? AND week = ? AND submitted_at IS NOT NULL AND skip)
ON CONFLICT (couple_id, week) DO NOTHING`

// concludeWeek holds the rule of how a week ends for both (DESIGN §2.4): once both have shared, it
// opens if both answered, and passes without an exchange if either chose "not this week". It returns
// StateOpened or StatePassed when this call concluded the week, "" otherwise.
func concludeWeek(tx *gorm.DB, coupleID, week string, at time.Time) (State, error) {
	res := tx.Exec(openWeekSQL, coupleID, week, at, coupleID, week)
	if res.Error != nil || res.RowsAffected > 0 {
		return StateOpened, res.Error
	}
	res = tx.Exec(passWeekSQL, coupleID, week, at, coupleID, week, coupleID, week)
	if res.Error != nil || res.RowsAffected > 0 {
		return StatePassed, res.Error
	}
	return "", nil
}

// store writes a (taking the id and creation time of the member's earlier answers, if any) and its
// per-agreement answers kept, and concludes the week when submit makes two shared answers. It returns
// ErrOpened or ErrPassed when the week has concluded, and the state this call concluded it in ("" when
// it did not).
func store(tx *gorm.DB, a *Answer, submit bool, kept []AgreementAnswer) (State, error) {
	var id string
	var createdAt time.Time
	found := false
	err := eachRow(tx.Raw(upsertAnswerSQL, a.ID, a.CoupleID, a.Week, a.UserID, a.Skip, a.Appreciation, a.WentWell, a.WasHard, a.Need,
		a.Trust, a.Connection, a.Safety, a.CreatedAt, a.UpdatedAt, a.SubmittedAt, a.CoupleID, a.Week, a.CoupleID, a.Week), func(rows *sql.Rows) error {
		found = true
		return rows.Scan(&id, &createdAt)
	})
	if err != nil {
		return "", err
	}
	if !found {
		passed, err := isPassed(tx, a.CoupleID, a.Week)
		if err != nil {
			return "", err
		}
		if passed {
			return "", ErrPassed
		}
		return "", ErrOpened
	}
	fresh := id == a.ID
	a.ID, a.CreatedAt = id, createdAt
	for i := range kept {
		kept[i].AnswerID = a.ID
	}
	if err := storeKept(tx, a.ID, fresh, kept); err != nil {
		return "", err
	}
	if !submit {
		return "", nil
	}
	st, err := concludeWeek(tx, a.CoupleID, a.Week, a.UpdatedAt)
	if err == nil && st == StateOpened {
		err = keepOpenedWeek(tx, a.CoupleID, a.Week)
	}
	return st, err
}

// keptBatch is the most per-agreement answers one statement writes (five parameters each, well within
// either engine's limit on parameters); a couple has far fewer active agreements.
const keptBatch = 500

// keptChanged says, in an upsert of per-agreement answers, that the stored row differs from the one
// proposed: only rows that change are written. The columns are NOT NULL, so <> says it on both engines.
const keptChanged = `checkin_agreement_answers.title <> excluded.title OR checkin_agreement_answers.kept <> excluded.kept
	OR checkin_agreement_answers.position <> excluded.position`

// upsertKept adds per-agreement answers, or updates those that change.
var upsertKept = clause.OnConflict{
	Columns:   []clause.Column{{Name: "answer_id"}, {Name: "agreement_id"}},
	DoUpdates: clause.AssignmentColumns([]string{"title", "kept", "position"}),
	Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: keptChanged}}},
}

// storeKept makes the per-agreement answers of answerID exactly kept, touching only the rows that
// change: one statement removes those about other agreements (a fresh answer has none), one adds or
// updates the rest (one per keptBatch answers).
func storeKept(tx *gorm.DB, answerID string, fresh bool, kept []AgreementAnswer) error {
	if !fresh {
		q := tx.Where("answer_id = ?", answerID)
		if len(kept) > 0 {
			ids := make([]string, len(kept))
			for i, k := range kept {
				ids[i] = k.AgreementID
			}
			q = q.Where("agreement_id NOT IN ?", ids)
		}
		if err := q.Delete(&AgreementAnswer{}).Error; err != nil {
			return err
		}
	}
	if len(kept) == 0 {
		return nil
	}
	rows := make([]AgreementAnswer, len(kept))
	for i, k := range kept {
		rows[i] = AgreementAnswer{AnswerID: answerID, AgreementID: k.AgreementID, Title: k.Title, Kept: k.Kept, Position: k.Position}
	}
	return tx.Clauses(upsertKept).CreateInBatches(rows, keptBatch).Error
}

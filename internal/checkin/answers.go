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
	"github.com/mendhq/mend/internal/vault"
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
	d, err := draftState(db, m.Couple.ID, week, m.Me.UserID)
	if err != nil {
		return nil, fmt.Errorf("checkin: save: %w", err)
	}
	if d.concluded != "" {
		return nil, concludedErr(d.concluded)
	}
	if !s.Editable(m, w) {
		return nil, ErrClosed
	}
	active, err := s.agreements(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("checkin: active agreements: %w", err)
	}
	answered, prior, err := openDraftTitles(ctx, vault.From(s.db), d)
	if err != nil {
		return nil, fmt.Errorf("checkin: save: %w", err)
	}
	kept, err := in.validate(formAgreements(active, answered))
	if err != nil {
		return nil, err
	}
	a := in.answer(m, week, s.nowUTC())
	if d.answerID != "" {
		a.ID = d.answerID // sealed for the row they will be stored in
	}
	var concludedNow State
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := lockCouple(tx, a.CoupleID); err != nil {
			return err
		}
		var err error
		concludedNow, err = store(ctx, tx, &a, in.Submit, kept, d.answerID, prior)
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

// storedTitle is the title of one of the member's stored per-agreement answers, as stored (sealed)
// and opened.
type storedTitle struct{ plain, stored string }

// openDraftTitles opens the titles of the agreements d's answers speak of. It returns them as the form
// may ask about them again, and by agreement id as stored, so that a title saved again unchanged keeps
// its stored form (storeKept).
func openDraftTitles(ctx context.Context, v *vault.Vault, d draft) ([]AgreementRef, map[string]storedTitle, error) {
	if len(d.answered) == 0 {
		return nil, nil, nil
	}
	answered := make([]AgreementRef, len(d.answered))
	prior := make(map[string]storedTitle, len(d.answered))
	for i, r := range d.answered {
		answered[i] = r
		if err := openTitle(ctx, v, d.answerID, r.ID, &answered[i].Title); err != nil {
			return nil, nil, err
		}
		prior[r.ID] = storedTitle{plain: answered[i].Title, stored: r.Title}
	}
	return answered, prior, nil
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

// resealAnswerSQL writes the member's texts again, sealed for the row they ended up in.
const resealAnswerSQL = `UPDATE checkin_answers SET appreciation = ?, went_well = ?, was_hard = ?, need = ? WHERE id = ?`

// store writes a (taking the id and creation time of the member's earlier answers, if any) and its
// per-agreement answers kept, sealed (a and kept stay as given, in the clear), and concludes the week
// when submit makes two shared answers. a.ID is the id of the member's stored answers as read before
// (earlier, whose per-agreement answers have the stored titles prior), or a fresh one when there were
// none; should the member's answers have been stored meanwhile under another id (another save of theirs
// ran between that read and this write), the texts are sealed again for that row. It returns ErrOpened
// or ErrPassed when the week has concluded, and the state this call concluded it in ("" when it did
// not).
func store(ctx context.Context, tx *gorm.DB, a *Answer, submit bool, kept []AgreementAnswer, earlier string, prior map[string]storedTitle) (State, error) {
	v := vault.From(tx)
	row := *a
	if err := sealAnswer(ctx, v, &row); err != nil {
		return "", err
	}
	var id string
	var createdAt time.Time
	found := false
	err := eachRow(tx.Raw(upsertAnswerSQL, row.ID, row.CoupleID, row.Week, row.UserID, row.Skip, row.Appreciation, row.WentWell, row.WasHard, row.Need,
		row.Trust, row.Connection, row.Safety, row.CreatedAt, row.UpdatedAt, row.SubmittedAt, row.CoupleID, row.Week, row.CoupleID, row.Week), func(rows *sql.Rows) error {
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
	fresh := id == a.ID && earlier == ""
	if id != a.ID {
		row = *a
		row.ID = id
		if err := sealAnswer(ctx, v, &row); err != nil {
			return "", err
		}
		if err := tx.Exec(resealAnswerSQL, row.Appreciation, row.WentWell, row.WasHard, row.Need, id).Error; err != nil {
			return "", err
		}
	}
	if id != earlier {
		prior = nil // those titles are another row's
	}
	a.ID, a.CreatedAt = id, createdAt
	for i := range kept {
		kept[i].AnswerID = a.ID
	}
	if err := storeKept(ctx, tx, a.CoupleID, a.ID, fresh, kept, prior); err != nil {
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
// A title is sealed afresh (so differently) each time, so a title that did not change is proposed in
// its stored form (storeKept), which compares equal.
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
// updates the rest (one per keptBatch answers). Titles are sealed under the couple's key, but a title
// prior says is stored sealed already as that text is proposed as stored, so it is not written again.
func storeKept(ctx context.Context, tx *gorm.DB, coupleID, answerID string, fresh bool, kept []AgreementAnswer, prior map[string]storedTitle) error {
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
	v := vault.From(tx)
	rows := make([]AgreementAnswer, len(kept))
	for i, k := range kept {
		title := k.Title
		if p, ok := prior[k.AgreementID]; ok && p.plain == title && vault.IsSealed(p.stored) {
			title = p.stored
		} else {
			var err error
			if title, err = sealTitle(ctx, v, coupleID, answerID, k.AgreementID, title); err != nil {
				return err
			}
		}
		rows[i] = AgreementAnswer{AnswerID: answerID, AgreementID: k.AgreementID, Title: title, Kept: k.Kept, Position: k.Position}
	}
	return tx.Clauses(upsertKept).CreateInBatches(rows, keptBatch).Error
}

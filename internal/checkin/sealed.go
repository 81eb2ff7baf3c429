package checkin

import (
	"context"
	"strings"

	"github.com/mendhq/mend/internal/vault"
)

// The check-in's texts are sealed at rest (internal/vault), each under the key of whoever it goes
// with when an account is deleted:
//   - an answer's four texts are its writer's words (user_id), under their own data key;
//   - a reflection's restatement (text) and validating line (validation) are written by the listener
//     (listener_id; Reflect, Validate), and the row goes with the listener's account, so both are
//     under the listener's key;
//   - a reflection's note is the response of the person whose answers were restated (author_id;
//     Respond), under that person's key: when they delete their account Erase blanks it and author_id
//     becomes NULL, and a backup's copy no longer opens once their key is shredded;
//   - a per-agreement answer's title is a copy of an agreement's title, a joint text of the couple, so
//     it is under the couple's key (the owner is the answer's couple_id), and its row id is
//     vault.RowID(answer_id, agreement_id). Erase replaces the copies no remaining version has.
const (
	answersTable     = "checkin_answers"
	reflectionsTable = "checkin_reflections"
	keptTable        = "checkin_agreement_answers"
)

// Columns lists the check-in's sealed columns (internal/vault), the time-outs' note included.
func Columns() []vault.Column {
	return append([]vault.Column{
		{Table: answersTable, Name: "appreciation", OwnerColumn: "user_id", Kind: vault.KindPerson},
		{Table: answersTable, Name: "went_well", OwnerColumn: "user_id", Kind: vault.KindPerson},
		{Table: answersTable, Name: "was_hard", OwnerColumn: "user_id", Kind: vault.KindPerson},
		{Table: answersTable, Name: "need", OwnerColumn: "user_id", Kind: vault.KindPerson},
		{Table: reflectionsTable, Name: "text", OwnerColumn: "listener_id", Kind: vault.KindPerson},
		{Table: reflectionsTable, Name: "validation", OwnerColumn: "listener_id", Kind: vault.KindPerson},
		{Table: reflectionsTable, Name: "note", OwnerColumn: "author_id", Kind: vault.KindPerson},
		{Table: keptTable, Name: "title", Key: []string{"answer_id", "agreement_id"}, Kind: vault.KindCouple,
			OwnerColumn: "(SELECT couple_id FROM checkin_answers a WHERE a.id = checkin_agreement_answers.answer_id)"},
	}, TimeoutColumns()...)
}

// sealAnswer seals a's texts in place, for storing in row a.ID, under its writer's key.
func sealAnswer(ctx context.Context, v *vault.Vault, a *Answer) error {
	return v.SealRow(ctx, vault.Person(a.UserID), answersTable, a.ID, vault.Col{Name: "appreciation", Text: &a.Appreciation},
		vault.Col{Name: "went_well", Text: &a.WentWell}, vault.Col{Name: "was_hard", Text: &a.WasHard}, vault.Col{Name: "need", Text: &a.Need})
}

// openAnswer opens a's texts and its per-agreement answers' titles in place, as read.
func openAnswer(ctx context.Context, v *vault.Vault, a *Answer) error {
	err := v.OpenRow(ctx, answersTable, a.ID, vault.Col{Name: "appreciation", Text: &a.Appreciation},
		vault.Col{Name: "went_well", Text: &a.WentWell}, vault.Col{Name: "was_hard", Text: &a.WasHard}, vault.Col{Name: "need", Text: &a.Need})
	if err != nil {
		return err
	}
	for i := range a.Agreements {
		if err := openTitle(ctx, v, a.Agreements[i].AnswerID, a.Agreements[i].AgreementID, &a.Agreements[i].Title); err != nil {
			return err
		}
	}
	return nil
}

// openAnswers opens each of list in place.
func openAnswers(ctx context.Context, v *vault.Vault, list []Answer) error {
	for i := range list {
		if err := openAnswer(ctx, v, &list[i]); err != nil {
			return err
		}
	}
	return nil
}

// titleField is where the title of answerID's answer about agreementID is stored.
func titleField(answerID, agreementID string) vault.Field {
	return vault.Field{Table: keptTable, Column: "title", Row: vault.RowID(answerID, agreementID)}
}

// sealTitle seals the copy of an agreement title in answerID's answer about agreementID, under the
// couple's key.
func sealTitle(ctx context.Context, v *vault.Vault, coupleID, answerID, agreementID, title string) (string, error) {
	return v.Seal(ctx, vault.Couple(coupleID), titleField(answerID, agreementID), title)
}

// openTitle opens a stored title in place. A title in the clear (a row from before encryption) needs
// no row id, so none is made for it.
func openTitle(ctx context.Context, v *vault.Vault, answerID, agreementID string, title *string) error {
	if !strings.HasPrefix(*title, vault.Prefix) {
		return nil
	}
	s, err := v.Open(ctx, titleField(answerID, agreementID), *title)
	if err == nil {
		*title = s
	}
	return err
}

// openReflection opens r's texts in place, as read.
func openReflection(ctx context.Context, v *vault.Vault, r *Reflection) error {
	return v.OpenRow(ctx, reflectionsTable, r.ID, vault.Col{Name: "text", Text: &r.Text}, vault.Col{Name: "note", Text: &r.Note},
		vault.Col{Name: "validation", Text: &r.Validation})
}

// openReflections opens each of list in place.
func openReflections(ctx context.Context, v *vault.Vault, list []Reflection) error {
	for i := range list {
		if err := openReflection(ctx, v, &list[i]); err != nil {
			return err
		}
	}
	return nil
}

// sealReflectionText seals one of a reflection's texts for storing: column of reflection id, under
// the key of writer, the person who wrote it.
func sealReflectionText(ctx context.Context, v *vault.Vault, writer, id, column, text string) (string, error) {
	return v.Seal(ctx, vault.Person(writer), vault.Field{Table: reflectionsTable, Column: column, Row: id}, text)
}

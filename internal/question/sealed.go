package question

import (
	"context"

	"github.com/mendhq/mend/internal/vault"
)

// Columns lists the questions' sealed columns (internal/vault): each is its writer's words, under the
// writer's own data key.
func Columns() []vault.Column {
	return []vault.Column{
		{Table: "questions", Name: "text", OwnerColumn: "asker_id", Kind: vault.KindPerson},
		{Table: "question_answers", Name: "text", OwnerColumn: "author_id", Kind: vault.KindPerson},
		{Table: "question_follow_ups", Name: "text", OwnerColumn: "author_id", Kind: vault.KindPerson},
		{Table: "question_pauses", Name: "note", OwnerColumn: "user_id", Kind: vault.KindPerson},
	}
}

func (s *Service) seal(ctx context.Context, owner, table, id string, text *string) error {
	return s.vault.SealRow(ctx, vault.Person(owner), table, id, vault.Col{Name: "text", Text: text})
}

func (s *Service) open(ctx context.Context, table, id string, text *string) error {
	return s.vault.OpenRow(ctx, table, id, vault.Col{Name: "text", Text: text})
}

func (s *Service) openQuestions(ctx context.Context, list []Question) error {
	for i := range list {
		if err := s.open(ctx, "questions", list[i].ID, &list[i].Text); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) openAnswers(ctx context.Context, list []Answer) error {
	for i := range list {
		if err := s.open(ctx, "question_answers", list[i].ID, &list[i].Text); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) openFollowUps(ctx context.Context, list []FollowUp) error {
	for i := range list {
		if err := s.open(ctx, "question_follow_ups", list[i].ID, &list[i].Text); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) openPause(ctx context.Context, p *Pause) error {
	if p == nil {
		return nil
	}
	return s.vault.OpenRow(ctx, "question_pauses", p.ID, vault.Col{Name: "note", Text: &p.Note})
}

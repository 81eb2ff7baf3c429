package trigger

import (
	"context"

	"github.com/mendhq/mend/internal/vault"
)

// Columns lists the trigger log's sealed columns (internal/vault): each is its writer's words, under
// the writer's own data key.
func Columns() []vault.Column {
	return []vault.Column{
		{Table: "triggers", Name: "what", OwnerColumn: "author_id", Kind: vault.KindPerson},
		{Table: "triggers", Name: "helped", OwnerColumn: "author_id", Kind: vault.KindPerson},
		{Table: "trigger_signals", Name: "text", OwnerColumn: "author_id", Kind: vault.KindPerson},
		{Table: "trigger_responses", Name: "text", OwnerColumn: "responder_id", Kind: vault.KindPerson},
	}
}

// sealTrigger seals t's texts in place, for storing.
func (s *Service) sealTrigger(ctx context.Context, t *Trigger) error {
	return s.vault.SealRow(ctx, vault.Person(t.AuthorID), "triggers", t.ID, vault.Col{Name: "what", Text: &t.What},
		vault.Col{Name: "helped", Text: &t.Helped})
}

// openTrigger opens t's texts in place, as read.
func (s *Service) openTrigger(ctx context.Context, t *Trigger) error {
	return s.vault.OpenRow(ctx, "triggers", t.ID, vault.Col{Name: "what", Text: &t.What}, vault.Col{Name: "helped", Text: &t.Helped})
}

func (s *Service) openTriggers(ctx context.Context, list []Trigger) error {
	for i := range list {
		if err := s.openTrigger(ctx, &list[i]); err != nil {
			return err
		}
	}
	return nil
}

// openSignal opens the text a signal carries, if any.
func (s *Service) openSignal(ctx context.Context, sig *Signal) error {
	if sig.Text == nil {
		return nil
	}
	return s.vault.OpenRow(ctx, "trigger_signals", sig.ID, vault.Col{Name: "text", Text: sig.Text})
}

func (s *Service) sealResponse(ctx context.Context, r *Response) error {
	return s.vault.SealRow(ctx, vault.Person(r.ResponderID), "trigger_responses", r.ID, vault.Col{Name: "text", Text: &r.Text})
}

func (s *Service) openResponses(ctx context.Context, list []Response) error {
	for i := range list {
		if err := s.vault.OpenRow(ctx, "trigger_responses", list[i].ID, vault.Col{Name: "text", Text: &list[i].Text}); err != nil {
			return err
		}
	}
	return nil
}

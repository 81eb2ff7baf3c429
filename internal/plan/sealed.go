package plan

import (
	"context"
	"strconv"

	"github.com/mendhq/mend/internal/vault"
)

// Columns lists the plan's sealed columns (internal/vault). Each text goes with its writer when they
// delete their account (its row cascades with them), so each is under the writer's own data key: an
// acknowledgment's versions its author's (through acknowledgments.author_id), a response its
// responder's, a moment its author's, a plan item of the couple's own its creator's. The five starter
// items hold no text of their own (their titles come from the code), yet a starter row would be the
// couple's.
func Columns() []vault.Column {
	ackAuthor := "(SELECT a.author_id FROM acknowledgments a WHERE a.id = acknowledgment_versions.acknowledgment_id)"
	versionKey := []string{"acknowledgment_id", "number"}
	itemKey := []string{"couple_id", "id"}
	itemOwner := "COALESCE(created_by, couple_id)"
	itemKind := "CASE WHEN created_by IS NULL THEN '" + vault.KindCouple + "' ELSE '" + vault.KindPerson + "' END"
	return []vault.Column{
		{Table: "acknowledgment_versions", Name: "what_happened", Key: versionKey, OwnerColumn: ackAuthor, Kind: vault.KindPerson},
		{Table: "acknowledgment_versions", Name: "responsibility", Key: versionKey, OwnerColumn: ackAuthor, Kind: vault.KindPerson},
		{Table: "acknowledgment_versions", Name: "impact", Key: versionKey, OwnerColumn: ackAuthor, Kind: vault.KindPerson},
		{Table: "acknowledgment_versions", Name: "commitments", Key: versionKey, OwnerColumn: ackAuthor, Kind: vault.KindPerson},
		{Table: "acknowledgment_responses", Name: "note", OwnerColumn: "responder_id", Kind: vault.KindPerson},
		{Table: "moments", Name: "note", OwnerColumn: "author_id", Kind: vault.KindPerson},
		{Table: "plan_items", Name: "title", Key: itemKey, OwnerColumn: itemOwner, KindColumn: itemKind},
		{Table: "plan_items", Name: "notes", Key: itemKey, OwnerColumn: itemOwner, KindColumn: itemKind},
	}
}

func versionRow(v *AckVersion) string { return vault.RowID(v.AcknowledgmentID, strconv.Itoa(v.Number)) }

func versionCols(v *AckVersion) []vault.Col {
	return []vault.Col{{Name: "what_happened", Text: &v.WhatHappened}, {Name: "responsibility", Text: &v.Responsibility},
		{Name: "impact", Text: &v.Impact}, {Name: "commitments", Text: &v.Commitments}}
}

// sealVersion seals v's texts in place, for storing, under the key of the acknowledgment's author.
func (s *Service) sealVersion(ctx context.Context, authorID string, v *AckVersion) error {
	return s.vault.SealRow(ctx, vault.Person(authorID), "acknowledgment_versions", versionRow(v), versionCols(v)...)
}

// openVersion opens v's texts in place, as read.
func (s *Service) openVersion(ctx context.Context, v *AckVersion) error {
	return s.vault.OpenRow(ctx, "acknowledgment_versions", versionRow(v), versionCols(v)...)
}

func (s *Service) openVersions(ctx context.Context, list []AckVersion) error {
	for i := range list {
		if err := s.openVersion(ctx, &list[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) sealResponse(ctx context.Context, r *AckResponse) error {
	return s.vault.SealRow(ctx, vault.Person(r.ResponderID), "acknowledgment_responses", r.ID, vault.Col{Name: "note", Text: &r.Note})
}

func (s *Service) openResponse(ctx context.Context, r *AckResponse) error {
	return s.vault.OpenRow(ctx, "acknowledgment_responses", r.ID, vault.Col{Name: "note", Text: &r.Note})
}

func (s *Service) openResponses(ctx context.Context, list []AckResponse) error {
	for i := range list {
		if err := s.openResponse(ctx, &list[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) sealMoment(ctx context.Context, m *Moment) error {
	return s.vault.SealRow(ctx, vault.Person(m.AuthorID), "moments", m.ID, vault.Col{Name: "note", Text: &m.Note})
}

func (s *Service) openMoment(ctx context.Context, m *Moment) error {
	return s.vault.OpenRow(ctx, "moments", m.ID, vault.Col{Name: "note", Text: &m.Note})
}

func (s *Service) openMoments(ctx context.Context, list []Moment) error {
	for i := range list {
		if err := s.openMoment(ctx, &list[i]); err != nil {
			return err
		}
	}
	return nil
}

// itemOwner is whose key seals an item's texts: its creator's, or the couple's for a starter.
func itemOwner(it *Item) vault.Owner {
	if it.CreatedBy != nil {
		return vault.Person(*it.CreatedBy)
	}
	return vault.Couple(it.CoupleID)
}

func itemCols(it *Item) []vault.Col {
	return []vault.Col{{Name: "title", Text: &it.Title}, {Name: "notes", Text: &it.Notes}}
}

func (s *Service) sealItem(ctx context.Context, it *Item) error {
	return s.vault.SealRow(ctx, itemOwner(it), "plan_items", vault.RowID(it.CoupleID, it.ID), itemCols(it)...)
}

func (s *Service) openItem(ctx context.Context, it *Item) error {
	return s.vault.OpenRow(ctx, "plan_items", vault.RowID(it.CoupleID, it.ID), itemCols(it)...)
}

func (s *Service) openItems(ctx context.Context, list []Item) error {
	for i := range list {
		if err := s.openItem(ctx, &list[i]); err != nil {
			return err
		}
	}
	return nil
}

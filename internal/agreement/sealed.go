package agreement

import (
	"context"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/vault"
)

// Whose key seals an agreement's texts (internal/vault) follows what account deletion keeps of them
// (DeleteUser, DESIGN §2.9). A version's title and body are its author's words, under the author's key,
// until the version is a joint text: the moment a second person accepts it (Accept, in the transaction
// that records the acceptance), they are sealed again under the couple's key. A version never stops
// being joint (withdrawing consent adds an entry to the log and takes no acceptance away, and
// jointVersionSQL ignores withdrawals), and DeleteUser keeps exactly the joint versions for the other
// partner, so what it keeps is under the couple's key and what it deletes under the author's: a backup
// taken before the deletion no longer opens the deleted person's drafts, and still opens the joint
// texts the live database keeps. A note in the consent log is always its writer's: DeleteUser blanks
// the notes of the entries it keeps, so every note is under its writer's key.

// jointSQL is true for an agreement_versions row that is a joint text: someone other than its author
// proposed or accepted it (an entry kept with no actor is a deleted partner's), or its author deleted
// their account (only joint versions are kept then).
const jointSQL = `(agreement_versions.author_id IS NULL OR EXISTS (SELECT 1 FROM agreement_events o
	WHERE o.agreement_id = agreement_versions.agreement_id AND o.version = agreement_versions.number
	AND o.action IN ('proposed', 'accepted') AND (o.actor_id IS NULL OR o.actor_id <> agreement_versions.author_id)))`

// versionOwnerSQL and versionKindSQL give each version's owner for encrypt-existing: the couple of a
// joint text, else its author.
const (
	versionOwnerSQL = `CASE WHEN ` + jointSQL + ` THEN (SELECT a.couple_id FROM agreements a WHERE a.id = agreement_versions.agreement_id)
	ELSE agreement_versions.author_id END`
	versionKindSQL = `CASE WHEN ` + jointSQL + ` THEN '` + vault.KindCouple + `' ELSE '` + vault.KindPerson + `' END`
)

// Columns lists the agreements' sealed columns (internal/vault): a version's title and body, under the
// couple's key once both accepted it and its author's before, and a consent-log note, under its writer's.
func Columns() []vault.Column {
	return []vault.Column{
		{Table: "agreement_versions", Name: "title", OwnerColumn: versionOwnerSQL, KindColumn: versionKindSQL},
		{Table: "agreement_versions", Name: "body", OwnerColumn: versionOwnerSQL, KindColumn: versionKindSQL},
		{Table: "agreement_events", Name: "note", OwnerColumn: "actor_id", Kind: vault.KindPerson},
	}
}

// versionCols are the sealed columns of v.
func versionCols(v *Version) []vault.Col {
	return []vault.Col{{Name: "title", Text: &v.Title}, {Name: "body", Text: &v.Body}}
}

// sealVersion seals v's title and body in place for owner, for storing.
func (s *Service) sealVersion(ctx context.Context, owner vault.Owner, v *Version) error {
	return s.vault.SealRow(ctx, owner, "agreement_versions", v.ID, versionCols(v)...)
}

// sealJoint seals the version v (as read, its texts open) again under the couple's key: it has just
// become a joint text.
func (s *Service) sealJoint(ctx context.Context, tx *gorm.DB, coupleID string, v Version) error {
	if err := s.sealVersion(ctx, vault.Couple(coupleID), &v); err != nil {
		return err
	}
	return tx.Model(&Version{}).Where("id = ?", v.ID).Updates(map[string]any{"title": v.Title, "body": v.Body}).Error
}

// openVersion opens v's title and body in place, as read.
func (s *Service) openVersion(ctx context.Context, v *Version) error {
	return s.vault.OpenRow(ctx, "agreement_versions", v.ID, versionCols(v)...)
}

// openTitle opens v's title in place (the reads that leave the body out).
func (s *Service) openTitle(ctx context.Context, v *Version) error {
	return s.vault.OpenRow(ctx, "agreement_versions", v.ID, vault.Col{Name: "title", Text: &v.Title})
}

// openNote opens e's note in place.
func (s *Service) openNote(ctx context.Context, e *Event) error {
	return s.vault.OpenRow(ctx, "agreement_events", e.ID, vault.Col{Name: "note", Text: &e.Note})
}

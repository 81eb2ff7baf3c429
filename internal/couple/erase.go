package couple

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/vault"
)

// EraseHook removes what one feature holds of a user, inside the deletion transaction.
type EraseHook func(ctx context.Context, tx *gorm.DB, userID string) error

// DeleteAccount hard-deletes a user (DESIGN §2.9, SECURITY H2) in one transaction: it ends their current
// couple for both members, runs every feature's hook, deletes the users row (sessions, memberships and
// everything else that references the user cascade), and removes couples that no longer have any member.
// The former partner's own rows are untouched, so their archive stays intact.
//
// Once the deletion has committed it shreds the person's data key (internal/vault), and the key of each
// couple that went with them (no member left), so what they wrote no longer opens in any copy of the
// database, past backups included. The key store is another database, so this comes after the commit
// (never before: a key shredded for a deletion that then rolled back would lose the person's text); a
// failure here returns an error while the account stays deleted, and the key stays behind until
// mend keys sweep (vault.Sweep) shreds it.
func (s *Service) DeleteAccount(ctx context.Context, userID string, hooks ...EraseHook) error {
	shred := []vault.Owner{vault.Person(userID)}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		shred = shred[:1]
		if err := s.endFor(ctx, tx, userID); err != nil && err != ErrNotInCouple {
			return err
		}
		var coupleIDs []string
		if err := tx.Model(&Member{}).Where("user_id = ?", userID).Pluck("couple_id", &coupleIDs).Error; err != nil {
			return err
		}
		for _, h := range hooks {
			if err := h(ctx, tx, userID); err != nil {
				return err
			}
		}
		res := tx.Exec("DELETE FROM users WHERE id = ?", userID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFoundf("The account")
		}
		for _, id := range coupleIDs {
			res := tx.Exec("DELETE FROM couples WHERE id = ? AND NOT EXISTS (SELECT 1 FROM couple_members WHERE couple_id = ?)", id, id)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected > 0 {
				shred = append(shred, vault.Couple(id))
			}
		}
		return nil
	})
	if err != nil {
		if apperr.As(err) != nil {
			return err
		}
		return fmt.Errorf("couple: delete account: %w", err)
	}
	if err := vault.From(s.db).Shred(ctx, shred...); err != nil {
		return fmt.Errorf("couple: delete account: the account is deleted, but its data key was not (mend keys sweep shreds it later): %w", err)
	}
	return nil
}

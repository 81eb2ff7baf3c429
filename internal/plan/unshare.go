package plan

import (
	"context"
	"fmt"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
)

// UnshareMoment makes one of the user's own shared moments private again; the partner no longer sees
// it. A moment the user cannot see is apperr.NotFound, the partner's is apperr.Forbidden.
func (s *Service) UnshareMoment(ctx context.Context, sc *couple.Membership, id string) (*Moment, error) {
	m, err := s.ownMoment(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if err := s.db.WithContext(ctx).Model(&Moment{}).Where("couple_id = ? AND id = ?", sc.Couple.ID, m.ID).Update("shared", false).Error; err != nil {
		return nil, fmt.Errorf("plan: unshare moment: %w", err)
	}
	m.Shared = false
	return m, nil
}

// UnshareAcknowledgment takes the user's acknowledgment back: no version of it is shared any more and
// the partner no longer reads it. The text and the partner's earlier responses are kept. With nothing
// shared it is apperr.NotFound.
func (s *Service) UnshareAcknowledgment(ctx context.Context, sc *couple.Membership) error {
	mine, err := s.mine(ctx, sc)
	if err != nil {
		return fmt.Errorf("plan: unshare acknowledgment: %w", err)
	}
	if mine == nil || mine.Shared == nil {
		return apperr.NotFoundf("A shared acknowledgment")
	}
	err = s.db.WithContext(ctx).Model(&AckVersion{}).Where("acknowledgment_id = ? AND shared_at IS NOT NULL", mine.ID).
		Update("shared_at", nil).Error
	if err != nil {
		return fmt.Errorf("plan: unshare acknowledgment: %w", err)
	}
	return nil
}

package couple

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/token"
)

// Invite link states, as the join page explains them.
const (
	InviteValid    = "valid"
	InviteUnknown  = "unknown"
	InviteExpired  = "expired"
	InviteUsed     = "used"
	InviteReplaced = "replaced"
	InviteEnded    = "ended"
	InviteFull     = "full"
)

// InviteInfo is what the join page may tell the holder of an invite link.
type InviteInfo struct {
	State    string
	CoupleID string
	// InvitedBy is the display name of the member who made the link (empty when unknown).
	InvitedBy string
	ExpiresAt time.Time
	// UsedBy is the user who used the link, if it was used.
	UsedBy string
}

// LookupInvite tells what an invite secret is: valid, or why not. It never changes anything.
func (s *Service) LookupInvite(ctx context.Context, plain string) (*InviteInfo, error) {
	if plain == "" || len(plain) > 200 {
		return &InviteInfo{State: InviteUnknown}, nil
	}
	var inv Invite
	err := s.db.WithContext(ctx).Where("token_hash = ?", token.Hash(plain)).Take(&inv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &InviteInfo{State: InviteUnknown}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("couple: lookup invite: %w", err)
	}
	info := &InviteInfo{CoupleID: inv.CoupleID, ExpiresAt: inv.ExpiresAt}
	if inv.UsedBy != nil {
		info.UsedBy = *inv.UsedBy
	}
	if inv.CreatedBy != nil {
		var names []string
		if err := s.db.WithContext(ctx).Table("users").Where("id = ?", *inv.CreatedBy).Pluck("display_name", &names).Error; err != nil {
			return nil, fmt.Errorf("couple: lookup invite: %w", err)
		}
		if len(names) > 0 {
			name, err := s.openName(ctx, *inv.CreatedBy, names[0])
			if err != nil {
				return nil, fmt.Errorf("couple: lookup invite: %w", err)
			}
			info.InvitedBy = name
		}
	}
	var c Couple
	if err := s.db.WithContext(ctx).Where("id = ?", inv.CoupleID).Take(&c).Error; err != nil {
		return nil, fmt.Errorf("couple: lookup invite: %w", err)
	}
	var members int64
	if err := s.db.WithContext(ctx).Model(&Member{}).Where("couple_id = ? AND left_at IS NULL", inv.CoupleID).Count(&members).Error; err != nil {
		return nil, fmt.Errorf("couple: lookup invite: %w", err)
	}
	switch {
	case c.EndedAt != nil:
		info.State = InviteEnded
	case inv.UsedAt != nil:
		info.State = InviteUsed
	case inv.CancelledAt != nil:
		info.State = InviteReplaced
	case !s.nowUTC().Before(inv.ExpiresAt):
		info.State = InviteExpired
	case members >= 2:
		info.State = InviteFull
	default:
		info.State = InviteValid
	}
	return info, nil
}

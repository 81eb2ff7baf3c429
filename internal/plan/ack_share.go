package plan

import (
	"context"
	"fmt"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/token"

	"github.com/mendhq/mend/internal/couple"
)

// CheckShareable returns the field errors that would stop t being shared, or nil.
func CheckShareable(t AckText) error {
	_, err := t.validate(true)
	return err
}

// ShareVersion shares the user's current version after a preview of version number; apperr.Conflict
// when the draft changed since, apperr.NotFound when there is no draft.
func (s *Service) ShareVersion(ctx context.Context, sc *couple.Membership, number int) (*AckPage, error) {
	mine, err := s.mine(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: share acknowledgment: %w", err)
	}
	if mine == nil {
		return nil, apperr.NotFoundf("Your acknowledgment")
	}
	if mine.Version != number {
		return nil, apperr.New(apperr.Conflict, "Your draft changed after this preview. Look at it again before sharing.")
	}
	return s.SaveAcknowledgment(ctx, sc, mine.Text, true)
}

// Respond records the user's response to the partner's latest shared version; apperr.NotFound when the
// partner has shared nothing.
func (s *Service) Respond(ctx context.Context, sc *couple.Membership, status, note string) (*AckResponse, error) {
	f := apperr.Form{}
	if status != ResponseRead && status != ResponseNeedMore {
		f.Add("status", "Choose “I've read it” or “I need more”.")
	}
	note = text.Clean(f, "note", note, text.Rule{Max: MaxNote, Multiline: true})
	if err := f.Err(); err != nil {
		return nil, err
	}
	p, err := s.partnerShared(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: respond: %w", err)
	}
	if p == nil {
		return nil, apperr.NotFoundf("A shared acknowledgment")
	}
	r := &AckResponse{ID: token.ID(), AcknowledgmentID: p.ID, Version: p.Version, ResponderID: sc.Me.UserID, Status: status, Note: note, CreatedAt: s.nowUTC()}
	stored := *r
	if err := s.sealResponse(ctx, &stored); err != nil {
		return nil, fmt.Errorf("plan: respond: %w", err)
	}
	if err := s.db.WithContext(ctx).Create(&stored).Error; err != nil {
		return nil, fmt.Errorf("plan: respond: %w", err)
	}
	return r, nil
}

// ackMarkedRead reports whether any acknowledgment in the couple has "read" as its latest response.
func (s *Service) ackMarkedRead(ctx context.Context, coupleID string) (bool, error) {
	// One query: is there an acknowledgment of the couple whose latest response is "read"?
	// Scanned by hand: the answer is one boolean.
	var read bool
	err := s.db.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM acknowledgments a WHERE a.couple_id = ? AND
		(SELECT r.status FROM acknowledgment_responses r WHERE r.acknowledgment_id = a.id
		 ORDER BY r.created_at DESC, r.id DESC LIMIT 1) = ?)`, coupleID, ResponseRead).Row().Scan(&read)
	return read, err
}

// AckShared reports whether the asking user has shared a version of their own acknowledgment in their
// couple (a draft alone is not shared).
func (s *Service) AckShared(ctx context.Context, sc *couple.Membership) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&AckVersion{}).
		Where("shared_at IS NOT NULL AND acknowledgment_id IN (SELECT id FROM acknowledgments WHERE couple_id = ? AND author_id = ?)", sc.Couple.ID, sc.Me.UserID).
		Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("plan: acknowledgment shared: %w", err)
	}
	return n > 0, nil
}

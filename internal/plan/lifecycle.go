package plan

import (
	"context"
	"fmt"
)

// AuthoredAck is an acknowledgment the user wrote, with every version and the responses it received.
type AuthoredAck struct {
	Acknowledgment
	Versions  []AckVersion
	Responses []AckResponse
}

// AuthoredAcks returns every acknowledgment userID wrote, in any couple, for their export.
func (s *Service) AuthoredAcks(ctx context.Context, userID string) ([]AuthoredAck, error) {
	var acks []Acknowledgment
	if err := s.db.WithContext(ctx).Where("author_id = ?", userID).Order("created_at").Find(&acks).Error; err != nil {
		return nil, fmt.Errorf("plan: export: %w", err)
	}
	out := make([]AuthoredAck, 0, len(acks))
	for _, a := range acks {
		x := AuthoredAck{Acknowledgment: a}
		if err := s.db.WithContext(ctx).Where("acknowledgment_id = ?", a.ID).Order("number").Find(&x.Versions).Error; err != nil {
			return nil, fmt.Errorf("plan: export: %w", err)
		}
		if err := s.db.WithContext(ctx).Where("acknowledgment_id = ?", a.ID).Order("created_at, id").Find(&x.Responses).Error; err != nil {
			return nil, fmt.Errorf("plan: export: %w", err)
		}
		if err := s.openVersions(ctx, x.Versions); err != nil {
			return nil, fmt.Errorf("plan: export: %w", err)
		}
		if err := s.openResponses(ctx, x.Responses); err != nil {
			return nil, fmt.Errorf("plan: export: %w", err)
		}
		out = append(out, x)
	}
	return out, nil
}

// AuthoredMoments returns every moment userID wrote, in any couple, oldest first.
func (s *Service) AuthoredMoments(ctx context.Context, userID string) ([]Moment, error) {
	var out []Moment
	if err := s.db.WithContext(ctx).Where("author_id = ?", userID).Order("on_date, created_at").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("plan: export: %w", err)
	}
	if err := s.openMoments(ctx, out); err != nil {
		return nil, fmt.Errorf("plan: export: %w", err)
	}
	return out, nil
}

// AuthoredItems returns every plan item userID added, in any couple.
func (s *Service) AuthoredItems(ctx context.Context, userID string) ([]Item, error) {
	var out []Item
	if err := s.db.WithContext(ctx).Where("created_by = ?", userID).Order("created_at").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("plan: export: %w", err)
	}
	if err := s.openItems(ctx, out); err != nil {
		return nil, fmt.Errorf("plan: export: %w", err)
	}
	return out, nil
}

// ResponsesBy returns every response userID gave to a partner's acknowledgment, oldest first.
func (s *Service) ResponsesBy(ctx context.Context, userID string) ([]AckResponse, error) {
	var out []AckResponse
	if err := s.db.WithContext(ctx).Where("responder_id = ?", userID).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("plan: export: %w", err)
	}
	if err := s.openResponses(ctx, out); err != nil {
		return nil, fmt.Errorf("plan: export: %w", err)
	}
	return out, nil
}

// Archive is what userID wrote in one couple, for their read-only archive after it ended.
type Archive struct {
	// Acknowledgment is the latest version the user wrote, or nil.
	Acknowledgment *AckVersion
	Moments        []Moment
	Items          []Item
}

// Empty reports whether there is nothing to show.
func (a *Archive) Empty() bool {
	return a.Acknowledgment == nil && len(a.Moments) == 0 && len(a.Items) == 0
}

// ArchiveOf returns what userID wrote in the couple coupleID.
func (s *Service) ArchiveOf(ctx context.Context, userID, coupleID string) (*Archive, error) {
	out := &Archive{}
	var acks []Acknowledgment
	if err := s.db.WithContext(ctx).Where("couple_id = ? AND author_id = ?", coupleID, userID).Find(&acks).Error; err != nil {
		return nil, fmt.Errorf("plan: archive: %w", err)
	}
	for _, a := range acks {
		var vs []AckVersion
		if err := s.db.WithContext(ctx).Where("acknowledgment_id = ?", a.ID).Order("number DESC").Limit(1).Find(&vs).Error; err != nil {
			return nil, fmt.Errorf("plan: archive: %w", err)
		}
		if len(vs) > 0 {
			if err := s.openVersion(ctx, &vs[0]); err != nil {
				return nil, fmt.Errorf("plan: archive: %w", err)
			}
			out.Acknowledgment = &vs[0]
		}
	}
	if err := s.db.WithContext(ctx).Where("couple_id = ? AND author_id = ?", coupleID, userID).Order("on_date, created_at").Find(&out.Moments).Error; err != nil {
		return nil, fmt.Errorf("plan: archive: %w", err)
	}
	if err := s.db.WithContext(ctx).Where("couple_id = ? AND created_by = ?", coupleID, userID).Order("created_at").Find(&out.Items).Error; err != nil {
		return nil, fmt.Errorf("plan: archive: %w", err)
	}
	if err := s.openMoments(ctx, out.Moments); err != nil {
		return nil, fmt.Errorf("plan: archive: %w", err)
	}
	if err := s.openItems(ctx, out.Items); err != nil {
		return nil, fmt.Errorf("plan: archive: %w", err)
	}
	return out, nil
}

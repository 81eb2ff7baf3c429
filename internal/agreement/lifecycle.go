package agreement

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DeleteUser removes, inside the account-deletion transaction tx, everything about agreements that
// userID wrote: every version they authored, every consent-log event they made, every event about a
// version they authored, and then any agreement left without versions. The former partner keeps the
// versions they wrote and their own consent to them; version numbers are not reused, so gaps remain.
func DeleteUser(ctx context.Context, tx *gorm.DB, userID string) error {
	tx = tx.WithContext(ctx)
	steps := []func() error{
		func() error { return tx.Where("actor_id = ?", userID).Delete(&Event{}).Error },
		func() error {
			return tx.Where("EXISTS (SELECT 1 FROM agreement_versions v WHERE v.agreement_id = agreement_events.agreement_id"+
				" AND v.number = agreement_events.version AND v.author_id = ?)", userID).Delete(&Event{}).Error
		},
		func() error { return tx.Where("author_id = ?", userID).Delete(&Version{}).Error },
		func() error {
			return tx.Where("NOT EXISTS (SELECT 1 FROM agreement_versions v WHERE v.agreement_id = agreements.id)").Delete(&Agreement{}).Error
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("agreement: delete user: %w", err)
		}
	}
	return nil
}

// ForUser returns what userID may take with them: every agreement of their current couple (sc, when
// CoupleID is set) and, from couples they have left, the agreements they took part in (wrote or
// consented to), which form their archive.
func (s *Service) ForUser(ctx context.Context, sc Scope) ([]View, error) {
	db := s.db.WithContext(ctx)
	var former []string
	err := db.Table("couple_members").Where("user_id = ? AND left_at IS NOT NULL", sc.UserID).Pluck("couple_id", &former).Error
	if err != nil {
		return nil, fmt.Errorf("agreement: for user: %w", err)
	}
	var list []Agreement
	q := db.Where("couple_id = ?", sc.CoupleID)
	if len(former) > 0 {
		q = q.Or("couple_id IN ? AND EXISTS (SELECT 1 FROM agreement_events e WHERE e.agreement_id = agreements.id AND e.actor_id = ?)", former, sc.UserID)
	}
	if err := q.Order("created_at, id").Find(&list).Error; err != nil {
		return nil, fmt.Errorf("agreement: for user: %w", err)
	}
	views, err := load(ctx, s.db, list, s.Today(sc))
	if err != nil {
		return nil, fmt.Errorf("agreement: for user: %w", err)
	}
	return views, nil
}

// Archived is one agreement in a user's archive of an ended couple: the latest version they wrote or
// accepted there.
type Archived struct {
	AgreementID string
	Version     Version
	// AcceptedAt is when the user proposed or accepted that version.
	AcceptedAt time.Time
}

// Archive returns, for one of userID's ended couples, the agreements they wrote or accepted, each at the
// latest version they gave their consent to (DESIGN §2.2). The caller checks that the couple was theirs.
func (s *Service) Archive(ctx context.Context, userID, coupleID string) ([]Archived, error) {
	var list []Agreement
	err := s.db.WithContext(ctx).Where("couple_id = ? AND EXISTS (SELECT 1 FROM agreement_events e WHERE e.agreement_id = agreements.id AND e.actor_id = ?)",
		coupleID, userID).Order("created_at, id").Find(&list).Error
	if err != nil {
		return nil, fmt.Errorf("agreement: archive: %w", err)
	}
	views, err := load(ctx, s.db, list, today(s.now(), time.UTC))
	if err != nil {
		return nil, fmt.Errorf("agreement: archive: %w", err)
	}
	var out []Archived
	for i := range views {
		var last *Event
		for j := range views[i].Log {
			e := &views[i].Log[j]
			if e.ActorID == userID && (e.Action == ActionProposed || e.Action == ActionAccepted) {
				if last == nil || e.Version > last.Version {
					last = e
				}
			}
		}
		if last == nil {
			continue
		}
		if ver := views[i].Version(last.Version); ver != nil {
			out = append(out, Archived{AgreementID: views[i].ID, Version: *ver, AcceptedAt: last.CreatedAt})
		}
	}
	return out, nil
}

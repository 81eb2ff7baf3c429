package agreement

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
)

// jointVersionSQL selects the versions userID (the three parameters) wrote that are joint texts: both
// they and someone who still has an account proposed or accepted them (DESIGN §2.9). A former partner
// who deleted their account counts as nobody (their entries name no one).
const jointVersionSQL = `author_id = ?
	AND EXISTS (SELECT 1 FROM agreement_events m WHERE m.agreement_id = agreement_versions.agreement_id
		AND m.version = agreement_versions.number AND m.actor_id = ? AND m.action IN ('proposed', 'accepted'))
	AND EXISTS (SELECT 1 FROM agreement_events o WHERE o.agreement_id = agreement_versions.agreement_id
		AND o.version = agreement_versions.number AND o.actor_id <> ? AND o.action IN ('proposed', 'accepted'))`

// jointEventSQL selects userID's consent-log entries (the three parameters) on joint texts, by the same
// rule as jointVersionSQL. Like any WHERE clause it is decided on the rows as they were before the update.
const jointEventSQL = `actor_id = ?
	AND EXISTS (SELECT 1 FROM agreement_events m WHERE m.agreement_id = agreement_events.agreement_id
		AND m.version = agreement_events.version AND m.actor_id = ? AND m.action IN ('proposed', 'accepted'))
	AND EXISTS (SELECT 1 FROM agreement_events o WHERE o.agreement_id = agreement_events.agreement_id
		AND o.version = agreement_events.version AND o.actor_id <> ? AND o.action IN ('proposed', 'accepted'))`

// DeleteUser removes, inside the account-deletion transaction tx and before the users row is deleted,
// everything about agreements that userID wrote, except joint texts (DESIGN §2.9): a version both
// partners accepted stays for the other partner with no author (NULL: "your former partner"), and
// userID's entries in its consent log stay with no actor and no note, so its status reads as before.
// Everything else goes: every other version they authored, with the events about it, every other event
// they made, and then any agreement left without versions. Version numbers are not reused, so gaps
// remain. Last, the kept facts of the couples' agreements are written again (keepFactsOfUser). Run
// after the users row is gone, it finds nothing: the cascade has taken every row of theirs.
func DeleteUser(ctx context.Context, tx *gorm.DB, userID string) error {
	tx = tx.WithContext(ctx)
	steps := []func() error{
		func() error {
			return tx.Model(&Version{}).Where(jointVersionSQL, userID, userID, userID).Update("author_id", nil).Error
		},
		func() error {
			return tx.Model(&Event{}).Where(jointEventSQL, userID, userID, userID).Updates(map[string]any{"actor_id": nil, "note": ""}).Error
		},
		func() error { return tx.Where("actor_id = ?", userID).Delete(&Event{}).Error },
		func() error {
			return tx.Where("EXISTS (SELECT 1 FROM agreement_versions v WHERE v.agreement_id = agreement_events.agreement_id"+
				" AND v.number = agreement_events.version AND v.author_id = ?)", userID).Delete(&Event{}).Error
		},
		func() error { return tx.Where("author_id = ?", userID).Delete(&Version{}).Error },
		func() error {
			return tx.Where("NOT EXISTS (SELECT 1 FROM agreement_versions v WHERE v.agreement_id = agreements.id)").Delete(&Agreement{}).Error
		},
		func() error { return keepFactsOfUser(tx, userID) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("agreement: delete user: %w", err)
		}
	}
	return nil
}

// ForUser returns what userID may take with them: every agreement of their current couple (m; nil
// when they have none) and, from couples they have left, the agreements they took part in (wrote or
// consented to), which form their archive.
func (s *Service) ForUser(ctx context.Context, userID string, m *couple.Membership) ([]View, error) {
	sc := m
	if sc == nil {
		sc = &couple.Membership{Me: couple.Person{UserID: userID}, Location: time.UTC}
	}
	db := s.db.WithContext(ctx)
	var former []string
	err := db.Table("couple_members").Where("user_id = ? AND left_at IS NOT NULL", sc.Me.UserID).Pluck("couple_id", &former).Error
	if err != nil {
		return nil, fmt.Errorf("agreement: for user: %w", err)
	}
	var list []Agreement
	q := db.Where("couple_id = ?", sc.Couple.ID)
	if len(former) > 0 {
		q = q.Or("couple_id IN ? AND EXISTS (SELECT 1 FROM agreement_events e WHERE e.agreement_id = agreements.id AND e.actor_id = ?)", former, sc.Me.UserID)
	}
	if err := q.Order("created_at, id").Find(&list).Error; err != nil {
		return nil, fmt.Errorf("agreement: for user: %w", err)
	}
	views, err := s.load(ctx, s.db, list, s.Today(sc))
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
	views, err := s.load(ctx, s.db, list, today(s.now(), time.UTC))
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

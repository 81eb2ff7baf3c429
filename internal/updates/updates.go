// Package updates is "For you" (DESIGN §5.2): what changed for one person, first on their home. Every
// update is derived from the data of the features it speaks of (Sources); the only rows of its own are
// the marks of what the person has seen.
//
// The rules live here:
//   - an update is about something that happened or waits for the person themselves: it never names
//     what the partner has not done, and carries no text, no sealed answer, no private item and no
//     safety rating (an update is an id, a kind, a time and a link);
//   - while the person's latest safety answer is low, updates that suggest doing something together
//     (Joint) are not shown at all (DESIGN §2.4);
//   - an update is seen once the page it links to was viewed after it happened (MarkPage), or once it
//     was marked by its id (MarkSeen, or all at once).
package updates

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
)

// The kinds of update (issue 17: the dashboard's "For you").
const (
	AcknowledgmentShared   = "acknowledgment_shared"
	AcknowledgmentResponse = "acknowledgment_response"
	AgreementWaiting       = "agreement_waiting"
	AgreementDueForReview  = "agreement_due_for_review"
	AgreementWithdrawn     = "agreement_withdrawn"
	CheckinOpened          = "checkin_opened"
	ReflectionWaiting      = "reflection_waiting"
	ReflectionAnswered     = "reflection_answered"
	TimeoutActive          = "timeout_active"
	TherapyPrompt          = "therapy_prompt"
	NewSignIn              = "new_sign_in"
)

// Kinds lists every kind.
var Kinds = []string{AcknowledgmentShared, AcknowledgmentResponse, AgreementWaiting, AgreementDueForReview, AgreementWithdrawn,
	CheckinOpened, ReflectionWaiting, ReflectionAnswered, TimeoutActive, TherapyPrompt, NewSignIn}

// Window is how far back an update reaches: what happened earlier is no longer news. What still waits
// for the person (an agreement version to answer, a reflection to confirm) is dated when it began and
// falls out of the list after Window too; its own page still shows it.
const Window = 35 * 24 * time.Hour

// Update is one thing that changed for the person.
type Update struct {
	// ID is stable for as long as the thing it speaks of is the same: kind, then what it is about.
	ID   string
	Kind string
	At   time.Time
	// Link is the local page that shows it; viewing that page marks the update seen.
	Link string
	Seen bool
	// Joint is set on an update that suggests doing something together.
	Joint bool
	// Detail is a short label for the page only (the device of a new sign-in): never personal text.
	Detail string
}

// Source lists the updates one feature has for the person; m is nil when they have no couple.
type Source func(ctx context.Context, userID string, m *couple.Membership, since time.Time) ([]Update, error)

// Sources are the features' updates and the low-safety check.
type Sources struct {
	List []Source
	// LowSafety reports whether the member's latest safety answer in the couple is low.
	LowSafety func(ctx context.Context, m *couple.Membership) (bool, error)
}

// mark is one seen-mark.
type mark struct {
	UserID string
	Mark   string
	SeenAt time.Time
}

func (mark) TableName() string { return "update_marks" }

// pagePrefix starts the mark of a page view.
const pagePrefix = "page:"

// Service derives the updates and keeps the seen-marks.
type Service struct {
	db  *gorm.DB
	now func() time.Time
	src Sources
}

// NewService returns a Service over db.
func NewService(db *gorm.DB, now func() time.Time, src Sources) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now, src: src}
}

// For returns userID's updates, newest first, each marked seen or not. m is their current couple or nil.
func (s *Service) For(ctx context.Context, userID string, m *couple.Membership) ([]Update, error) {
	now := s.now()
	since := now.Add(-Window)
	low := false
	if m != nil && s.src.LowSafety != nil {
		var err error
		if low, err = s.src.LowSafety(ctx, m); err != nil {
			return nil, err
		}
	}
	var all []Update
	for _, src := range s.src.List {
		got, err := src(ctx, userID, m, since)
		if err != nil {
			return nil, err
		}
		for _, u := range got {
			if (low && u.Joint) || u.At.Before(since) {
				continue
			}
			all = append(all, u)
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	marks, err := s.marks(ctx, userID)
	if err != nil {
		return nil, err
	}
	for i := range all {
		u := &all[i]
		_, byID := marks[u.ID]
		page, byPage := marks[pagePrefix+pagePath(u.Link)]
		u.Seen = byID || (byPage && !page.Before(u.At))
	}
	sort.SliceStable(all, func(i, j int) bool {
		if !all[i].At.Equal(all[j].At) {
			return all[i].At.After(all[j].At)
		}
		return all[i].ID < all[j].ID
	})
	return all, nil
}

// marks returns when userID saw each of their marks of the last Window. It runs on every view of the
// dashboard, so it reads the two columns it needs and scans them by hand (no reflection over rows).
func (s *Service) marks(ctx context.Context, userID string) (map[string]time.Time, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT mark, seen_at FROM update_marks WHERE user_id = ? AND seen_at >= ?`,
		userID, s.now().Add(-Window).UTC()).Rows()
	if err != nil {
		return nil, fmt.Errorf("updates: marks: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var m mark
		if err := rows.Scan(&m.Mark, &m.SeenAt); err != nil {
			return nil, fmt.Errorf("updates: marks: %w", err)
		}
		out[m.Mark] = m.SeenAt
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("updates: marks: %w", err)
	}
	return out, nil
}

// pagePath is a link without its fragment or query: the page that shows it.
func pagePath(link string) string {
	if i := strings.IndexAny(link, "#?"); i >= 0 {
		return link[:i]
	}
	return link
}

// ErrUnknown answers marking an id that is not one of the person's updates.
var ErrUnknown = apperr.Fields(map[string]string{"ids": "That is not one of your updates."})

// MarkSeen marks userID's updates with the given ids seen, or every one of them when ids is empty. An
// id that is not one of their current updates is refused (apperr.Invalid on "ids") and nothing is marked.
func (s *Service) MarkSeen(ctx context.Context, userID string, m *couple.Membership, ids []string) error {
	list, err := s.For(ctx, userID, m)
	if err != nil {
		return err
	}
	mine := make(map[string]bool, len(list))
	for _, u := range list {
		mine[u.ID] = true
	}
	if len(ids) == 0 {
		for _, u := range list {
			ids = append(ids, u.ID)
		}
	}
	for _, id := range ids {
		if !mine[id] {
			return ErrUnknown
		}
	}
	return s.put(ctx, userID, ids...)
}

// MarkPage records that userID viewed the page at path: every update linking there, up to now, is seen.
func (s *Service) MarkPage(ctx context.Context, userID, path string) error {
	return s.put(ctx, userID, pagePrefix+pagePath(path))
}

func (s *Service) put(ctx context.Context, userID string, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	now := s.now().UTC()
	rows := make([]mark, 0, len(keys))
	for _, k := range keys {
		rows = append(rows, mark{UserID: userID, Mark: k, SeenAt: now})
	}
	db := s.db.WithContext(ctx)
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}, {Name: "mark"}},
			DoUpdates: clause.AssignmentColumns([]string{"seen_at"})}).Create(&rows).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ? AND seen_at < ?", userID, now.Add(-Window)).Delete(&mark{}).Error
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("updates: mark: %w", err)
	}
	return err
}

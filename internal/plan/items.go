package plan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/token"

	"github.com/mendhq/mend/internal/couple"
)

// MaxCustomItems is how many items a couple may add to the plan.
const MaxCustomItems = 50

// Item is a stored plan item: a custom one, or one of the article's five once someone has marked it.
// DoneAt is when the second partner marked it done; it is nil while fewer than both have.
type Item struct {
	CoupleID  string
	ID        string
	Starter   string
	CreatedBy *string
	Title     string
	Notes     string
	Position  int
	CreatedAt time.Time
	DoneAt    *time.Time
}

// TableName names the items table.
func (Item) TableName() string { return "plan_items" }

// Mark is one person's own marks on an item; DoneAt is when they marked it done, nil when they have not.
type Mark struct {
	CoupleID  string
	ItemID    string
	UserID    string
	DidMyPart bool
	Noticed   bool
	DoneAt    *time.Time
	UpdatedAt time.Time
}

// TableName names the marks table.
func (Mark) TableName() string { return "plan_marks" }

// Event is one entry of an item's history.
type Event struct {
	ID        string
	CoupleID  string
	ItemID    string
	UserID    string
	What      string
	CreatedAt time.Time
}

// TableName names the history table.
func (Event) TableName() string { return "plan_events" }

// Marks are one person's "I did my part", "I noticed it" and "done" (their own say that the item is
// done; the item is done once both have said so).
type Marks struct {
	DidMyPart bool
	Noticed   bool
	Done      bool
}

// HistoryEntry is one change to an item, as a person sees it.
type HistoryEntry struct {
	What string
	ByMe bool
	At   time.Time
}

// ItemView is a plan item with its evidence and both people's marks.
type ItemView struct {
	ID      string
	Title   string
	Notes   string
	Starter string
	// CreatedByMe is set on custom items the asking user added.
	CreatedByMe bool
	Position    int
	// Done is set once both partners have marked the item done; DoneAt is when the second did.
	Done   bool
	DoneAt *time.Time
	// Evidence is what the app shows about this item; nil for custom items.
	Evidence *Evidence
	Mine     Marks
	// Partner is nil while the couple waits for the partner.
	Partner *Marks
	History []HistoryEntry
	// Guide links to the guidance step; Action to the feature that does it (both may be empty).
	Guide, GuideLabel   string
	Action, ActionLabel string
	// ForYou is a line tailored to the asking user's role, or empty.
	ForYou string
}

// ItemInput is a new custom item.
type ItemInput struct {
	Title string
	Notes string
}

// ItemChange changes the asking user's own marks on an item (Done is their own "done"); nil fields are
// left alone.
type ItemChange struct {
	Done      *bool
	DidMyPart *bool
	Noticed   *bool
}

// storedItems returns the couple's stored items, opened, read by one statement naming its columns and
// scanned by hand.
func (s *Service) storedItems(ctx context.Context, coupleID string) ([]Item, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT id, starter, created_by, title, notes, position, created_at, done_at
		FROM plan_items WHERE couple_id = ?`, coupleID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// One row's columns, scanned into the same variables row after row.
	var r struct {
		it        Item
		createdBy sql.NullString
		doneAt    sql.NullTime
	}
	dest := []any{&r.it.ID, &r.it.Starter, &r.createdBy, &r.it.Title, &r.it.Notes, &r.it.Position, &r.it.CreatedAt, &r.doneAt}
	// A couple stores a handful of items: the starters they marked and a few of their own.
	out := make([]Item, 0, 8)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		it := r.it
		it.CoupleID = coupleID
		if r.createdBy.Valid {
			by := r.createdBy.String
			it.CreatedBy = &by
		}
		if r.doneAt.Valid {
			at := r.doneAt.Time
			it.DoneAt = &at
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.openItems(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// items returns every item of the couple, the five starters first, without evidence. With detail it
// adds both people's marks and each item's history (the plan page); without, it reads the items only
// (the dashboard card and the progress page, which show what is done and what is next).
func (s *Service) items(ctx context.Context, sc *couple.Membership, detail bool) ([]ItemView, error) {
	stored, err := s.storedItems(ctx, sc.Couple.ID)
	if err != nil {
		return nil, err
	}
	var marks []Mark
	var events []Event
	if detail {
		if err := s.db.WithContext(ctx).Where("couple_id = ?", sc.Couple.ID).Find(&marks).Error; err != nil {
			return nil, err
		}
		if err := s.db.WithContext(ctx).Where("couple_id = ?", sc.Couple.ID).Order("created_at, id").Find(&events).Error; err != nil {
			return nil, err
		}
	}
	out := make([]ItemView, 0, len(starters)+len(stored))
	for _, st := range starters {
		v := ItemView{ID: st.ID, Title: st.Title, Starter: st.ID, Position: st.Position, Guide: st.Guide, GuideLabel: st.GuideLabel,
			Action: st.Action, ActionLabel: st.ActionLabel, ForYou: st.forRole(sc.Me.Role)}
		for i := range stored {
			if r := &stored[i]; r.ID == st.ID {
				v.Done, v.DoneAt = r.DoneAt != nil, r.DoneAt
				break
			}
		}
		out = append(out, v)
	}
	for _, r := range stored {
		if r.Starter != "" {
			continue
		}
		out = append(out, ItemView{ID: r.ID, Title: r.Title, Notes: r.Notes, Position: r.Position, Done: r.DoneAt != nil, DoneAt: r.DoneAt,
			CreatedByMe: r.CreatedBy != nil && *r.CreatedBy == sc.Me.UserID})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Position < out[j].Position })
	if sc.PartnerID() != "" {
		// The partner's marks, none yet, in one array.
		partner := make([]Marks, len(out))
		for i := range out {
			out[i].Partner = &partner[i]
		}
	}
	if !detail {
		return out, nil
	}
	byID := make(map[string]*ItemView, len(out))
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for _, m := range marks {
		v := byID[m.ItemID]
		switch {
		case v == nil:
		case m.UserID == sc.Me.UserID:
			v.Mine = Marks{DidMyPart: m.DidMyPart, Noticed: m.Noticed, Done: m.DoneAt != nil}
		case m.UserID == sc.PartnerID():
			v.Partner = &Marks{DidMyPart: m.DidMyPart, Noticed: m.Noticed, Done: m.DoneAt != nil}
		}
	}
	for _, e := range events {
		if v := byID[e.ItemID]; v != nil && (e.UserID == sc.Me.UserID || e.UserID == sc.PartnerID()) {
			v.History = append(v.History, HistoryEntry{What: e.What, ByMe: e.UserID == sc.Me.UserID, At: e.CreatedAt})
		}
	}
	return out, nil
}

// AddItem adds a custom item to the couple's plan.
func (s *Service) AddItem(ctx context.Context, sc *couple.Membership, in ItemInput) (*ItemView, error) {
	f := apperr.Form{}
	in.Title = text.Clean(f, "title", in.Title, text.Rule{Max: MaxTitle, Missing: "Give the item a short title."})
	in.Notes = text.Clean(f, "notes", in.Notes, text.Rule{Max: MaxNotes, Multiline: true})
	if err := f.Err(); err != nil {
		return nil, err
	}
	var it Item
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		var maxPos *int
		if err := tx.Model(&Item{}).Where("couple_id = ? AND starter = ''", sc.Couple.ID).Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxCustomItems {
			return apperr.Fields(map[string]string{"title": fmt.Sprintf("A plan can hold %d items of your own. Mark some done, or fold them together.", MaxCustomItems)})
		}
		if err := tx.Model(&Item{}).Where("couple_id = ?", sc.Couple.ID).Select("MAX(position)").Scan(&maxPos).Error; err != nil {
			return err
		}
		pos := 100
		if maxPos != nil && *maxPos >= pos {
			pos = *maxPos + 1
		}
		uid := sc.Me.UserID
		it = Item{CoupleID: sc.Couple.ID, ID: token.ID(), CreatedBy: &uid, Title: in.Title, Notes: in.Notes, Position: pos, CreatedAt: s.nowUTC()}
		stored := it
		if err := s.sealItem(ctx, &stored); err != nil {
			return err
		}
		return tx.Create(&stored).Error
	})
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("plan: add item: %w", err)
	}
	return s.Item(ctx, sc, it.ID)
}

// ensureItem returns the stored item id, creating the row of a starter the first time it is marked;
// apperr.NotFound when id is neither a starter nor one of the couple's items.
func (s *Service) ensureItem(ctx context.Context, tx *gorm.DB, sc *couple.Membership, id string) (*Item, error) {
	var it Item
	err := tx.WithContext(ctx).Where("couple_id = ? AND id = ?", sc.Couple.ID, id).Take(&it).Error
	if err == nil {
		if err := s.openItem(ctx, &it); err != nil {
			return nil, err
		}
		return &it, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	st := starterByID(id)
	if st == nil {
		return nil, apperr.NotFoundf("That plan item")
	}
	it = Item{CoupleID: sc.Couple.ID, ID: st.ID, Starter: st.ID, Position: st.Position, CreatedAt: s.nowUTC()}
	if err := tx.Create(&it).Error; err != nil {
		return nil, err
	}
	return &it, nil
}

// Item returns one item with its evidence; apperr.NotFound when it is not the couple's.
func (s *Service) Item(ctx context.Context, sc *couple.Membership, id string) (*ItemView, error) {
	p, err := s.Plan(ctx, sc)
	if err != nil {
		return nil, err
	}
	for i := range p.Items {
		if p.Items[i].ID == id {
			return &p.Items[i], nil
		}
	}
	return nil, apperr.NotFoundf("That plan item")
}

package plan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/text"
	"github.com/mendhq/mend/internal/token"

	"github.com/mendhq/mend/internal/couple"
)

// Acknowledgment is one person's acknowledgment in a couple (article step 1).
type Acknowledgment struct {
	ID        string
	CoupleID  string
	AuthorID  string
	CreatedAt time.Time
}

// AckVersion is one saved version of an acknowledgment; it is a private draft until SharedAt is set.
type AckVersion struct {
	AcknowledgmentID string
	Number           int
	WhatHappened     string
	Responsibility   string
	Impact           string
	// Commitments holds one commitment per line.
	Commitments string
	CreatedAt   time.Time
	SharedAt    *time.Time
}

// TableName names the versions table.
func (AckVersion) TableName() string { return "acknowledgment_versions" }

// SharedTime returns when the version was shared, or the zero time.
func (v AckVersion) SharedTime() time.Time {
	if v.SharedAt == nil {
		return time.Time{}
	}
	return *v.SharedAt
}

// AckResponse is the other partner's answer to a shared version.
type AckResponse struct {
	ID               string
	AcknowledgmentID string
	Version          int
	ResponderID      string
	Status           string
	Note             string
	CreatedAt        time.Time
}

// TableName names the responses table.
func (AckResponse) TableName() string { return "acknowledgment_responses" }

// Response statuses (DESIGN §2.5): forgiveness is not a button.
const (
	ResponseRead     = "read"
	ResponseNeedMore = "need_more"
)

// AckText is what an acknowledgment says.
type AckText struct {
	WhatHappened   string
	Responsibility string
	Impact         string
	Commitments    []string
}

// Text returns what the version says.
func (v AckVersion) Text() AckText {
	return AckText{WhatHappened: v.WhatHappened, Responsibility: v.Responsibility, Impact: v.Impact, Commitments: splitLines(v.Commitments)}
}

func splitLines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (t AckText) same(v AckVersion) bool {
	return t.WhatHappened == v.WhatHappened && t.Responsibility == v.Responsibility && t.Impact == v.Impact &&
		strings.Join(t.Commitments, "\n") == v.Commitments
}

// MyAck is the author's own acknowledgment: every version, and the latest response to it.
type MyAck struct {
	ID       string
	Text     AckText
	Version  int
	Versions []AckVersion // oldest first
	// Shared is the latest shared version, or nil while everything is a private draft.
	Shared    *AckVersion
	UpdatedAt time.Time
	// Response is the partner's latest response, or nil.
	Response *AckResponse
}

// DraftAhead reports whether the current text is newer than what the partner sees.
func (m *MyAck) DraftAhead() bool { return m.Shared == nil || m.Shared.Number != m.Version }

// PartnerAck is the partner's acknowledgment as the reader sees it: only its latest shared version.
type PartnerAck struct {
	ID       string
	AuthorID string
	Text     AckText
	Version  int
	SharedAt time.Time
	// MyResponse is the reader's latest response, or nil.
	MyResponse *AckResponse
}

// AckPage is everything the acknowledgment page and API show one person.
type AckPage struct {
	Mine    *MyAck
	Partner *PartnerAck
	// Hints are about Mine's current text.
	Hints []Hint
}

// validate cleans t; sharing needs every part, a draft needs something written.
func (t AckText) validate(share bool) (AckText, error) {
	f := apperr.Form{}
	need := func(msg string) string {
		if share {
			return msg
		}
		return ""
	}
	t.WhatHappened = text.Clean(f, "what_happened", t.WhatHappened, text.Rule{Max: MaxLong, Multiline: true, Missing: need("Say specifically what happened before sharing.")})
	t.Responsibility = text.Clean(f, "responsibility", t.Responsibility, text.Rule{Max: MaxLong, Multiline: true, Missing: need("Say what you take responsibility for before sharing.")})
	t.Impact = text.Clean(f, "impact", t.Impact, text.Rule{Max: MaxLong, Multiline: true, Missing: need("Say what impact you understand it had before sharing.")})
	var list []string
	for _, c := range t.Commitments {
		for _, l := range splitLines(c) {
			if l = text.Clean(f, "commitments", l, text.Rule{Max: MaxCommitment, Multiline: true}); !text.Blank(l) {
				list = append(list, l)
			}
		}
	}
	switch {
	case len(list) > MaxCommitments:
		f.Add("commitments", fmt.Sprintf("List at most %d commitments.", MaxCommitments))
	case share && len(list) == 0:
		f.Add("commitments", "Name at least one commitment to change before sharing.")
	}
	t.Commitments = list
	if !share && len(f) == 0 && text.Blank(t.WhatHappened) && text.Blank(t.Responsibility) && text.Blank(t.Impact) && len(list) == 0 {
		f.Add("what_happened", "Write something before saving.")
	}
	return t, f.Err()
}

func (s *Service) findAck(ctx context.Context, db *gorm.DB, coupleID, authorID string) (*Acknowledgment, error) {
	var a Acknowledgment
	err := db.WithContext(ctx).Where("couple_id = ? AND author_id = ?", coupleID, authorID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// latestResponse returns responderID's latest response to the acknowledgment ackID, opened, or nil.
func (s *Service) latestResponse(ctx context.Context, ackID, responderID string) (*AckResponse, error) {
	var r AckResponse
	err := s.db.WithContext(ctx).Where("acknowledgment_id = ? AND responder_id = ?", ackID, responderID).
		Order("created_at DESC, id DESC").Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := s.openResponse(ctx, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// coupleAcks returns the asking user's acknowledgment and the partner's (nil when there is none, or no
// partner), read in one statement naming its columns; CreatedAt is left zero.
func (s *Service) coupleAcks(ctx context.Context, sc *couple.Membership) (mine, partner *Acknowledgment, err error) {
	partnerID := sc.PartnerID()
	if partnerID == "" {
		// Without a partner the user is asked for twice: the statement keeps its shape.
		partnerID = sc.Me.UserID
	}
	rows, err := s.db.WithContext(ctx).Raw("SELECT id, author_id FROM acknowledgments WHERE couple_id = ? AND author_id IN (?, ?)",
		sc.Couple.ID, sc.Me.UserID, partnerID).Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		a := &Acknowledgment{CoupleID: sc.Couple.ID}
		if err := rows.Scan(&a.ID, &a.AuthorID); err != nil {
			return nil, nil, err
		}
		switch a.AuthorID {
		case sc.Me.UserID:
			mine = a
		case sc.PartnerID():
			partner = a
		}
	}
	return mine, partner, rows.Err()
}

func (s *Service) mine(ctx context.Context, sc *couple.Membership) (*MyAck, error) {
	a, err := s.findAck(ctx, s.db, sc.Couple.ID, sc.Me.UserID)
	if err != nil || a == nil {
		return nil, err
	}
	return s.mineOf(ctx, sc, a)
}

// mineOf is mine for the user's acknowledgment a.
func (s *Service) mineOf(ctx context.Context, sc *couple.Membership, a *Acknowledgment) (*MyAck, error) {
	var err error
	var vs []AckVersion
	if err := s.db.WithContext(ctx).Where("acknowledgment_id = ?", a.ID).Order("number").Find(&vs).Error; err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, nil
	}
	if err := s.openVersions(ctx, vs); err != nil {
		return nil, err
	}
	cur := vs[len(vs)-1]
	m := &MyAck{ID: a.ID, Text: cur.Text(), Version: cur.Number, Versions: vs, UpdatedAt: cur.CreatedAt}
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].SharedAt != nil {
			m.Shared = &vs[i]
			break
		}
	}
	if m.Shared != nil && sc.PartnerID() != "" {
		if m.Response, err = s.latestResponse(ctx, a.ID, sc.PartnerID()); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// partnerShared returns the partner's latest shared version, or nil when nothing is shared.
func (s *Service) partnerShared(ctx context.Context, sc *couple.Membership) (*PartnerAck, error) {
	if sc.PartnerID() == "" {
		return nil, nil
	}
	a, err := s.findAck(ctx, s.db, sc.Couple.ID, sc.PartnerID())
	if err != nil || a == nil {
		return nil, err
	}
	return s.partnerSharedOf(ctx, sc, a)
}

// partnerSharedOf is partnerShared for the partner's acknowledgment a.
func (s *Service) partnerSharedOf(ctx context.Context, sc *couple.Membership, a *Acknowledgment) (*PartnerAck, error) {
	var v AckVersion
	err := s.db.WithContext(ctx).Where("acknowledgment_id = ? AND shared_at IS NOT NULL", a.ID).Order("number DESC").Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := s.openVersion(ctx, &v); err != nil {
		return nil, err
	}
	p := &PartnerAck{ID: a.ID, AuthorID: a.AuthorID, Text: v.Text(), Version: v.Number, SharedAt: *v.SharedAt}
	if p.MyResponse, err = s.latestResponse(ctx, a.ID, sc.Me.UserID); err != nil {
		return nil, err
	}
	return p, nil
}

// Acknowledgment returns the user's own acknowledgment and the partner's shared one.
func (s *Service) Acknowledgment(ctx context.Context, sc *couple.Membership) (*AckPage, error) {
	myAck, partnerAck, err := s.coupleAcks(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("plan: acknowledgment: %w", err)
	}
	p := &AckPage{}
	if myAck != nil {
		if p.Mine, err = s.mineOf(ctx, sc, myAck); err != nil {
			return nil, fmt.Errorf("plan: acknowledgment: %w", err)
		}
	}
	if partnerAck != nil {
		if p.Partner, err = s.partnerSharedOf(ctx, sc, partnerAck); err != nil {
			return nil, fmt.Errorf("plan: acknowledgment: %w", err)
		}
	}
	mine := p.Mine
	if mine != nil {
		p.Hints = Hints(mine.Text)
	}
	return p, nil
}

// SaveAcknowledgment saves the user's text as a new version when it changed, and shares the latest
// version when share is set. Hints are returned with the page; they never block.
func (s *Service) SaveAcknowledgment(ctx context.Context, sc *couple.Membership, t AckText, share bool) (*AckPage, error) {
	t, err := t.validate(share)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := s.findAck(ctx, tx, sc.Couple.ID, sc.Me.UserID)
		if err != nil {
			return err
		}
		if a == nil {
			a = &Acknowledgment{ID: token.ID(), CoupleID: sc.Couple.ID, AuthorID: sc.Me.UserID, CreatedAt: now}
			if err := tx.Create(a).Error; err != nil {
				return err
			}
		}
		var cur AckVersion
		err = tx.Where("acknowledgment_id = ?", a.ID).Order("number DESC").Take(&cur).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if cur.Number > 0 {
			if err := s.openVersion(ctx, &cur); err != nil {
				return err
			}
		}
		if cur.Number > 0 && t.same(cur) {
			if share && cur.SharedAt == nil {
				return tx.Model(&AckVersion{}).Where("acknowledgment_id = ? AND number = ?", a.ID, cur.Number).Update("shared_at", now).Error
			}
			return nil
		}
		v := AckVersion{AcknowledgmentID: a.ID, Number: cur.Number + 1, WhatHappened: t.WhatHappened, Responsibility: t.Responsibility,
			Impact: t.Impact, Commitments: strings.Join(t.Commitments, "\n"), CreatedAt: now}
		if share {
			v.SharedAt = &now
		}
		if err := s.sealVersion(ctx, a.AuthorID, &v); err != nil {
			return err
		}
		return tx.Create(&v).Error
	})
	if err != nil {
		return nil, fmt.Errorf("plan: save acknowledgment: %w", err)
	}
	return s.Acknowledgment(ctx, sc)
}

package agreement

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"

	"github.com/mendhq/mend/internal/couple"
)

// consent runs fn on the agreement inside one transaction, then returns the agreement as it is now.
func (s *Service) consent(ctx context.Context, sc *couple.Membership, id, what string, fn func(tx *gorm.DB, v *View) error) (*View, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockAgreement(tx, id, sc.Couple.ID); err != nil {
			return err
		}
		v, err := s.get(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := fn(tx, v); err != nil {
			return err
		}
		return keepFacts(tx, id)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = ErrStale
	}
	if err != nil {
		if apperr.As(err) != nil {
			return nil, err
		}
		return nil, fmt.Errorf("agreement: %s: %w", what, err)
	}
	return s.Get(ctx, sc, id)
}

// Accept records the user's acceptance of exactly version. A version other than the latest is ErrStale;
// accepting twice changes nothing; a withdrawn or ended agreement needs a new version first (409).
func (s *Service) Accept(ctx context.Context, sc *couple.Membership, id string, version int, note string) (*View, error) {
	note, err := CheckNote(note)
	if err != nil {
		return nil, err
	}
	return s.consent(ctx, sc, id, "accept", func(tx *gorm.DB, v *View) error {
		if version != v.Current.Number {
			return ErrStale
		}
		switch {
		case v.Status == StatusWithdrawn:
			return apperr.New(apperr.Conflict, "Consent to this version was withdrawn. Propose a new version to start again.")
		case v.Status == StatusEnded:
			return apperr.New(apperr.Conflict, "This agreement's period has ended. Propose a new version with a new end date to continue it.")
		case v.AcceptedBy[sc.Me.UserID]:
			return nil
		}
		if err := s.appendEvent(ctx, tx, Event{AgreementID: v.ID, Version: version, ActorID: sc.Me.UserID, Action: ActionAccepted, Note: note, CreatedAt: s.nowUTC()}); err != nil {
			return err
		}
		if len(v.AcceptedBy) >= 1 {
			// Two people have accepted it now: it is a joint text (sealed.go).
			return s.sealJoint(ctx, tx, v.CoupleID, v.Current)
		}
		return nil
	})
}

// Withdraw records that the user withdraws consent to the current version (proposed or active). Only
// someone who accepted the current version has consent to withdraw; anyone else gets a conflict (409).
func (s *Service) Withdraw(ctx context.Context, sc *couple.Membership, id, note string) (*View, error) {
	note, err := CheckNote(note)
	if err != nil {
		return nil, err
	}
	return s.consent(ctx, sc, id, "withdraw", func(tx *gorm.DB, v *View) error {
		if v.Status != StatusProposed && v.Status != StatusActive {
			return apperr.New(apperr.Conflict, "This agreement is not in force, so there is nothing to withdraw.")
		}
		if !v.CanWithdraw(sc.Me.UserID) {
			return apperr.New(apperr.Conflict, "You have not accepted the latest version, so there is no consent of yours to withdraw. You can suggest changes instead.")
		}
		return s.appendEvent(ctx, tx, Event{AgreementID: v.ID, Version: v.Current.Number, ActorID: sc.Me.UserID, Action: ActionWithdrawn, Note: note, CreatedAt: s.nowUTC()})
	})
}

// Review records that the user looked at the agreement again and sets the next review date.
func (s *Service) Review(ctx context.Context, sc *couple.Membership, id, nextReviewOn, note string) (*View, error) {
	f := apperr.Form{}
	nextReviewOn = strings.TrimSpace(nextReviewOn)
	checkFutureDate(f, "next_review_on", nextReviewOn, s.Today(sc), MaxReviewMonths, "Choose when to look at this again.")
	note, nerr := CheckNote(note)
	if e := apperr.As(nerr); e != nil {
		for k, m := range e.Fields {
			f.Add(k, m)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	next := nextReviewOn
	return s.consent(ctx, sc, id, "review", func(tx *gorm.DB, v *View) error {
		if !v.CanReview() {
			return apperr.New(apperr.Conflict, "Only an agreement you both hold, or one whose period has ended, can be reviewed. Accept or propose a version first.")
		}
		return s.appendEvent(ctx, tx, Event{AgreementID: v.ID, Version: v.Current.Number, ActorID: sc.Me.UserID, Action: ActionReviewed, Note: note, NextReviewOn: &next, CreatedAt: s.nowUTC()})
	})
}

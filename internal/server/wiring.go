package server

import (
	"context"
	"time"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
)

// activeAgreements lets a check-in ask about the couple's active agreements (DESIGN §2.4).
func (s *Server) activeAgreements() checkin.ActiveAgreements {
	svc := agreement.NewService(s.db, s.now)
	return func(ctx context.Context, coupleID string, loc *time.Location) ([]checkin.AgreementRef, error) {
		active, err := svc.Active(ctx, agreement.Scope{CoupleID: coupleID, Loc: loc})
		if err != nil {
			return nil, err
		}
		refs := make([]checkin.AgreementRef, 0, len(active))
		for _, a := range active {
			refs = append(refs, checkin.AgreementRef{ID: a.ID, Title: a.Current.Title})
		}
		return refs, nil
	}
}

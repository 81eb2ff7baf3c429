package plan

import "context"

// safetyMemo keeps, for one request, whether the asking person's latest safety answer is low, so a page
// that shows several features' cards (the home page) asks the check-ins once. It lives in the request's
// context only, so nothing is shared between requests or people. Cards are drawn one after another, so
// it needs no lock.
type safetyMemo struct {
	coupleID, userID string
	known, low       bool
}

type safetyMemoKey struct{}

// WithSafetyMemo returns ctx with room to remember LowSafety's answer for the rest of the request.
func WithSafetyMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, safetyMemoKey{}, &safetyMemo{})
}

// LowSafety reports whether the asking user's latest safety answer in the couple is low (3 or less).
// While it is, no view suggests a joint exercise to them (DESIGN §2.4); the joint features stay there to
// use. Within a request given WithSafetyMemo the check-ins are asked once.
func (s *Service) LowSafety(ctx context.Context, sc Scope) (bool, error) {
	m, _ := ctx.Value(safetyMemoKey{}).(*safetyMemo)
	if m != nil && m.known && m.coupleID == sc.CoupleID && m.userID == sc.UserID {
		return m.low, nil
	}
	low, err := s.src.LowSafety(ctx, sc.CoupleID, sc.UserID)
	if err != nil {
		return false, err
	}
	if m != nil {
		*m = safetyMemo{coupleID: sc.CoupleID, userID: sc.UserID, known: true, low: low}
	}
	return low, nil
}

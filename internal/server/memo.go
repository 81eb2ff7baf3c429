package server

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/agreement"
)

// requestMemo keeps, for one request, what more than one feature reads, so a page that shows several
// features' cards (the dashboard) reads it once. It lives in the request's context only: nothing is
// shared between requests, so nothing can go stale or cross from one person to another.
type requestMemo struct {
	summariesOf string // the couple the summaries are of; empty until they are read
	summaries   []agreement.View
}

type memoKey struct{}

// withMemo gives the request a memo; features then share what they read through it.
func withMemo(c *fiber.Ctx) {
	c.SetUserContext(context.WithValue(c.UserContext(), memoKey{}, &requestMemo{}))
}

// agreementSummaries returns the couple's agreement summaries, read once per request when the request
// has a memo. Hooks run one after another, so the memo needs no lock.
func agreementSummaries(ctx context.Context, svc *agreement.Service, sc agreement.Scope) ([]agreement.View, error) {
	m, _ := ctx.Value(memoKey{}).(*requestMemo)
	if m != nil && m.summariesOf == sc.CoupleID {
		return m.summaries, nil
	}
	views, err := svc.Summaries(ctx, sc)
	if err == nil && m != nil {
		m.summariesOf, m.summaries = sc.CoupleID, views
	}
	return views, err
}

package testutil

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/token"
)

// AddUser inserts a user named name straight into db (no password hashing, so service tests stay fast)
// and returns their id.
func AddUser(t testing.TB, db *gorm.DB, name string) string {
	t.Helper()
	id := token.ID()
	now := time.Now().UTC()
	err := db.Exec("INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?)",
		id, id+"@example.org", name, now, now).Error
	if err != nil {
		t.Fatalf("user: %v", err)
	}
	return id
}

// Pair is a couple of two users made through the couple service, for feature packages' service tests.
type Pair struct {
	Couples  *couple.Service
	CoupleID string
	A, B     string // user ids
}

// NewPair makes users named A and B and a couple of them in Europe/London with Sunday check-ins; with
// solo set, B is made but has not joined.
func NewPair(t testing.TB, db *gorm.DB, now func() time.Time, solo bool) Pair {
	t.Helper()
	ctx := context.Background()
	p := Pair{Couples: couple.NewService(db, now), A: AddUser(t, db, "A"), B: AddUser(t, db, "B")}
	c, err := p.Couples.Start(ctx, p.A, "Europe/London", "sunday")
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	p.CoupleID = c.ID
	if !solo {
		p.Join(t)
	}
	return p
}

// Join has B join the couple with an invite from A.
func (p Pair) Join(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	tok, _, err := p.Couples.CreateInvite(ctx, p.CoupleID, p.A)
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	if _, err := p.Couples.Join(ctx, p.B, tok); err != nil {
		t.Fatalf("join: %v", err)
	}
}

// Member returns userID's current membership (as the server hands it to a feature's service).
func (p Pair) Member(t testing.TB, userID string) *couple.Membership {
	t.Helper()
	m, err := p.Couples.Current(context.Background(), userID)
	if err != nil || m == nil {
		t.Fatalf("membership of %s: %v (%v)", userID, m, err)
	}
	return m
}

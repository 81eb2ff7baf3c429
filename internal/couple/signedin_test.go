package couple_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/testutil"
)

// TestSignedInReadsTheCoupleWithTheSession checks the lookup every signed-in request makes: one
// statement answers with the live session, its user and the user's current couple (the membership
// Current finds, or none), and a session that is not live, or not the user's, is refused as
// CheckSession refuses it, with no couple.
func TestSignedInReadsTheCoupleWithTheSession(t *testing.T) {
	t.Parallel()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	accounts := account.NewService(db, account.Options{Now: clock.Now, IdleTimeout: time.Hour, AbsoluteTimeout: 24 * time.Hour})
	svc := couple.NewService(db, clock.Now)
	register := func(email, name string) (*account.User, *account.Session) {
		t.Helper()
		u, err := accounts.Register(ctx, email, "a long and quiet password", name)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := accounts.CreateSession(ctx, u.ID, account.KindBrowser, "Firefox on Linux")
		if err != nil {
			t.Fatal(err)
		}
		return u, sess
	}
	a, sa := register("a@example.org", "Ada")
	b, sb := register("b@example.org", "Bo")
	c, sc := register("c@example.org", "Cy")
	cp, err := svc.Start(ctx, a.ID, "Europe/Paris", "sunday")
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.CreateInvite(ctx, cp.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Join(ctx, b.ID, tok); err != nil {
		t.Fatal(err)
	}
	revoked, err := accounts.CreateSession(ctx, a.ID, account.KindAPI, "curl")
	if err != nil {
		t.Fatal(err)
	}
	if err := accounts.Revoke(ctx, a.ID, revoked.ID); err != nil {
		t.Fatal(err)
	}
	statements := testutil.CountStatements(t, db)

	live := func(t *testing.T, user *account.User, sess *account.Session) {
		t.Helper()
		want, err := svc.Current(ctx, user.ID)
		if err != nil {
			t.Fatal(err)
		}
		var gotSess *account.Session
		var gotUser *account.User
		var m *couple.Membership
		ran := statements.During(func() { gotSess, gotUser, m, err = svc.SignedIn(ctx, accounts, sess.ID, user.ID) })
		if err != nil {
			t.Fatal(err)
		}
		if len(ran) != 1 {
			t.Errorf("%d statements, want 1:\n%s", len(ran), strings.Join(ran, "\n"))
		}
		if gotSess.ID != sess.ID || gotUser.ID != user.ID || gotUser.DisplayName != user.DisplayName || gotUser.Email != user.Email {
			t.Errorf("session %+v, user %+v", gotSess, gotUser)
		}
		switch {
		case want == nil && m != nil:
			t.Errorf("membership %+v, want none", m)
		case want != nil && m == nil:
			t.Errorf("no membership, want %+v", want)
		case want != nil:
			if m.Couple != want.Couple || m.Me != want.Me || m.Location.String() != want.Location.String() ||
				(m.Partner == nil) != (want.Partner == nil) || (m.Partner != nil && *m.Partner != *want.Partner) {
				t.Errorf("membership %+v (partner %+v), want %+v (partner %+v)", m, m.Partner, want, want.Partner)
			}
		}
	}
	refused := func(t *testing.T, sid, userID string) {
		t.Helper()
		sess, u, m, err := svc.SignedIn(ctx, accounts, sid, userID)
		if !apperr.Is(err, apperr.Unauthorized) || sess != nil || u != nil || m != nil {
			t.Errorf("session %+v, user %+v, membership %+v, error %v; want it refused", sess, u, m, err)
		}
	}

	t.Run("a member with a partner", func(t *testing.T) { live(t, a, sa) })
	t.Run("the partner", func(t *testing.T) { live(t, b, sb) })
	t.Run("no couple", func(t *testing.T) { live(t, c, sc) })
	t.Run("another user's session", func(t *testing.T) { refused(t, sa.ID, b.ID) })
	t.Run("unknown session", func(t *testing.T) { refused(t, "no-such-session", a.ID) })
	t.Run("revoked session", func(t *testing.T) { refused(t, revoked.ID, a.ID) })
	clock.Advance(2 * time.Hour)
	t.Run("idle session", func(t *testing.T) { refused(t, sc.ID, c.ID) })
	clock.Set(time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	if err := svc.Leave(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("after the partner left", func(t *testing.T) { live(t, a, sa) })
	t.Run("the partner who left", func(t *testing.T) { live(t, b, sb) })
}

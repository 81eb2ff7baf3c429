package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/token"
)

const pw = "a long and quiet password"

func newService(t *testing.T) (*account.Service, *testutil.Clock) {
	t.Helper()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	return account.NewService(db, account.Options{Now: clock.Now}), clock
}

func register(t *testing.T, s *account.Service, email string) *account.User {
	t.Helper()
	u, err := s.Register(context.Background(), email, pw, "Sam")
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return u
}

func TestRegisterNormalisesEmailAndRefusesDuplicates(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	u := register(t, s, "  Sam@Example.ORG ")
	if u.Email != "sam@example.org" {
		t.Errorf("email = %q", u.Email)
	}
	if _, err := s.Register(ctx, "sam@example.org", pw, "Other"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("duplicate email: %v, want conflict", err)
	}
	for _, tc := range []struct{ email, name, pass, field string }{
		{"not an email", "Sam", pw, "email"},
		{"x@example.org", "", pw, "display_name"},
		{"x@example.org", strings.Repeat("n", 61), pw, "display_name"},
		{"x@example.org", "Sam", "short", "password"},
	} {
		_, err := s.Register(ctx, tc.email, tc.pass, tc.name)
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Fields[tc.field] == "" {
			t.Errorf("Register(%q, %q): %v, want a %s field error", tc.email, tc.name, err, tc.field)
		}
	}
}

// TestResetTokens covers SECURITY A7 for password-reset links.
func TestResetTokens(t *testing.T) {
	t.Parallel()
	s, clock := newService(t)
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	if _, err := s.CreateResetToken(ctx, "nobody@example.org"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("reset for an unknown email: %v", err)
	}
	plain, err := s.CreateResetToken(ctx, "Sam@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) < 26 { // base32: 26 characters carry 130 bits
		t.Errorf("reset secret %d characters: fewer than 128 bits", len(plain))
	}
	if err := s.CheckResetToken(ctx, plain); err != nil {
		t.Errorf("fresh link: %v", err)
	}
	if err := s.CheckResetToken(ctx, token.Hash(plain)); err == nil {
		t.Error("the stored hash works as a link")
	}
	sess, err := s.CreateSession(ctx, u.ID, account.KindBrowser, "ua")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResetPassword(ctx, plain, "short"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("weak new password: %v", err)
	}
	if err := s.CheckResetToken(ctx, plain); err != nil {
		t.Errorf("a refused new password used up the link: %v", err)
	}
	id, err := s.ResetPassword(ctx, plain, "a brand new password")
	if err != nil || id != u.ID {
		t.Fatalf("reset: %q %v", id, err)
	}
	if _, err := s.Authenticate(ctx, "sam@example.org", "a brand new password"); err != nil {
		t.Errorf("new password does not work: %v", err)
	}
	if _, _, err := s.CheckSession(ctx, sess.ID, u.ID); err == nil {
		t.Error("a session survived the reset")
	}
	if _, err := s.ResetPassword(ctx, plain, "yet another new password"); err != account.ErrResetInvalid {
		t.Errorf("second use: %v", err)
	}

	expiring, _ := s.CreateResetToken(ctx, "sam@example.org")
	clock.Advance(account.ResetValidity - time.Second)
	if err := s.CheckResetToken(ctx, expiring); err != nil {
		t.Errorf("link refused before 30 minutes: %v", err)
	}
	clock.Advance(2 * time.Second)
	if err := s.CheckResetToken(ctx, expiring); err != account.ErrResetInvalid {
		t.Errorf("link after 30 minutes: %v", err)
	}

	pending, _ := s.CreateResetToken(ctx, "sam@example.org")
	keep, _ := s.CreateSession(ctx, u.ID, account.KindBrowser, "ua")
	if err := s.ChangePassword(ctx, u.ID, "a brand new password", "the newest password here", keep.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckResetToken(ctx, pending); err != account.ErrResetInvalid {
		t.Errorf("an outstanding reset link survived a password change: %v", err)
	}
}

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	s, clock := newService(t)
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	browser, _ := s.CreateSession(ctx, u.ID, account.KindBrowser, "ua")
	api, _ := s.CreateSession(ctx, u.ID, account.KindAPI, "curl/8")
	live := func(sess *account.Session) bool {
		_, _, err := s.CheckSession(ctx, sess.ID, u.ID)
		return err == nil
	}
	clock.Advance(29 * time.Minute)
	if !live(browser) {
		t.Fatal("browser session ended before the idle timeout")
	}
	clock.Advance(29 * time.Minute) // last seen 29 minutes ago
	if !live(browser) {
		t.Fatal("activity did not keep the browser session alive")
	}
	clock.Advance(31 * time.Minute)
	if live(browser) {
		t.Error("browser session outlived 30 idle minutes")
	}
	if !live(api) {
		t.Error("API session ended on idle time")
	}
	clock.Advance(7*24*time.Hour - 89*time.Minute - time.Second)
	if !live(api) {
		t.Error("API session ended before its absolute lifetime")
	}
	clock.Advance(2 * time.Second)
	if live(api) {
		t.Error("API session outlived the 7-day absolute lifetime")
	}
	if _, _, err := s.CheckSession(ctx, api.ID, "someone-else"); err == nil {
		t.Error("a session was accepted for another user id")
	}
}

// TestShortIdleTimeoutKeepsActiveSessions: with MEND_SESSION_IDLE=1m a browser used every 50 seconds stays
// signed in (last-seen is refreshed at least every quarter of the idle timeout), and one left alone for
// a minute is signed out.
func TestShortIdleTimeoutKeepsActiveSessions(t *testing.T) {
	t.Parallel()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	s := account.NewService(db, account.Options{Now: clock.Now, IdleTimeout: time.Minute})
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	active, _ := s.CreateSession(ctx, u.ID, account.KindBrowser, "ua")
	idle, _ := s.CreateSession(ctx, u.ID, account.KindBrowser, "ua")
	for i := 1; i <= 10; i++ {
		clock.Advance(50 * time.Second)
		if _, _, err := s.CheckSession(ctx, active.ID, u.ID); err != nil {
			t.Fatalf("request %d, 50 seconds after the last one: %v", i, err)
		}
	}
	if _, _, err := s.CheckSession(ctx, idle.ID, u.ID); err == nil {
		t.Error("a session unused for over a minute is still live")
	}
	clock.Advance(time.Minute + time.Second)
	if _, _, err := s.CheckSession(ctx, active.ID, u.ID); err == nil {
		t.Error("the active session outlived a minute without use")
	}
}

// TestLookAlikeEmailsAreOneAccount: an address with invisible or format characters is refused, and one
// written in compatibility forms (fullwidth letters and digits) is the same account after NFKC, for
// registration and sign-in alike.
func TestLookAlikeEmailsAreOneAccount(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	u := register(t, s, "a1@x.test")
	for name, email := range map[string]string{
		"zero-width space":       "a1@x.test\u200b",
		"zero-width joiner":      "a\u200d1@x.test",
		"word joiner":            "a1\u2060@x.test",
		"byte order mark":        "\ufeffa1@x.test",
		"soft hyphen":            "a\u00ad1@x.test",
		"right-to-left override": "a1@x.\u202etest",
		"variation selector":     "a1\ufe0f@x.test",
		"combining joiner":       "a1\u034f@x.test",
		"hangul filler":          "a1\u3164@x.test",
		"control character":      "a1\u0007@x.test",
	} {
		_, err := s.Register(ctx, email, pw, "Look-alike")
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Fields["email"] == "" {
			t.Errorf("%s: Register(%q) = %v, want an email field error", name, email, err)
		}
	}
	for _, email := range []string{"ａ１@x.test", "Ａ１@ｘ.ｔｅｓｔ", "A1@X.TEST"} {
		if _, err := s.Register(ctx, email, pw, "Look-alike"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("Register(%q) = %v, want conflict with a1@x.test", email, err)
		}
		got, err := s.Authenticate(ctx, email, pw)
		if err != nil || got.ID != u.ID {
			t.Errorf("Authenticate(%q) = %v, %v, want a1@x.test's account", email, got, err)
		}
	}
	if _, err := s.Authenticate(ctx, "a1@x.test\u200b", pw); err != account.ErrBadCredentials {
		t.Errorf("sign-in with a zero-width space: %v, want the usual refusal", err)
	}
	fw, err := s.Register(ctx, "ｂ２@x.test", pw, "Fullwidth")
	if err != nil || fw.Email != "b2@x.test" {
		t.Errorf("fullwidth registration stored %v (%v), want b2@x.test", fw, err)
	}
}

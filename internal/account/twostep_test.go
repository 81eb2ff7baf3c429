package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/testutil"
)

// codeAt returns the authenticator's code for secret at the clock's time.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enroll turns two-step sign-in on for u and returns the secret and the recovery codes.
func enroll(t *testing.T, s *account.Service, clock *testutil.Clock, u *account.User) (string, []string) {
	t.Helper()
	ctx := context.Background()
	secret, url, err := s.StartTOTP(ctx, u, "Mend")
	if err != nil {
		t.Fatal(err)
	}
	if secret == "" || url == "" {
		t.Fatalf("StartTOTP gave secret %q url %q", secret, url)
	}
	codes, err := s.ConfirmTOTP(ctx, u.ID, codeAt(t, secret, clock.Now()))
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	clock.Advance(30 * time.Second)
	return secret, codes
}

// TestTOTPCodesWorkOnce covers SECURITY K1: a code is accepted once within its window, and a code from
// before the last accepted one is refused too.
func TestTOTPCodesWorkOnce(t *testing.T) {
	t.Parallel()
	s, clock := newService(t)
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	if on, _ := s.HasSecondFactor(ctx, u.ID); on {
		t.Fatal("two-step on before enrolment")
	}
	secret, codes := enroll(t, s, clock, u)
	if len(codes) != account.RecoveryCodeCount {
		t.Fatalf("%d recovery codes, want %d", len(codes), account.RecoveryCodeCount)
	}
	if on, _ := s.HasSecondFactor(ctx, u.ID); !on {
		t.Fatal("two-step not on after confirming")
	}
	if _, err := s.CheckSecondFactor(ctx, u.ID, "000000", ""); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("wrong code: %v", err)
	}
	code := codeAt(t, secret, clock.Now())
	if _, err := s.CheckSecondFactor(ctx, u.ID, code, ""); err != nil {
		t.Fatalf("fresh code: %v", err)
	}
	if _, err := s.CheckSecondFactor(ctx, u.ID, code, ""); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("replayed code: %v, want refused", err)
	}
	clock.Advance(10 * time.Second) // still within the skew window of the used code
	if _, err := s.CheckSecondFactor(ctx, u.ID, code, ""); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("replayed code 10 s later: %v, want refused", err)
	}
	earlier := codeAt(t, secret, clock.Now().Add(-30*time.Second))
	if earlier != code {
		if _, err := s.CheckSecondFactor(ctx, u.ID, earlier, ""); !errors.Is(err, account.ErrSecondFactorBad) {
			t.Errorf("a code older than the last used one: %v, want refused", err)
		}
	}
	clock.Advance(30 * time.Second)
	if _, err := s.CheckSecondFactor(ctx, u.ID, codeAt(t, secret, clock.Now()), ""); err != nil {
		t.Errorf("the next window's code: %v", err)
	}
}

// TestRecoveryCodesWorkOnce covers SECURITY K1's recovery codes: each works once, typed in any case.
func TestRecoveryCodesWorkOnce(t *testing.T) {
	t.Parallel()
	s, clock := newService(t)
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	other := register(t, s, "alex@example.org")
	_, codes := enroll(t, s, clock, u)
	if _, err := s.CheckSecondFactor(ctx, other.ID, "", codes[0]); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("another account's recovery code: %v, want refused", err)
	}
	used, err := s.CheckSecondFactor(ctx, u.ID, "", " "+codes[0]+" ")
	if err != nil || !used {
		t.Fatalf("recovery code: used=%v err=%v", used, err)
	}
	if _, err := s.CheckSecondFactor(ctx, u.ID, "", codes[0]); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("recovery code used twice: %v, want refused", err)
	}
	f, err := s.SecondFactors(ctx, u.ID)
	if err != nil || f.RecoveryLeft != account.RecoveryCodeCount-1 {
		t.Errorf("recovery codes left %d (%v), want %d", f.RecoveryLeft, err, account.RecoveryCodeCount-1)
	}
}

// TestConfirmTOTPNeedsItsCode: a pending secret needs a right first code; enrolling twice is a conflict.
func TestConfirmTOTPNeedsItsCode(t *testing.T) {
	t.Parallel()
	s, clock := newService(t)
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	if _, err := s.ConfirmTOTP(ctx, u.ID, "123456"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("confirm without a pending secret: %v, want conflict", err)
	}
	if _, _, err := s.StartTOTP(ctx, u, "Mend"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ConfirmTOTP(ctx, u.ID, "12345"); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("confirm with a bad code: %v", err)
	}
	if on, _ := s.HasSecondFactor(ctx, u.ID); on {
		t.Error("a bad first code turned two-step on")
	}
	enroll(t, s, clock, u)
	if _, _, err := s.StartTOTP(ctx, u, "Mend"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("start while on: %v, want conflict", err)
	}
}

// TestDisableTOTPNeedsTheFactor: turning it off takes a current code or a recovery code.
func TestDisableTOTPNeedsTheFactor(t *testing.T) {
	t.Parallel()
	s, clock := newService(t)
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	_, codes := enroll(t, s, clock, u)
	if err := s.DisableTOTP(ctx, u.ID, "000000", ""); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("off with a wrong code: %v", err)
	}
	if err := s.DisableTOTP(ctx, u.ID, "", codes[1]); err != nil {
		t.Fatalf("off with a recovery code: %v", err)
	}
	if on, _ := s.HasSecondFactor(ctx, u.ID); on {
		t.Error("still on")
	}
	if _, err := s.CheckSecondFactor(ctx, u.ID, "", codes[2]); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("recovery code after turning off: %v, want refused", err)
	}
	if err := s.DisableTOTP(ctx, u.ID, "", codes[2]); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("off while off: %v, want not found", err)
	}
}

// TestChallenges covers SECURITY K2: single use, 5 minutes, bound to its session kind, cancelled by a
// password change or reset.
func TestChallenges(t *testing.T) {
	t.Parallel()
	s, clock := newService(t)
	ctx := context.Background()
	u := register(t, s, "sam@example.org")
	secret, codes := enroll(t, s, clock, u)

	ch, err := s.CreateChallenge(ctx, u.ID, account.KindAPI)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CompleteChallenge(ctx, ch, account.KindBrowser, codeAt(t, secret, clock.Now()), ""); !errors.Is(err, account.ErrChallengeInvalid) {
		t.Errorf("an API challenge used for a browser sign-in: %v", err)
	}
	if _, _, err := s.CompleteChallenge(ctx, ch, account.KindAPI, "000000", ""); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("wrong code: %v", err)
	}
	got, recovered, err := s.CompleteChallenge(ctx, ch, account.KindAPI, codeAt(t, secret, clock.Now()), "")
	if err != nil || got.ID != u.ID || recovered {
		t.Fatalf("complete: %v %v %v", got, recovered, err)
	}
	clock.Advance(30 * time.Second)
	if _, _, err := s.CompleteChallenge(ctx, ch, account.KindAPI, codeAt(t, secret, clock.Now()), ""); !errors.Is(err, account.ErrChallengeInvalid) {
		t.Errorf("challenge reused: %v", err)
	}

	expiring, _ := s.CreateChallenge(ctx, u.ID, account.KindAPI)
	clock.Advance(account.ChallengeValidity)
	if _, _, err := s.CompleteChallenge(ctx, expiring, account.KindAPI, "", codes[0]); !errors.Is(err, account.ErrChallengeInvalid) {
		t.Errorf("expired challenge: %v", err)
	}
	if _, err := s.CheckSecondFactor(ctx, u.ID, "", codes[0]); err != nil {
		t.Errorf("the recovery code sent with an expired challenge was used up: %v", err)
	}

	pending, _ := s.CreateChallenge(ctx, u.ID, account.KindBrowser)
	plain, err := s.CreateResetToken(ctx, u.Email)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResetPassword(ctx, plain, "another long quiet password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CompleteChallenge(ctx, pending, account.KindBrowser, "", codes[1]); !errors.Is(err, account.ErrChallengeInvalid) {
		t.Errorf("challenge after a reset: %v, want cancelled", err)
	}
	if on, _ := s.HasSecondFactor(ctx, u.ID); !on {
		t.Error("a password reset turned two-step sign-in off")
	}
	if _, _, err := s.CompleteChallenge(ctx, "", account.KindBrowser, "", codes[1]); !errors.Is(err, account.ErrChallengeInvalid) {
		t.Errorf("no challenge: %v", err)
	}
}

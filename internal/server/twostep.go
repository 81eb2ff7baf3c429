package server

import (
	"errors"
	"log/slog"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/auth"
)

// secondFactorRequired is signIn's answer when the password was right and the account has two-step
// sign-in on: no session yet, only a challenge that a code completes (SECURITY K2).
type secondFactorRequired struct {
	Challenge string
	// Factors are what the account can complete the step with.
	Factors account.TwoStep
}

// factorNames lists what completes a second step, for the API: "totp", "passkey", "recovery_code".
func factorNames(f account.TwoStep) []string {
	out := []string{}
	if f.On {
		out = append(out, "totp")
	}
	if f.Passkeys > 0 {
		out = append(out, "passkey")
	}
	if f.RecoveryLeft > 0 {
		out = append(out, "recovery_code")
	}
	return out
}

func (*secondFactorRequired) Error() string { return "second factor required" }

// secondFactorGate returns nil when u signs in with the password alone, and otherwise a
// *secondFactorRequired carrying a new challenge for a session of kind.
func (s *accountHandlers) secondFactorGate(c *fiber.Ctx, u *account.User, kind string) error {
	f, err := s.accounts.SecondFactors(c.UserContext(), u.ID)
	if err != nil || !f.Any() {
		return err
	}
	ch, err := s.accounts.CreateChallenge(c.UserContext(), u.ID, kind)
	if err != nil {
		return err
	}
	s.securityEvent(c, slog.LevelInfo, "second_factor_required", u.ID, "session_kind", kind)
	return &secondFactorRequired{Challenge: ch, Factors: f}
}

// asSecondFactor returns err's challenge when err asks for a second factor.
func asSecondFactor(err error) (*secondFactorRequired, bool) {
	var need *secondFactorRequired
	ok := errors.As(err, &need)
	return need, ok
}

// completeSignIn finishes a sign-in with a challenge and a code or recovery code, throttled like a
// password (SECURITY K1), and starts the session.
func (s *accountHandlers) completeSignIn(c *fiber.Ctx, challenge, code, recovery, kind string) (*signedIn, error) {
	ctx := c.UserContext()
	if client := "login|" + c.IP(); !s.limiter.AllowClient(client) {
		s.securityEvent(c, slog.LevelWarn, "rate_limited", "", "scope", "client", "action", "second_factor")
		return nil, tooMany(c, errTooManyClient, s.limiter.ClientWait(client))
	}
	u, err := s.accounts.ChallengeUser(ctx, challenge, kind)
	if err != nil {
		return nil, err
	}
	if s.limiter.AccountLocked(u.Email) {
		s.securityEvent(c, slog.LevelWarn, "lockout", u.ID, "scope", "account", "action", "second_factor")
		return nil, tooMany(c, errTooManyAccount, s.limiter.AccountWait(u.Email))
	}
	in, recovered, err := s.accounts.CompleteChallenge(ctx, challenge, kind, code, recovery)
	if errors.Is(err, account.ErrSecondFactorBad) {
		s.limiter.Fail(u.Email)
		s.securityEvent(c, slog.LevelWarn, "second_factor_failed", u.ID, "session_kind", kind)
		s.remember(c, u.ID, account.EventSecondFactorFailed)
	}
	if err != nil {
		return nil, err
	}
	s.limiter.Succeed(in.Email)
	if recovered {
		s.remember(c, in.ID, account.EventRecoveryCodeUsed)
	}
	return s.startSession(c, in, kind)
}

// factorGuess applies the password throttles to a code entered by the signed-in user and records a
// wrong one as a failure (SECURITY K1).
func (s *accountHandlers) factorGuess(c *fiber.Ctx, check func() error) error {
	if err := s.passwordGuess(c, "second_factor"); err != nil {
		return err
	}
	err := check()
	if errors.Is(err, account.ErrSecondFactorBad) {
		u := auth.CurrentUser(c)
		s.limiter.Fail(u.Email)
		s.securityEvent(c, slog.LevelWarn, "second_factor_failed", "")
		s.remember(c, u.ID, account.EventSecondFactorFailed)
	}
	return err
}

// loginAgain is where a page sign-in whose challenge has ended starts over.
func loginAgain(next string) string {
	return "/login?notice=again&next=" + url.QueryEscape(next)
}

package account_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/testutil"
)

const passkeyOrigin = "https://mend.example.org"

func newPasskeyService(t *testing.T) (*account.Service, *testutil.Clock) {
	t.Helper()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	return account.NewService(db, account.Options{Now: clock.Now, BaseURL: passkeyOrigin}), clock
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// addPasskey enrols a key of a for u and returns the recovery codes the enrolment gave.
func addPasskey(t *testing.T, s *account.Service, a *testutil.Authenticator, u *account.User) []string {
	t.Helper()
	ctx := context.Background()
	opts, cer, err := s.BeginPasskeyRegistration(ctx, u, account.KindBrowser)
	if err != nil {
		t.Fatal(err)
	}
	pk, codes, err := s.FinishPasskeyRegistration(ctx, u, account.KindBrowser, cer, "Phone", a.Create(t, mustJSON(t, opts)))
	if err != nil {
		t.Fatalf("finish registration: %v", err)
	}
	if pk.Name != "Phone" {
		t.Errorf("passkey name %q", pk.Name)
	}
	return codes
}

func signInWith(t *testing.T, s *account.Service, a *testutil.Authenticator, use *testutil.SoftCredential, challenge string) (*account.User, error) {
	t.Helper()
	ctx := context.Background()
	opts, cer, err := s.BeginPasskeySignIn(ctx, account.KindAPI, challenge)
	if err != nil {
		return nil, err
	}
	return s.FinishPasskeySignIn(ctx, account.KindAPI, cer, challenge, a.Get(t, mustJSON(t, opts), use))
}

// TestPasskeyRegistrationAndSignIn covers SECURITY K3: the relying party id is MEND_BASE_URL's host, a
// registered passkey signs its owner in without a password, is a second factor from then on, the first
// one gives recovery codes, and a ceremony works once.
func TestPasskeyRegistrationAndSignIn(t *testing.T) {
	t.Parallel()
	s, _ := newPasskeyService(t)
	ctx := context.Background()
	if got := s.RelyingPartyID(); got != "mend.example.org" {
		t.Fatalf("relying party id %q", got)
	}
	u := register(t, s, "pk@example.org")
	a := testutil.NewAuthenticator(passkeyOrigin)
	codes := addPasskey(t, s, a, u)
	if len(codes) != account.RecoveryCodeCount {
		t.Fatalf("first passkey gave %d recovery codes", len(codes))
	}
	if on, _ := s.HasSecondFactor(ctx, u.ID); !on {
		t.Fatal("a passkey is not a second factor")
	}
	if again := addPasskey(t, s, a, u); len(again) != 0 {
		t.Errorf("a second passkey replaced the recovery codes: %d", len(again))
	}
	in, err := signInWith(t, s, a, nil, "")
	if err != nil || in.ID != u.ID {
		t.Fatalf("passkey sign-in: %v %v", in, err)
	}
	list, err := s.Passkeys(ctx, u.ID)
	if err != nil || len(list) != 2 || (list[0].LastUsedAt == nil) == (list[1].LastUsedAt == nil) {
		t.Fatalf("passkeys after one use: %+v %v", list, err)
	}

	// A ceremony is one attempt: finishing it again is refused.
	opts, cer, err := s.BeginPasskeySignIn(ctx, account.KindAPI, "")
	if err != nil {
		t.Fatal(err)
	}
	resp := a.Get(t, mustJSON(t, opts), nil)
	if _, err := s.FinishPasskeySignIn(ctx, account.KindAPI, cer, "", resp); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FinishPasskeySignIn(ctx, account.KindAPI, cer, "", resp); !errors.Is(err, account.ErrPasskeyBad) {
		t.Errorf("ceremony used twice: %v", err)
	}
	// A ceremony begun for the API does not finish a browser sign-in.
	opts, cer, _ = s.BeginPasskeySignIn(ctx, account.KindAPI, "")
	if _, err := s.FinishPasskeySignIn(ctx, account.KindBrowser, cer, "", a.Get(t, mustJSON(t, opts), nil)); !errors.Is(err, account.ErrPasskeyBad) {
		t.Errorf("API ceremony finished a browser sign-in: %v", err)
	}
}

// TestPasskeyOfOneUserNeverSignsInAnother covers K3's binding: a passkey answers for its own account
// only, whatever user handle it claims, and never completes another account's password step.
func TestPasskeyOfOneUserNeverSignsInAnother(t *testing.T) {
	t.Parallel()
	s, _ := newPasskeyService(t)
	ctx := context.Background()
	alice, bob := register(t, s, "alice-pk@example.org"), register(t, s, "bob-pk@example.org")
	aa, ba := testutil.NewAuthenticator(passkeyOrigin), testutil.NewAuthenticator(passkeyOrigin)
	addPasskey(t, s, aa, alice)
	addPasskey(t, s, ba, bob)

	// Alice's key claiming to be Bob's account (his user handle) is refused.
	forged := *aa.Credentials()[0]
	forged.UserHandle = []byte(bob.ID)
	if in, err := signInWith(t, s, aa, &forged, ""); !errors.Is(err, account.ErrPasskeyBad) {
		t.Errorf("Alice's passkey with Bob's user handle: %v %v", in, err)
	}
	// Alice's key for Bob's password step is refused, and the step stays usable for Bob's own key.
	ch, err := s.CreateChallenge(ctx, bob.ID, account.KindAPI)
	if err != nil {
		t.Fatal(err)
	}
	opts, cer, err := s.BeginPasskeySignIn(ctx, account.KindAPI, ch)
	if err != nil {
		t.Fatal(err)
	}
	raw := mustJSON(t, opts)
	if in, err := s.FinishPasskeySignIn(ctx, account.KindAPI, cer, ch, aa.Get(t, raw, aa.Credentials()[0])); err == nil {
		t.Errorf("Alice's passkey completed Bob's second step: %v", in)
	}
	_, cer, _ = s.BeginPasskeySignIn(ctx, account.KindAPI, ch)
	in, err := s.FinishPasskeySignIn(ctx, account.KindAPI, cer, ch, ba.Get(t, raw, nil))
	if !errors.Is(err, account.ErrPasskeyBad) {
		// The options of the first ceremony were answered: their challenge is not this ceremony's.
		t.Errorf("an answer to another ceremony's challenge: %v %v", in, err)
	}
	opts, cer, _ = s.BeginPasskeySignIn(ctx, account.KindAPI, ch)
	in, err = s.FinishPasskeySignIn(ctx, account.KindAPI, cer, ch, ba.Get(t, mustJSON(t, opts), nil))
	if err != nil || in.ID != bob.ID {
		t.Fatalf("Bob's own passkey for his second step: %v %v", in, err)
	}
	// The step is used up.
	if _, err := s.ChallengeUser(ctx, ch, account.KindAPI); !errors.Is(err, account.ErrChallengeInvalid) {
		t.Errorf("challenge after the passkey: %v", err)
	}
	// Without a password step, a sign-in ceremony for Bob's key names Bob, never Alice.
	in, err = signInWith(t, s, ba, nil, "")
	if err != nil || in.ID != bob.ID {
		t.Errorf("Bob's passkey signed in %v (%v)", in, err)
	}
}

// TestPasskeyNeedsUserVerificationAndACounterThatMoves covers K3: an answer without user verification
// is refused, and a signature counter that goes back (a cloned key) is refused.
func TestPasskeyNeedsUserVerificationAndACounterThatMoves(t *testing.T) {
	t.Parallel()
	s, _ := newPasskeyService(t)
	u := register(t, s, "uv@example.org")
	a := testutil.NewAuthenticator(passkeyOrigin)
	addPasskey(t, s, a, u)
	a.UserVerified = false
	if _, err := signInWith(t, s, a, nil, ""); !errors.Is(err, account.ErrPasskeyBad) {
		t.Errorf("without user verification: %v", err)
	}
	a.UserVerified = true
	cred := a.Credentials()[0]
	cred.Count = 40
	if _, err := signInWith(t, s, a, nil, ""); err != nil {
		t.Fatalf("counter 41: %v", err)
	}
	cred.Count = 10 // a copy of the key that was used less
	if _, err := signInWith(t, s, a, nil, ""); !errors.Is(err, account.ErrPasskeyBad) {
		t.Errorf("counter went back: %v", err)
	}
	if _, err := signInWith(t, s, a, nil, ""); !errors.Is(err, account.ErrPasskeyBad) {
		t.Errorf("counter still behind the stored one: %v", err)
	}
	cred.Count = 50
	if _, err := signInWith(t, s, a, nil, ""); err != nil {
		t.Errorf("counter ahead again: %v", err)
	}
	// Another origin (a look-alike site relaying the ceremony) is refused.
	a.Origin = "https://mend.example.org.evil.test"
	if _, err := signInWith(t, s, a, nil, ""); !errors.Is(err, account.ErrPasskeyBad) {
		t.Errorf("another origin: %v", err)
	}
}

// TestRemovingAPasskeyNeedsTheFactor covers K3 with K1: a passkey goes only with its own answer, a code
// or a recovery code; the last factor takes the recovery codes with it.
func TestRemovingAPasskeyNeedsTheFactor(t *testing.T) {
	t.Parallel()
	s, clock := newPasskeyService(t)
	ctx := context.Background()
	u := register(t, s, "rm@example.org")
	other := register(t, s, "rm-other@example.org")
	a := testutil.NewAuthenticator(passkeyOrigin)
	codes := addPasskey(t, s, a, u)
	clock.Advance(time.Second)
	addPasskey(t, s, a, u)
	list, _ := s.Passkeys(ctx, u.ID)

	if err := s.RemovePasskey(ctx, u, account.KindBrowser, list[0].ID, account.PasskeyProof{}); !errors.Is(err, account.ErrSecondFactorBad) {
		t.Errorf("removal without proof: %v", err)
	}
	if err := s.RemovePasskey(ctx, other, account.KindBrowser, list[0].ID, account.PasskeyProof{RecoveryCode: codes[0]}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another account's passkey: %v", err)
	}
	// The second passkey cannot stand in for the first.
	opts, cer, err := s.BeginPasskeyConfirm(ctx, u, account.KindBrowser, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	wrong := a.Get(t, mustJSON(t, opts), a.Credentials()[1])
	if err := s.RemovePasskey(ctx, u, account.KindBrowser, list[0].ID, account.PasskeyProof{Ceremony: cer, Assertion: wrong}); !errors.Is(err, account.ErrPasskeyBad) {
		t.Errorf("removal proved by the other passkey: %v", err)
	}
	opts, cer, _ = s.BeginPasskeyConfirm(ctx, u, account.KindBrowser, list[0].ID)
	if err := s.RemovePasskey(ctx, u, account.KindBrowser, list[0].ID, account.PasskeyProof{Ceremony: cer, Assertion: a.Get(t, mustJSON(t, opts), nil)}); err != nil {
		t.Fatalf("removal proved by itself: %v", err)
	}
	if err := s.RemovePasskey(ctx, u, account.KindBrowser, list[1].ID, account.PasskeyProof{RecoveryCode: codes[0]}); err != nil {
		t.Fatalf("removal with a recovery code: %v", err)
	}
	f, _ := s.SecondFactors(ctx, u.ID)
	if f.Any() || f.RecoveryLeft != 0 {
		t.Errorf("after the last passkey: %+v", f)
	}
}

// TestPasskeysAndTheAuthenticatorAppTogether: an account with a passkey can still add the app, and
// turning the app off keeps the passkey, the second step and the recovery codes it needs.
func TestPasskeysAndTheAuthenticatorAppTogether(t *testing.T) {
	t.Parallel()
	s, clock := newPasskeyService(t)
	ctx := context.Background()
	u := register(t, s, "both@example.org")
	addPasskey(t, s, testutil.NewAuthenticator(passkeyOrigin), u)
	secret, codes := enroll(t, s, clock, u)
	if err := s.DisableTOTP(ctx, u.ID, codeAt(t, secret, clock.Now()), ""); err != nil {
		t.Fatalf("app off: %v", err)
	}
	f, err := s.SecondFactors(ctx, u.ID)
	if err != nil || f.On || f.Passkeys != 1 || f.RecoveryLeft != len(codes) || !f.Any() {
		t.Fatalf("after the app went, with a passkey left: %+v %v", f, err)
	}
	if on, _ := s.HasSecondFactor(ctx, u.ID); !on {
		t.Error("the passkey no longer counts as a second factor")
	}
}

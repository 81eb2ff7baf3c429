package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/vault"
)

// TestDisplayNameIsSealedAtRest checks that a display name is stored sealed (internal/vault) under its
// person's data key and reads back as written on every path that returns a user.
func TestDisplayNameIsSealedAtRest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	s := account.NewService(db, account.Options{Now: clock.Now})
	const canary = "Canary Vq3n"
	u, err := s.Register(ctx, "sealed@example.org", pw, canary)
	if err != nil || u.DisplayName != canary {
		t.Fatalf("register: %+v, %v", u, err)
	}
	testutil.RequireSealed(t, db, "users", "display_name", "Canary")
	check := func(how string, u *account.User, err error, want string) {
		t.Helper()
		if err != nil || u == nil || u.DisplayName != want {
			t.Errorf("%s: %+v, %v; want the name %q", how, u, err, want)
		}
	}
	got, err := s.User(ctx, u.ID)
	check("User", got, err, canary)
	got, err = s.UserByEmail(ctx, "sealed@example.org")
	check("UserByEmail", got, err, canary)
	got, err = s.Authenticate(ctx, "sealed@example.org", pw)
	check("Authenticate", got, err, canary)
	sess, err := s.CreateSession(ctx, u.ID, account.KindBrowser, "test")
	if err != nil {
		t.Fatal(err)
	}
	_, got, err = s.CheckSession(ctx, sess.ID, u.ID)
	check("CheckSession", got, err, canary)
	got, err = s.UpdateDisplayName(ctx, u.ID, "Canary Renamed")
	check("UpdateDisplayName", got, err, "Canary Renamed")
	testutil.RequireSealed(t, db, "users", "display_name", "Canary")
}

// TestFailedRegistrationLeavesNoKey checks that a registration refused after its name was sealed (the
// email is taken) shreds the data key it made.
func TestFailedRegistrationLeavesNoKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testutil.NewEngineDB(t)
	s := account.NewService(db, account.Options{})
	if _, err := s.Register(ctx, "once@example.org", pw, "First"); err != nil {
		t.Fatal(err)
	}
	keys := func() int64 {
		var n int64
		if err := vault.From(db).Store().DB().Table("data_keys").Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := keys()
	if _, err := s.Register(ctx, "once@example.org", pw, "Second"); err == nil {
		t.Fatal("a second account with the same email was registered")
	}
	if after := keys(); after != before {
		t.Errorf("%d data keys after a refused registration, want %d", after, before)
	}
}

// TestSecondFactorSecretsAreSealedAtRest: the authenticator app's secret (with which a copy of the
// database alone would make valid codes) and the names given to passkeys are stored sealed under
// their person's key, and signing in with them works as before, from a service started anew.
func TestSecondFactorSecretsAreSealedAtRest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testutil.NewEngineDB(t)
	clock := testutil.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	s := account.NewService(db, account.Options{Now: clock.Now, BaseURL: passkeyOrigin})
	u := register(t, s, "factors@example.org")
	secret, _ := enroll(t, s, clock, u)
	testutil.RequireSealed(t, db, "totp_factors", "secret", secret)
	fresh := account.NewService(db, account.Options{Now: clock.Now, BaseURL: passkeyOrigin})
	if _, err := fresh.CheckSecondFactor(ctx, u.ID, codeAt(t, secret, clock.Now()), ""); err != nil {
		t.Fatalf("a code from the sealed secret: %v", err)
	}
	addPasskey(t, s, testutil.NewAuthenticator(passkeyOrigin), u)
	testutil.RequireSealed(t, db, "passkeys", "name", "Phone")
	if list, err := fresh.Passkeys(ctx, u.ID); err != nil || len(list) != 1 || list[0].Name != "Phone" {
		t.Fatalf("passkeys: %+v, %v", list, err)
	}
}

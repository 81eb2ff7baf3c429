package account_test

import (
	"context"
	"testing"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/testutil"
)

func TestRegisterWithHash(t *testing.T) {
	t.Parallel()
	db, _ := testutil.NewDB(t)
	ctx := context.Background()
	svc := account.NewService(db, account.Options{})
	phc, err := svc.Hasher().Hash(ctx, testutil.Password)
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"one@example.org", "two@example.org"} {
		if _, err := svc.RegisterWithHash(ctx, email, phc, "Sam"); err != nil {
			t.Fatalf("register %s: %v", email, err)
		}
		if _, err := svc.Authenticate(ctx, email, testutil.Password); err != nil {
			t.Fatalf("sign in %s with the shared hash: %v", email, err)
		}
	}
	cases := []struct{ name, email, phc, field string }{
		{"not a hash", "three@example.org", "plain-password-text", "password"},
		{"other parameters", "four@example.org", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$a2V5", "password"},
		{"bad email", "not-an-email", phc, "email"},
		{"taken email", "one@example.org", phc, "email"},
	}
	for _, c := range cases {
		_, err := svc.RegisterWithHash(ctx, c.email, c.phc, "Sam")
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Fields[c.field] == "" {
			t.Errorf("%s: got %v, want an invalid %s field", c.name, err, c.field)
		}
	}
}

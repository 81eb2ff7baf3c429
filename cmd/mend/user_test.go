package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/server"
)

func testEnv(dir string) func(string) string {
	env := map[string]string{"MEND_DATA_DIR": dir, "MEND_BASE_URL": "https://mend.example.org", "MEND_LOG_LEVEL": "error"}
	return func(k string) string { return env[k] }
}

// TestUserResetPassword covers `mend user reset-password EMAIL` (DESIGN §2.1, SECURITY A7): it prints a link
// under MEND_BASE_URL whose page works, once, for 30 minutes; an unknown email prints no link.
func TestUserResetPassword(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	getenv := testEnv(dir)
	ctx := context.Background()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"migrate"}, getenv, &out, &errb); err != nil {
		t.Fatalf("migrate: %v %s", err, errb.String())
	}
	_, db, err := open(ctx, getenv, nil) // as Mend opens it, with its key store
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	if _, err := account.NewService(db, account.Options{}).Register(ctx, "sam@example.org", "the old password here", "Sam"); err != nil {
		t.Fatal(err)
	}

	out.Reset()
	if err := run(ctx, []string{"user", "reset-password", "  Sam@Example.org "}, getenv, &out, &errb); err != nil {
		t.Fatalf("reset-password: %v", err)
	}
	m := regexp.MustCompile(`(?m)^https://mend\.example\.org/reset/([a-z2-7]{26,})$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no reset link under MEND_BASE_URL in %q", out.String())
	}
	if !strings.Contains(out.String(), "30 minutes") {
		t.Errorf("output does not say how long the link works: %q", out.String())
	}
	link, secret := m[0], m[1]

	cfg, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.LoadSecret(); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	srv, err := server.New(server.Deps{Config: cfg, DB: db, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)
	get := func() (int, string) {
		resp, err := srv.App().Test(httptest.NewRequest(http.MethodGet, u.Path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, body := get(); st != http.StatusOK || !strings.Contains(body, `name="new_password"`) {
		t.Errorf("the printed link's page: %d", st)
	}
	now = now.Add(31 * time.Minute)
	if st, _ := get(); st != http.StatusNotFound {
		t.Errorf("the link after 31 minutes: %d, want 404", st)
	}

	svc := account.NewService(db, account.Options{})
	if _, err := svc.ResetPassword(ctx, secret, "a brand new password"); err != nil {
		t.Fatalf("use the link: %v", err)
	}
	if _, err := svc.ResetPassword(ctx, secret, "another new password"); err == nil {
		t.Error("the link worked twice")
	}
	if _, err := svc.Authenticate(ctx, "sam@example.org", "a brand new password"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestUserCommandUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	getenv := testEnv(dir)
	ctx := context.Background()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"user", "reset-password", "nobody@example.org"}, getenv, &out, &errb); err == nil || strings.Contains(out.String(), "/reset/") {
		t.Errorf("unknown email: err %v, output %q; want an error and no link", err, out.String())
	}
	for _, args := range [][]string{{"user"}, {"user", "reset-password"}, {"user", "delete", "x@example.org"}, {"user", "reset-password", "a", "b"}} {
		out.Reset()
		if err := run(ctx, args, getenv, &out, &errb); err == nil || !strings.Contains(out.String(), "Usage: mend user reset-password EMAIL") {
			t.Errorf("%v: err %v, output %q; want the usage and an error", args, err, out.String())
		}
	}
	out.Reset()
	if err := run(ctx, []string{"user", "--help"}, getenv, &out, &errb); err != nil || !strings.Contains(out.String(), "single-use link, valid 30 minutes") {
		t.Errorf("--help: %v %q", err, out.String())
	}
}

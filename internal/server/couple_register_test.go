package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// waitingCouple makes an account that started a couple and returns the couple's invite secret.
func waitingCouple(t *testing.T, app *testutil.App, email, name string) string {
	t.Helper()
	ctx := context.Background()
	u, err := app.Server.Accounts().Register(ctx, email, testutil.Password, name)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := app.Server.Couples().Start(ctx, u.ID, "Europe/London", "sunday")
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := app.Server.Couples().CreateInvite(ctx, cp.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// countRows counts the rows of a table matching where.
func countRows(t *testing.T, app *testutil.App, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := app.DB.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOneInviteAdmitsOneNewAccount: with MEND_REGISTRATION=invite-only, parallel registrations with one
// invite make exactly one account, which is in the couple at once; the others get 403 with a clear message
// and leave no account behind. A later registration with the used invite is refused the same way, in
// either registration mode.
func TestOneInviteAdmitsOneNewAccount(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{config.RegistrationInviteOnly, config.RegistrationOpen} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			app := testutil.NewApp(t, func(c *config.Config) { c.Registration = mode })
			plain := waitingCouple(t, app, "inviter@example.org", "Kim")
			const n = 8
			statuses := make([]int, n)
			bodies := make([]string, n)
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					raw, _ := json.Marshal(map[string]string{"email": fmt.Sprintf("racer%d@example.org", i), "display_name": "Racer",
						"password": testutil.Password, "invite": plain})
					req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/register", bytes.NewReader(raw))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.200.0.%d", i+1))
					<-start
					resp, err := app.Server.App().Test(req, -1)
					if err != nil {
						errs[i] = err
						return
					}
					defer resp.Body.Close()
					b, _ := io.ReadAll(resp.Body)
					statuses[i], bodies[i] = resp.StatusCode, string(b)
				}(i)
			}
			close(start)
			wg.Wait()
			created := 0
			for i := 0; i < n; i++ {
				switch {
				case errs[i] != nil:
					t.Fatalf("registration %d: %v", i, errs[i])
				case statuses[i] == http.StatusCreated:
					created++
				case statuses[i] != http.StatusForbidden || !strings.Contains(bodies[i], "already used"):
					t.Errorf("registration %d: %d %s, want 201 or 403 saying the invite was used", i, statuses[i], bodies[i])
				}
			}
			if created != 1 {
				t.Fatalf("%d of %d registrations with one invite succeeded, want exactly 1", created, n)
			}
			if got := countRows(t, app, "users", "email LIKE ?", "racer%"); got != 1 {
				t.Errorf("%d racer accounts exist, want 1", got)
			}
			if got := countRows(t, app, "couple_members", "left_at IS NULL"); got != 2 {
				t.Errorf("%d current members, want the inviter and the one new account", got)
			}
			if got := countRows(t, app, "invites", "used_at IS NOT NULL AND used_by IS NOT NULL"); got != 1 {
				t.Errorf("%d used invites, want 1", got)
			}
			r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", map[string]string{"email": "late@example.org",
				"display_name": "Late", "password": testutil.Password, "invite": plain})
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "already used") {
				t.Errorf("registration with the used invite: %d %s, want 403", r.Status, r.Body)
			}
			if got := countRows(t, app, "users", "email = ?", "late@example.org"); got != 0 {
				t.Error("a refused registration left an account")
			}
		})
	}
}

// TestRegisteringWithAnInviteAnswersTheCouple: the API's registration with an invite answers the couple
// it joined beside the user.
func TestRegisteringWithAnInviteAnswersTheCouple(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	plain := waitingCouple(t, app, "rc-a@example.org", "Kim")
	r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", map[string]string{"email": "rc-b@example.org",
		"display_name": "Lee", "password": testutil.Password, "invite": plain})
	var out struct {
		User   map[string]any `json:"user"`
		Couple *coupleOut     `json:"couple"`
	}
	if r.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &out)
	if out.User["email"] != "rc-b@example.org" || out.Couple == nil || out.Couple.Status != "active" || len(out.Couple.Members) != 2 {
		t.Errorf("register answered %s, want the user and the active couple of two", r.Body)
	}
}

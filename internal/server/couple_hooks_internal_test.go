package server

import (
	"context"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/vault"
)

// hookServer is a server with one signed-in API user in a couple; testutil can't be used inside the package.
func hookServer(t *testing.T) (s *Server, userID, bearer string) {
	t.Helper()
	dir := t.TempDir()
	db, err := database.Open(filepath.Join(dir, "mend.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	ctx := context.Background()
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{DataDir: dir, BaseURL: "http://127.0.0.1:8080", SecretKey: []byte("hook-test-secret-0123456789abcdefghijklmnopqrstuv"),
		QuickExitURL: "https://example.org/", Registration: config.RegistrationOpen, IdleTimeout: 30 * time.Minute, AbsoluteTimeout: 24 * time.Hour}
	if err := cfg.LoadMasterKey(); err != nil {
		t.Fatal(err)
	}
	store, closeStore, err := vault.OpenStore(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeStore() })
	if err := vault.Attach(db, vault.New(store)); err != nil {
		t.Fatal(err)
	}
	s, err = New(Deps{Config: cfg, DB: db})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.accounts.Register(ctx, "hooks@example.org", "correct horse battery staple", "Hana")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := s.accounts.CreateSession(ctx, u.ID, account.KindAPI, "")
	if err != nil {
		t.Fatal(err)
	}
	bearer, err = s.tokens.Issue(u.ID, sess.ID, s.accounts.Expiry(sess))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.couples.Start(ctx, u.ID, "UTC", "monday"); err != nil {
		t.Fatal(err)
	}
	return s, u.ID, bearer
}

func hookRequest(t *testing.T, s *Server, bearer, method, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Authorization", "Bearer "+bearer)
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFeatureHooksFeedDashboardExportArchiveAndDeletion(t *testing.T) {
	t.Parallel()
	s, userID, bearer := hookServer(t)
	card := func(h string) dashboardHook {
		return func(*fiber.Ctx, *couple.Membership) (template.HTML, error) { return template.HTML(h), nil }
	}
	failDelete := true
	var deleted []string
	widgets := feature{
		name: "widgets",
		card: card(""),
		export: func(_ context.Context, u *account.User, m *couple.Membership) (any, error) {
			return []string{"widget of " + u.DisplayName}, nil
		},
		archive: func(_ *fiber.Ctx, uid string, p couple.Past) (template.HTML, error) {
			return template.HTML("<p>Archived widget of " + template.HTMLEscapeString(uid) + "</p>"), nil
		},
		erase: func(ctx context.Context, tx *gorm.DB, uid string) error {
			if err := tx.Exec("UPDATE users SET display_name = 'changed in the hook' WHERE id = ?", uid).Error; err != nil {
				return err
			}
			if failDelete {
				return errors.New("injected failure")
			}
			deleted = append(deleted, uid)
			return nil
		},
	}
	s.features = append(s.features, feature{name: "first", card: card(`<section class="card">First card</section>`)}, widgets,
		feature{name: "second", card: card(`<section class="card">Second card</section>`)})

	_, body := hookRequest(t, s, bearer, http.MethodGet, "/dashboard")
	first, second := strings.Index(body, "First card"), strings.Index(body, "Second card")
	if first < 0 || second < first {
		t.Errorf("dashboard cards missing or out of order:\n%s", body)
	}
	if st, body := hookRequest(t, s, bearer, http.MethodGet, "/api/v1/me/export"); st != http.StatusOK || !strings.Contains(body, `"widgets":["widget of Hana"]`) {
		t.Errorf("export: %d %s", st, body)
	}
	if err := s.couples.Leave(context.Background(), userID); err != nil {
		t.Fatal(err)
	}
	if _, body := hookRequest(t, s, bearer, http.MethodGet, "/archive"); !strings.Contains(body, "Archived widget of "+userID) {
		t.Errorf("archive page lacks the feature's section:\n%s", body)
	}
	// A failing hook rolls the whole deletion back (SECURITY I4).
	if st, _ := hookRequest(t, s, bearer, http.MethodDelete, "/api/v1/me"); st != http.StatusInternalServerError {
		t.Fatalf("delete with a failing hook: %d, want 500", st)
	}
	u, err := s.accounts.User(context.Background(), userID)
	if err != nil || u.DisplayName != "Hana" {
		t.Fatalf("the failed deletion left partial changes: %v %+v", err, u)
	}
	failDelete = false
	if st, body := hookRequest(t, s, bearer, http.MethodDelete, "/api/v1/me"); st != http.StatusNoContent {
		t.Fatalf("delete: %d %s", st, body)
	}
	if len(deleted) != 1 || deleted[0] != userID {
		t.Errorf("delete hook calls = %v", deleted)
	}
}

package server_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mendhq/mend/internal/testutil"
)

// TestPasswordsAreStoredAsSaltedArgon2id covers SECURITY A1. It reads the SQLite file itself, so it
// runs on SQLite whatever MEND_TEST_ENGINE says.
func TestPasswordsAreStoredAsSaltedArgon2id(t *testing.T) {
	t.Parallel()
	app := testutil.NewSQLiteApp(t)
	const canary = "canary-plaintext-5f1c9e2a"
	for _, email := range []string{"same-a@example.org", "same-b@example.org"} {
		r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", map[string]string{"email": email, "display_name": "Sam", "password": canary})
		if r.Status != http.StatusCreated {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
	}
	var hashes []string
	if err := app.DB.Raw("SELECT password_hash FROM users ORDER BY email").Scan(&hashes).Error; err != nil {
		t.Fatal(err)
	}
	if len(hashes) != 2 || hashes[0] == hashes[1] {
		t.Fatalf("same password, hashes %q: want two different strings", hashes)
	}
	for _, h := range hashes {
		if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("hash %q is not argon2id with the required parameters", h)
		}
	}
	if err := app.DB.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(app.DBPath + "*")
	if len(files) == 0 {
		t.Fatal("no database files found")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(canary)) {
			t.Errorf("the plaintext password is in %s", filepath.Base(f))
		}
	}
}

// TestPasswordRules covers SECURITY A2: length and common-password rules, any characters, no truncation
// and no case folding.
func TestPasswordRules(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	unicode := strings.Repeat("🔐é日本", 25)
	if n := utf8.RuneCountInString(unicode); n != 100 {
		t.Fatalf("test password has %d characters", n)
	}
	cases := []struct {
		name, password string
		want           int
	}{
		{"too short", "eleven char", http.StatusUnprocessableEntity},
		{"common", "password1234", http.StatusUnprocessableEntity},
		{"common, other case", "Password1234", http.StatusUnprocessableEntity},
		{"too long", strings.Repeat("long ", 52), http.StatusUnprocessableEntity},
		{"exactly 12", "twelve chars", http.StatusCreated},
		{"100-character Unicode", unicode, http.StatusCreated},
	}
	for i, tc := range cases {
		email := "rules" + string(rune('a'+i)) + "@example.org"
		r := app.Client().JSON(http.MethodPost, "/api/v1/auth/register", map[string]string{"email": email, "display_name": "Sam", "password": tc.password})
		if r.Status != tc.want {
			t.Errorf("%s: %d, want %d (%s)", tc.name, r.Status, tc.want, r.Body)
		}
		if tc.want == http.StatusUnprocessableEntity && !strings.Contains(r.Body, `"password":`) {
			t.Errorf("%s: no password field error in %s", tc.name, r.Body)
		}
	}
	const email = "rulesf@example.org" // the Unicode one
	login := func(pw string) int {
		return app.Client().JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": pw}).Status
	}
	runes := []rune(unicode)
	for name, pw := range map[string]string{
		"truncated to 72 bytes": strings.ToValidUTF8(unicode[:72], ""),
		"last character off":    string(runes[:99]),
		"upper-cased":           strings.ToUpper(unicode),
		"extra character":       unicode + "x",
	} {
		if st := login(pw); st != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, st)
		}
	}
	if st := login(unicode); st != http.StatusOK {
		t.Errorf("the 100-character Unicode password does not sign in: %d", st)
	}
}

func TestRegisterPageShowsErrorsAndKeepsInput(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := app.Client()
	c.Get("/register")
	r := c.PostForm("/register", testutil.Form("email", "keep@example.org", "display_name", "Robin <b>", "password", "short"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.Status)
	}
	for _, want := range []string{`value="keep@example.org"`, `value="Robin &lt;b&gt;"`, `aria-describedby="password-help password-error" aria-invalid="true"`, `id="password-error"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(r.Body, `value="short"`) {
		t.Error("the typed password was sent back")
	}
}

// TestPasswordChange covers SECURITY A6: the current password is required and the new one follows the rules.
func TestPasswordChange(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	c := acctAPIUser(t, app, "change-rules@example.org")
	for _, tc := range []struct {
		name, current, next, field string
	}{
		{"wrong current", "not my password at all", "a good new password", "current_password"},
		{"missing current", "", "a good new password", "current_password"},
		{"new too short", testutil.Password, "short", "new_password"},
		{"new is common", testutil.Password, "password1234", "new_password"},
	} {
		r := c.JSON(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": tc.current, "new_password": tc.next})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"`+tc.field+`":`) {
			t.Errorf("%s: %d %s, want 422 on %s", tc.name, r.Status, r.Body, tc.field)
		}
	}
	if st := app.Client().JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "change-rules@example.org", "password": testutil.Password}).Status; st != http.StatusOK {
		t.Fatalf("refused changes still changed the password: %d", st)
	}
	r := c.JSON(http.MethodPost, "/api/v1/me/password", map[string]string{"current_password": testutil.Password, "new_password": "a good new password"})
	if r.Status != http.StatusNoContent {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	for pw, want := range map[string]int{testutil.Password: http.StatusUnauthorized, "a good new password": http.StatusOK} {
		if st := app.Client().JSON(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "change-rules@example.org", "password": pw}).Status; st != want {
			t.Errorf("login with %q after the change: %d, want %d", pw, st, want)
		}
	}
}

// TestLookAlikeEmailsOnTheAPIAndPages: a zero-width space in the email is a 422 naming the field; the
// fullwidth spelling of an existing address is that account (409 to register, and it signs in).
func TestLookAlikeEmailsOnTheAPIAndPages(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	acctAPIUser(t, app, "a1@x.test")
	reg := func(email string) *testutil.Response {
		return app.Client().JSON(http.MethodPost, "/api/v1/auth/register", map[string]string{"email": email, "display_name": "Sam", "password": testutil.Password})
	}
	r := reg("a1@x.test\u200b")
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"email":`) {
		t.Errorf("zero-width space: %d %s, want 422 on email", r.Status, r.Body)
	}
	if r := reg("ａ１@x.test"); r.Status != http.StatusConflict {
		t.Errorf("fullwidth: %d %s, want 409", r.Status, r.Body)
	}
	page := app.Client()
	page.Get("/register")
	if r := page.PostForm("/register", testutil.Form("email", "a1\u200b@x.test", "display_name", "Sam", "password", testutil.Password)); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "invisible") {
		t.Errorf("page with a zero-width space: %d", r.Status)
	}
	app.Client().LoginAPI("ａ１@ｘ.test", testutil.Password)
	in := app.Client()
	if r := in.LoginBrowser("Ａ１@x.test", testutil.Password); r.Status != http.StatusSeeOther {
		t.Errorf("page sign-in with the fullwidth spelling: %d", r.Status)
	}
}

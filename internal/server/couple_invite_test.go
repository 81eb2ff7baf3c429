package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/testutil"
	"github.com/mendhq/mend/internal/token"
)

func TestInviteLinkIsBuiltFromBaseURLAndStoredOnlyHashed(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, func(c *config.Config) { c.BaseURL = "https://mend.example.net/" })
	a := apiUser(t, app, "iu-a@example.org", "Ada")
	if r := a.JSON(http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/Berlin", "checkin_weekday": "monday"}); r.Status != http.StatusCreated {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	a.Headers["Host"] = "evil.example.com"
	a.Headers["X-Forwarded-Host"] = "evil.example.com"
	r := a.JSON(http.MethodPost, "/api/v1/couple/invite", nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	var got struct {
		Token     string `json:"token"`
		URL       string `json:"url"`
		ExpiresAt string `json:"expires_at"`
	}
	r.JSON(t, &got)
	if got.URL != "https://mend.example.net/join/"+got.Token {
		t.Errorf("url = %q, want it built from MEND_BASE_URL", got.URL)
	}
	if got.ExpiresAt != "2026-12-02T12:00:00Z" {
		t.Errorf("expires_at = %q, want 7 days after now", got.ExpiresAt)
	}
	if len(got.Token) < 26 { // 128 bits in base32
		t.Errorf("token %q is too short", got.Token)
	}
	var n int64
	app.DB.Raw("SELECT COUNT(*) FROM invites WHERE token_hash = ?", got.Token).Scan(&n)
	if n != 0 {
		t.Error("the invite secret is stored in plain text")
	}
}

// joinPage returns the join page as client sees it; every outcome is a 200 page, never an error page.
func joinPage(t *testing.T, cl *testutil.Client, tok string) string {
	t.Helper()
	r := cl.Get("/join/" + url.PathEscape(tok))
	if r.Status != http.StatusOK {
		t.Fatalf("GET /join: %d, want a clear page with 200", r.Status)
	}
	if strings.Contains(r.Body, "Reference:") {
		t.Fatalf("GET /join rendered the generic error page:\n%s", r.Body)
	}
	return r.Body
}

// TestInviteLinksThatNoLongerWork covers every invalid link: each is a clear page and a 404/409 from the API,
// and nobody is added to the couple.
func TestInviteLinksThatNoLongerWork(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// setup returns the link's token after making it unusable in its own way.
		setup    func(t *testing.T, app *testutil.App, owner *testutil.Client) string
		page     string
		apiCode  int
		wantJoin bool
	}{
		{"expired", func(t *testing.T, app *testutil.App, owner *testutil.Client) string {
			tok := startCouple(t, owner)
			app.Clock.Advance(couple.InviteValidity)
			return tok
		}, "has expired", http.StatusNotFound, false},
		{"just before expiry", func(t *testing.T, app *testutil.App, owner *testutil.Client) string {
			tok := startCouple(t, owner)
			app.Clock.Advance(couple.InviteValidity - time.Second)
			return tok
		}, "You're invited", http.StatusOK, true},
		{"used", func(t *testing.T, app *testutil.App, owner *testutil.Client) string {
			tok := startCouple(t, owner)
			b := apiUser(t, app, "used-b@example.org", "Bea")
			if r := b.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": tok}); r.Status != http.StatusOK {
				t.Fatalf("first join: %d %s", r.Status, r.Body)
			}
			return tok
		}, "already been used", http.StatusNotFound, false},
		{"replaced", func(t *testing.T, app *testutil.App, owner *testutil.Client) string {
			tok := startCouple(t, owner)
			invite(t, owner)
			return tok
		}, "newer link", http.StatusNotFound, false},
		{"couple ended", func(t *testing.T, app *testutil.App, owner *testutil.Client) string {
			tok := startCouple(t, owner)
			reauth(t, owner)
			if r := owner.JSON(http.MethodPost, "/api/v1/couple/leave", nil); r.Status != http.StatusNoContent {
				t.Fatalf("leave: %d %s", r.Status, r.Body)
			}
			return tok
		}, "has ended", http.StatusNotFound, false},
		{"unknown", func(t *testing.T, app *testutil.App, owner *testutil.Client) string {
			startCouple(t, owner)
			return "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		}, "don't recognise", http.StatusNotFound, false},
		{"absurdly long", func(t *testing.T, app *testutil.App, owner *testutil.Client) string {
			startCouple(t, owner)
			return strings.Repeat("x", 5000)
		}, "don't recognise", http.StatusUnprocessableEntity, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := testutil.NewApp(t)
			owner := apiUser(t, app, "owner@example.org", "Olive")
			tok := tc.setup(t, app, owner)
			third := app.Client()
			third.RegisterBrowser("third@example.org", "Theo")
			mustContain(t, "join page", joinPage(t, third, tok), tc.page)
			r := third.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": tok})
			if r.Status != tc.apiCode {
				t.Errorf("API join: %d %s, want %d", r.Status, r.Body, tc.apiCode)
			}
			if st, _ := getCouple(t, third); (st == http.StatusOK) != tc.wantJoin {
				t.Errorf("third person's couple status %d, joined want %v", st, tc.wantJoin)
			}
		})
	}
}

func TestInviteForAFullCoupleOrAMemberOfAnotherCouple(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	one := app.NewCouple("full")
	if r := one.A.JSON(http.MethodPost, "/api/v1/couple/invite", nil); r.Status != http.StatusConflict {
		t.Errorf("invite for a couple of two: %d %s, want 409", r.Status, r.Body)
	}

	// A foreign link: a member of another couple opens and uses a live invite.
	c := apiUser(t, app, "foreign-c@example.org", "Cyd")
	tok := startCouple(t, c)
	for _, member := range []*testutil.Client{one.A, one.B} {
		r := member.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": tok})
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "already part of a couple") {
			t.Errorf("join while in a couple: %d %s, want 409", r.Status, r.Body)
		}
	}
	if st, cp := getCouple(t, c); st != http.StatusOK || cp.Status != "waiting_for_partner" || len(cp.Members) != 1 {
		t.Errorf("the foreign couple changed: %d %+v", st, cp)
	}
	if st, cp := getCouple(t, one.A); st != http.StatusOK || cp.Status != "active" || len(cp.Members) != 2 {
		t.Errorf("the joiner's own couple changed: %d %+v", st, cp)
	}
	// The same, through the pages.
	browser := app.Client()
	browser.RegisterBrowser("foreign-d@example.org", "Dee")
	if r := browser.PostForm("/couple", testutil.Form("timezone", "UTC", "checkin_weekday", "friday")); r.Status != http.StatusSeeOther {
		t.Fatalf("start page: %d", r.Status)
	}
	mustContain(t, "join page of someone in a couple", joinPage(t, browser, tok), "already part of a couple")
	mustNotContain(t, "join page of someone in a couple", joinPage(t, browser, tok), "Cyd")
	r := browser.PostForm("/couple/join", testutil.Form("token", tok))
	if r.Status != http.StatusConflict {
		t.Errorf("join form while in a couple: %d, want 409", r.Status)
	}
	// The inviter opening their own link.
	mustContain(t, "own link", joinPage(t, c, tok), "already in this couple")
	// Starting a second couple is refused too.
	if r := one.A.JSON(http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "UTC", "checkin_weekday": "monday"}); r.Status != http.StatusConflict {
		t.Errorf("start while in a couple: %d, want 409", r.Status)
	}
}

// TestNewVisitorRegistersThroughTheInviteAndLandsInTheCouple follows a partner without an account.
func TestNewVisitorRegistersThroughTheInviteAndLandsInTheCouple(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	a := app.Client()
	a.RegisterBrowser("nv-a@example.org", "Ada")
	if r := a.PostForm("/couple", testutil.Form("timezone", "Europe/Paris", "checkin_weekday", "sunday")); r.Status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	page := a.Get("/couple").Body
	link := regexpFind(t, page, `id="invite-link"[^>]*value="([^"]+)"`)
	if !strings.HasPrefix(link, app.Config.BaseURL+"/join/") {
		t.Fatalf("invite link %q is not under the base URL", link)
	}
	path := strings.TrimPrefix(link, app.Config.BaseURL)
	tok := strings.TrimPrefix(path, "/join/")

	b := app.Client()
	body := joinPage(t, b, tok)
	mustContain(t, "join page for a visitor", body, "Ada", "Create an account to join")
	reg := regexpFind(t, body, `href="(/register\?[^"]+)"`)
	q, _ := url.ParseQuery(strings.SplitN(strings.ReplaceAll(reg, "&amp;", "&"), "?", 2)[1])
	if q.Get("next") != path || q.Get("invite") != tok {
		t.Fatalf("register link %q does not carry next and invite", reg)
	}
	// The register page keeps the invite's context, also when the form comes back with an error.
	mustContain(t, "register page from the invite", b.Get(strings.ReplaceAll(reg, "&amp;", "&")).Body, "Ada</strong> invited you to Mend", "Create account and join")
	r := b.PostForm("/register", testutil.Form("email", "nv-b@example.org", "display_name", "Bea", "password", "too short", "next", path, "invite", tok))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("register with a short password: %d, want 422", r.Status)
	}
	mustContain(t, "failed register form", r.Body, "Ada</strong> invited you to Mend", `value="nv-b@example.org"`, `value="Bea"`, `value="`+tok+`"`)
	// Registering joins straight away: no second "Join" tap.
	r = b.PostForm("/register", testutil.Form("email", "nv-b@example.org", "display_name", "Bea", "password", testutil.Password, "next", path, "invite", tok))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard" {
		t.Fatalf("register: %d to %q, want 303 to the dashboard, already in the couple", r.Status, r.Header.Get("Location"))
	}
	mustContain(t, "B's dashboard", b.Get("/dashboard").Body, "You and <strong>Ada</strong>")
	mustContain(t, "A's dashboard", a.Get("/dashboard").Body, "You and <strong>Bea</strong>")
	mustNotContain(t, "A's couple page", a.Get("/couple").Body, "nv-b@example.org", "invite-link")
	// The used link now says so, to anyone.
	mustContain(t, "used link", joinPage(t, app.Client(), tok), "already been used")
	mustContain(t, "used link, for the one who used it", joinPage(t, b, tok), "already in this couple")
}

// TestThirdPersonCannotJoinACoupleOfTwo uses a live link of a couple that already has two members (as a
// race between two invitees would leave it): the third person gets a clear page and a 409.
func TestThirdPersonCannotJoinACoupleOfTwo(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("third")
	_, c := getCouple(t, cp.A)
	plain, hash := token.New()
	now := app.Clock.Now()
	err := app.DB.Exec("INSERT INTO invites (id, couple_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		token.ID(), c.ID, hash, now, now.Add(couple.InviteValidity)).Error
	if err != nil {
		t.Fatal(err)
	}
	third := app.Client()
	third.RegisterBrowser("third-c@example.org", "Cyd")
	mustContain(t, "third person's join page", joinPage(t, third, plain), "already has two members")
	mustContain(t, "anonymous join page", joinPage(t, app.Client(), plain), "already has two members")
	third.Get("/join/" + plain)
	if r := third.PostForm("/couple/join", testutil.Form("token", plain)); r.Status != http.StatusConflict {
		t.Errorf("join form: %d, want 409", r.Status)
	}
	if r := third.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": plain}); r.Status != http.StatusConflict {
		t.Errorf("API join: %d, want 409", r.Status)
	}
	if _, after := getCouple(t, cp.B); len(after.Members) != 2 {
		t.Errorf("the couple has %d members", len(after.Members))
	}
	if st, _ := getCouple(t, third); st != http.StatusNotFound {
		t.Errorf("the third person is in a couple: %d", st)
	}
}

// TestStartingACoupleOffersUTCAndTheLinkInLocalTime: without JavaScript the time zone select has UTC
// chosen and the page names it (the script that fills in the browser's zone hooks on data-browser-zone);
// the invite link has Copy and Share buttons for the script to reveal, and its expiry reads in the
// couple's time zone, named, on the couple page and the dashboard.
func TestStartingACoupleOffersUTCAndTheLinkInLocalTime(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	a := app.Client()
	a.RegisterBrowser("tz-a@example.org", "Ada")
	start := a.Get("/couple").Body
	mustContain(t, "start form", start, `<option value="UTC" selected>`, "data-browser-zone", "UTC is chosen")
	if r := a.PostForm("/couple", testutil.Form("timezone", "Europe/Berlin", "checkin_weekday", "sunday")); r.Status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	// Made at 12:00 UTC on 25 November 2026; it works for 7 days: until 13:00 in Berlin on 2 December.
	for _, p := range []string{"/couple", "/dashboard"} {
		body := a.Get(p).Body
		mustContain(t, p, body, "2 December 2026, 13:00 Berlin time",
			`data-copy="invite-link" hidden`, `data-share="invite-link" hidden`)
		mustNotContain(t, p, body, "15:04 UTC", "12:00 UTC")
	}
}

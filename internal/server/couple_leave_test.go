package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// coupleRoutesForMember are requests a current member may make; after the couple ends, each must fail
// with 404 (API) or lead away from the couple (pages) at once (SECURITY C6).
var coupleRoutesForMember = []struct{ method, path string }{
	{http.MethodPatch, "/api/v1/couple"},
	{http.MethodPost, "/api/v1/couple/invite"},
	{http.MethodPost, "/api/v1/couple/leave"},
}

func assertCutOff(t *testing.T, who string, cl *testutil.Client) {
	t.Helper()
	for _, rt := range coupleRoutesForMember {
		if r := cl.JSON(rt.method, rt.path, map[string]string{"timezone": "Asia/Tokyo"}); r.Status != http.StatusNotFound {
			t.Errorf("%s: %s %s after the couple ended: %d %s, want 404", who, rt.method, rt.path, r.Status, r.Body)
		}
	}
	st, cp := getCouple(t, cl)
	if st != http.StatusOK || cp.Status != "ended" || cp.EndedAt == "" || len(cp.Members) != 0 {
		t.Errorf("%s: GET /couple after the end: %d %+v, want status ended and no members", who, st, cp)
	}
	if r := cl.JSON(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusOK || r.Map(t)["couple"] != nil {
		t.Errorf("%s: GET /me still shows a couple: %s", who, r.Body)
	}
}

func archiveOf(t *testing.T, cl *testutil.Client) []map[string]any {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/me/archive", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("archive: %d %s", r.Status, r.Body)
	}
	var out struct {
		Couples []map[string]any `json:"couples"`
	}
	r.JSON(t, &out)
	return out.Couples
}

func TestLeavingNeedsRecentAuthAndEndsTheCoupleForBoth(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("lv")
	_, before := getCouple(t, cp.B)
	app.Clock.Advance(11 * time.Minute) // the sign-in no longer counts as recent
	if r := cp.A.JSON(http.MethodPost, "/api/v1/couple/leave", nil); r.Status != http.StatusForbidden || r.Map(t)["error"].(map[string]any)["code"] != "reauth_required" {
		t.Fatalf("leave without recent auth: %d %s, want 403 reauth_required", r.Status, r.Body)
	}
	if st, c := getCouple(t, cp.B); st != http.StatusOK || c.Status != "active" {
		t.Fatalf("a refused leave changed the couple: %+v", c)
	}
	reauth(t, cp.A)
	if r := cp.A.JSON(http.MethodPost, "/api/v1/couple/leave", nil); r.Status != http.StatusNoContent {
		t.Fatalf("leave: %d %s", r.Status, r.Body)
	}
	assertCutOff(t, "the one who left", cp.A)
	assertCutOff(t, "the other", cp.B)
	// Both keep these sessions: the one who left keeps the session they left from (their other sessions
	// end: TestLeavingSignsOutTheLeaversOtherSessions), and the partner's are untouched.
	for name, cl := range map[string]*testutil.Client{"A": cp.A, "B": cp.B} {
		if r := cl.JSON(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusOK {
			t.Errorf("%s signed out by leaving: %d", name, r.Status)
		}
		arch := archiveOf(t, cl)
		if len(arch) != 1 || arch[0]["id"] != before.ID || arch[0]["status"] != "ended" {
			t.Errorf("%s's archive = %v, want the ended couple", name, arch)
		}
	}
	// The other is told only that the couple ended.
	dash := cp.B.Get("/dashboard")
	mustContain(t, "B's dashboard", dash.Body, "Your couple has ended")
	mustNotContain(t, "B's dashboard", dash.Body, "lv A left", "You and <strong>")
	// Both can start or join a new couple.
	tok := startCouple(t, cp.A)
	if r := cp.B.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": tok}); r.Status != http.StatusOK {
		t.Fatalf("rejoin after leaving: %d %s", r.Status, r.Body)
	}
	if st, c := getCouple(t, cp.B); st != http.StatusOK || c.Status != "active" || c.ID == before.ID {
		t.Errorf("new couple: %d %+v", st, c)
	}
	if len(archiveOf(t, cp.B)) != 1 {
		t.Error("the archive lost the ended couple after a new one started")
	}
}

func TestLeaveFormNeedsConfirmationAndRecentAuth(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	a, b := app.Client(), app.Client()
	a.RegisterBrowser("lf-a@example.org", "Ada")
	b.RegisterBrowser("lf-b@example.org", "Bea")
	a.PostForm("/couple", testutil.Form("timezone", "UTC", "checkin_weekday", "monday"))
	tok := regexpFind(t, a.Get("/couple").Body, `id="invite-link"[^>]*value="[^"]*/join/([^"]+)"`)
	b.Get("/join/" + tok)
	if r := b.PostForm("/couple/join", testutil.Form("token", tok)); r.Status != http.StatusSeeOther {
		t.Fatalf("join: %d", r.Status)
	}
	app.Clock.Advance(11 * time.Minute) // the sign-in no longer counts as recent
	a.Get("/couple")
	a.Headers["Referer"] = app.Config.BaseURL + "/couple" // as a browser sends it (Referrer-Policy: same-origin)
	r := a.PostForm("/couple/leave", testutil.Form("confirm", "yes"))
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/reauth?next=%2Fcouple" {
		t.Fatalf("leave without recent auth: %d %q, want a redirect to re-enter the password", r.Status, r.Header.Get("Location"))
	}
	reauth(t, a)
	a.Get("/couple")
	if r := a.PostForm("/couple/leave", nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("leave without the confirmation box: %d, want 422", r.Status)
	} else {
		mustContain(t, "leave form error", r.Body, `aria-invalid="true"`, "Tick the box")
	}
	if r := a.PostForm("/couple/leave", testutil.Form("confirm", "yes")); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard" {
		t.Fatalf("leave: %d %q", r.Status, r.Header.Get("Location"))
	}
	// Pages of the couple now lead to starting one, for both.
	for name, cl := range map[string]*testutil.Client{"A": a, "B": b} {
		page := cl.Get("/couple")
		mustContain(t, name+"'s couple page", page.Body, "Start your couple", "previous couple ended")
		if r := cl.PostForm("/couple/settings", testutil.Form("timezone", "Asia/Tokyo", "checkin_weekday", "monday")); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/couple" {
			t.Errorf("%s: settings after the end: %d %q, want a redirect to /couple", name, r.Status, r.Header.Get("Location"))
		}
		mustContain(t, name+"'s archive", cl.Get("/archive").Body, "With ")
	}
}

func TestCoupleSettingsEitherPartnerAndRole(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("set")
	r := cp.B.JSON(http.MethodPatch, "/api/v1/couple", map[string]string{"timezone": "America/New_York", "checkin_weekday": "friday", "role": "hurt"})
	if r.Status != http.StatusOK {
		t.Fatalf("patch by B: %d %s", r.Status, r.Body)
	}
	_, c := getCouple(t, cp.A)
	if c.Timezone != "America/New_York" || c.CheckinWeekday != "friday" {
		t.Errorf("A sees %+v, want B's settings", c)
	}
	for _, m := range c.Members {
		if want := map[bool]string{true: "", false: "hurt"}[m.Me]; m.Role != want {
			t.Errorf("member %s role %q, want %q", m.DisplayName, m.Role, want)
		}
	}
	bad := []map[string]any{
		{"timezone": "Mars/Olympus"}, {"timezone": "Local"}, {"checkin_weekday": "someday"}, {"role": "owner"},
		{"checkin_weekday": 3}, {"id": "x", "timezone": ""},
	}
	for _, body := range bad {
		if r := cp.A.JSON(http.MethodPatch, "/api/v1/couple", body); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("PATCH %v: %d %s, want 422", body, r.Status, r.Body)
		}
	}
	if _, after := getCouple(t, cp.B); after.Timezone != "America/New_York" || after.ID != c.ID {
		t.Errorf("rejected patches changed the couple: %+v", after)
	}
	// The page form keeps the input and marks the field.
	br := app.Client()
	br.RegisterBrowser("set-c@example.org", "Cyd")
	r = br.PostForm("/couple", testutil.Form("timezone", "Nowhere/Special", "checkin_weekday", "tuesday"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("start with a bad zone: %d", r.Status)
	}
	mustContain(t, "start form", r.Body, `aria-invalid="true"`, "timezone-error", `<option value="tuesday" selected>`)
	if st, _ := getCouple(t, br); st != http.StatusNotFound {
		t.Errorf("a rejected start made a couple: %d", st)
	}
}

// TestCoupleSettingsFormShowsTheChoiceItRefused: a settings form sent with "Choose a time zone" comes
// back with that choice and its error, not with the saved zone beside the error; the day chosen is kept.
func TestCoupleSettingsFormShowsTheChoiceItRefused(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("setf")
	r := cp.A.PostForm("/couple/settings", testutil.Form("timezone", "", "checkin_weekday", "tuesday"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("settings without a zone: %d, want 422", r.Status)
	}
	mustContain(t, "settings form", r.Body, `<option value="" selected>Choose a time zone</option>`, "timezone-error",
		`<option value="tuesday" selected>`)
	mustNotContain(t, "settings form", r.Body, `<option value="Europe/London" selected>`)
	if _, after := getCouple(t, cp.B); after.Timezone != "Europe/London" || after.CheckinWeekday != "sunday" {
		t.Errorf("the refused form changed the couple: %+v", after)
	}
}

// TestLeavingSignsOutTheLeaversOtherSessions covers SECURITY B5 for leaving: every other session of the
// person who left ends at once (their other browsers and API tokens get 401), the session they left
// from stays so they can read the archive, and the partner's sessions are untouched. The leave form says so.
func TestLeavingSignsOutTheLeaversOtherSessions(t *testing.T) {
	t.Parallel()
	t.Run("API", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		cp := app.NewCouple("lso")
		aPhone, aToken := app.Client(), app.Client()
		aPhone.LoginBrowser("lso-a@example.org", testutil.Password)
		aToken.LoginAPI("lso-a@example.org", testutil.Password)
		bPhone := app.Client()
		bPhone.LoginBrowser("lso-b@example.org", testutil.Password)
		if r := cp.A.JSON(http.MethodPost, "/api/v1/couple/leave", nil); r.Status != http.StatusNoContent {
			t.Fatalf("leave: %d %s", r.Status, r.Body)
		}
		assertUnauthorizedJSON(t, "the leaver's other API token", aToken.Get("/api/v1/me"))
		assertToLogin(t, "the leaver's other browser", aPhone.Get("/account"))
		if len(archiveOf(t, cp.A)) != 1 {
			t.Error("the session that left cannot read the archive")
		}
		if r := cp.B.Get("/api/v1/me"); r.Status != http.StatusOK {
			t.Errorf("the partner's API session: %d, want 200", r.Status)
		}
		if r := bPhone.Get("/account"); r.Status != http.StatusOK {
			t.Errorf("the partner's browser: %d, want 200", r.Status)
		}
	})
	t.Run("page", func(t *testing.T) {
		t.Parallel()
		app := testutil.NewApp(t)
		cp := app.NewCouple("lsp")
		a := app.Client()
		a.LoginBrowser("lsp-a@example.org", testutil.Password)
		page := a.Get("/couple")
		mustContain(t, "leave form", page.Body, "signs you out on every other device", "and of the agreements you both accepted")
		if r := a.PostForm("/couple/leave", testutil.Form("confirm", "yes")); r.Status != http.StatusSeeOther {
			t.Fatalf("leave: %d %s", r.Status, r.Body)
		}
		assertUnauthorizedJSON(t, "the leaver's API token", cp.A.Get("/api/v1/me"))
		if r := a.Get("/archive"); r.Status != http.StatusOK {
			t.Errorf("the browser that left, on /archive: %d, want 200", r.Status)
		}
		if r := cp.B.Get("/api/v1/me"); r.Status != http.StatusOK {
			t.Errorf("the partner: %d, want 200", r.Status)
		}
	})
}

package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// ciBrowserCouple is two partners signed in with the session cookie, as browsers are.
func ciBrowserCouple(t *testing.T, app *testutil.App, prefix string) testutil.Couple {
	t.Helper()
	a, b := app.Client(), app.Client()
	a.RegisterBrowser(prefix+"-a@example.org", prefix+" A")
	b.RegisterBrowser(prefix+"-b@example.org", prefix+" B")
	if r := a.JSON(http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/London", "checkin_weekday": "sunday"}); r.Status != http.StatusCreated {
		t.Fatalf("start: %d %s", r.Status, r.Body)
	}
	r := a.JSON(http.MethodPost, "/api/v1/couple/invite", nil)
	tok, _ := r.Map(t)["token"].(string)
	if r := b.JSON(http.MethodPost, "/api/v1/couple/join", map[string]string{"token": tok}); r.Status != http.StatusOK {
		t.Fatalf("join: %d %s", r.Status, r.Body)
	}
	return testutil.Couple{A: a, B: b}
}

func ciWantRedirect(t *testing.T, r *testutil.Response, prefix string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), prefix) {
		t.Fatalf("want 303 to %s, got %d %q: %.300s", prefix, r.Status, r.Header.Get("Location"), r.Body)
	}
}

func ciWantBody(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func TestCheckinPagesFullWeek(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "pages")
	page := "/checkins/" + ciWeek

	list := cp.A.Get("/checkins")
	ciWantBody(t, "/checkins", list.Body, "<title>Check-ins</title>", `href="/checkins/2026-W48"`, "This week", "Last week",
		`href="/guide/rebuild-trust#step-3-check-ins"`, `href="/communication-skills"`, `action="/timeouts"`)
	if strings.Index(list.Body, "This week") > strings.Index(list.Body, "Last week") {
		t.Error("/checkins does not put this week first")
	}
	form := cp.A.Get(page)
	ciWantBody(t, page, form.Body, "<title>This week</title>", `data-keep="checkin-2026-W48"`, `<fieldset class="scale"`,
		`type="radio" name="safety" value="10"`, ">Save draft<", ">Share my answers<", `name="skip"`, "Only you will ever see this answer",
		`href="/guide/rebuild-trust#step-3-check-ins"`, `href="/communication-skills"`)

	// An out-of-range rating: 422, the field marked, the typed text kept.
	r := cp.A.PostForm(page, testutil.Form("appreciation", "Kept <text> & more", "trust", "11", "action", "draft"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", r.Status)
	}
	ciWantBody(t, "422 page", r.Body, "Kept &lt;text&gt; &amp; more", `id="f-trust-error"`, `aria-describedby="f-trust-error"`, "Choose a number from 0 to 10")
	r = cp.A.PostForm(page, testutil.Form("trust", "ten", "action", "draft"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a non-number rating: %d", r.Status)
	}

	r = cp.A.PostForm(page, testutil.Form("appreciation", "<script>alert(1)</script>", "was_hard", "PAGE-A-hard", "trust", "3",
		"connection", "4", "safety", "7", "action", "draft"))
	ciWantRedirect(t, r, page+"?saved=draft")
	saved := cp.A.Get(r.Header.Get("Location"))
	ciWantBody(t, "after a draft", saved.Body, `data-kept-done="checkin-2026-W48"`, "Saved as a draft", "&lt;script&gt;alert(1)&lt;/script&gt;",
		`name="safety" value="7" checked`)
	if strings.Contains(saved.Body, "<script>alert(1)") {
		t.Error("answer text is not escaped")
	}
	ciWantRedirect(t, cp.A.PostForm(page, testutil.Form("was_hard", "PAGE-A-hard", "trust", "3", "connection", "4", "safety", "7", "action", "share")), page+"?saved=shared")
	ciWantBody(t, "after sharing", cp.A.Get(page+"?saved=shared").Body, "Answers open when you have both shared.")
	if body := cp.B.Get(page).Body; strings.Contains(body, "PAGE-A-hard") {
		t.Fatal("B sees A's answers before sharing")
	}

	ciWantRedirect(t, cp.B.PostForm(page, testutil.Form("need", "PAGE-B-need", "trust", "8", "connection", "9", "safety", "6", "action", "share")), page+"?saved=shared")
	opened := cp.B.Get(page + "?saved=shared").Body
	ciWantBody(t, "B's opened page", opened, "your answers are open now", "PAGE-A-hard", "pages A's answers", `action="/checkins/2026-W48/reflections"`)
	if strings.Contains(opened, `name="trust"`) {
		t.Error("the opened week still shows the answer form")
	}
	// A late edit from a page still open in another tab: 409, said plainly.
	r = cp.A.PostForm(page, testutil.Form("was_hard", "changed", "trust", "1", "connection", "1", "safety", "1", "action", "share"))
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "can&#39;t be changed") {
		t.Errorf("editing after opening: %d", r.Status)
	}

	// Active listening through the page forms.
	r = cp.B.PostForm(page+"/reflections", testutil.Form("heard", " "))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="heard-text-error"`) {
		t.Errorf("empty reflection: %d", r.Status)
	}
	ciWantRedirect(t, cp.B.PostForm(page+"/reflections", testutil.Form("heard", "You found it PAGE-HEARD hard.")), page+"?saved=heard")
	aPage := cp.A.Get(page).Body
	ciWantBody(t, "A's page", aPage, "You found it PAGE-HEARD hard.", ">Yes, that's it<", ">Not quite<")
	id := between(aPage, `action="/checkins/2026-W48/reflections/`, `/response"`)
	if id == "" {
		t.Fatal("no response form on A's page")
	}
	// Only A may answer it: B gets the page back with a clear 403.
	if r := cp.B.PostForm(page+"/reflections/"+id+"/response", testutil.Form("accurate", "yes")); r.Status != http.StatusForbidden {
		t.Errorf("listener confirming from the page: %d", r.Status)
	}
	ciWantRedirect(t, cp.A.PostForm(page+"/reflections/"+id+"/response", testutil.Form("accurate", "no", "reply", "It was PAGE-NOTE.")), page+"?saved=response")
	bPage := cp.B.Get(page).Body
	ciWantBody(t, "B's page after the response", bPage, `"Not quite."`, "It was PAGE-NOTE.", `href="#heard-text"`)
	// "Not quite" invites another restatement, not a validating line; from the page that is a clear 409.
	if r := cp.B.PostForm(page+"/reflections/"+id+"/validation", testutil.Form("reply", "x")); r.Status != http.StatusConflict {
		t.Errorf("validating a \"not quite\" from the page: %d", r.Status)
	}
	ciWantRedirect(t, cp.B.PostForm(page+"/reflections", testutil.Form("heard", "It was PAGE-AGAIN.")), page+"?saved=heard")
	again := between(cp.A.Get(page).Body, "It was PAGE-AGAIN.", `/response"`)
	again = again[strings.LastIndex(again, "/reflections/")+len("/reflections/"):]
	ciWantRedirect(t, cp.A.PostForm(page+"/reflections/"+again+"/response", testutil.Form("accurate", "yes")), page+"?saved=response")
	ciWantBody(t, "B's page after the confirmation", cp.B.Get(page).Body, `/reflections/`+again+`/validation"`)
	ciWantRedirect(t, cp.B.PostForm(page+"/reflections/"+again+"/validation", testutil.Form("reply", "That makes PAGE-SENSE.")), page+"?saved=validation")
	ciWantBody(t, "A's page at the end", cp.A.Get(page).Body, "That makes PAGE-SENSE.", `"Not quite."`, `"Yes, that's it."`)
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	j := strings.Index(s, to)
	if j < 0 {
		return ""
	}
	return s[:j]
}

// TestCheckinFormAfterTheSessionEnded: posting the form after the session ended leads to sign-in and
// back to the same page, not to an error; the text itself is kept by app.js (see the browser test).
func TestCheckinFormAfterTheSessionEnded(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "expire")
	page := "/checkins/" + ciWeek
	cp.A.Get(page)
	app.Clock.Advance(31 * time.Minute) // past the idle timeout
	cp.A.Headers["Referer"] = app.Config.BaseURL + page
	r := cp.A.PostForm(page, testutil.Form("appreciation", "written while signed out", "action", "draft"))
	ciWantRedirect(t, r, "/login?next="+url.QueryEscape(page))
	login := cp.A.Get(r.Header.Get("Location"))
	ciWantBody(t, "login page", login.Body, `name="next" value="/checkins/2026-W48"`)
	r = cp.A.PostForm("/login", testutil.Form("email", "expire-a@example.org", "password", testutil.Password, "next", page))
	ciWantRedirect(t, r, page)
	back := cp.A.Get(page)
	ciWantBody(t, "the page after signing in again", back.Body, `data-keep="checkin-2026-W48"`, `data-restore="over"`)
	if strings.Contains(back.Body, "written while signed out") {
		t.Error("the post made while signed out was stored")
	}
	// A cross-site post is still refused outright, and a live session with a bad token still gets 403.
	cp.B.LoginBrowser("expire-b@example.org", testutil.Password)
	cp.B.CSRF = "forged"
	if r := cp.B.PostForm(page, testutil.Form("appreciation", "x")); r.Status != http.StatusForbidden {
		t.Errorf("bad token with a live session: %d", r.Status)
	}
}

func TestCheckinPauseFromThePage(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "pausepage")
	if r := cp.A.PostForm("/timeouts", testutil.Form("for", "999")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="pause-for-error"`) {
		t.Errorf("unknown length: %d", r.Status)
	}
	ciWantRedirect(t, cp.A.PostForm("/timeouts", testutil.Form("for", "60", "note", "Going for a PAGE-WALK")), "/checkins")
	for _, p := range []string{"/checkins", "/checkins/" + ciWeek} {
		ciWantBody(t, "B's "+p, cp.B.Get(p).Body, "A pause was asked for until 13:00 today", "Going for a PAGE-WALK")
		ciWantBody(t, "A's "+p, cp.A.Get(p).Body, `action="/timeouts/end"`)
	}
	ciWantBody(t, "B's dashboard", cp.B.Get("/dashboard").Body, "This week's check-in", "A pause was asked for until 13:00 today", "Going for a PAGE-WALK")
	ciWantBody(t, "A's dashboard", cp.A.Get("/dashboard").Body, "You asked for a pause until 13:00 today", `href="/checkins/2026-W48"`, "Answer this week")
	if strings.Contains(cp.B.Get("/checkins").Body, `action="/timeouts"`) {
		t.Error("a second pause can be asked for while one is in place")
	}
	ciWantRedirect(t, cp.A.PostForm("/timeouts/end", testutil.Form("back", "/checkins/"+ciWeek)), "/checkins/"+ciWeek)
	if strings.Contains(cp.B.Get("/checkins").Body, "pause-banner") {
		t.Error("the banner stayed after A ended the pause")
	}
	ciWantRedirect(t, cp.A.PostForm("/timeouts/end", testutil.Form("back", "//evil.example")), "/dashboard")
}

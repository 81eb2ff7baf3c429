package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// TestCheckinValidationOnlyAfterConfirmation: the API refuses a validating line on a reflection its
// author marked "not quite" (409, said plainly), and the page offers no validation form there but
// invites the listener to say it again; after a confirmation both offer it.
func TestCheckinValidationOnlyAfterConfirmation(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciOpened(t, app, "notquite")
	base := "/api/v1/checkins/" + ciWeek + "/reflections"
	id := ciReflect(t, cp.B, ciWeek, "You found Sunday hard.")
	if r := cp.A.JSON(http.MethodPost, base+"/"+id+"/response", map[string]any{"accurate": false, "note": "It was Saturday."}); r.Status != http.StatusOK {
		t.Fatalf("respond: %d %s", r.Status, r.Body)
	}
	r := cp.B.JSON(http.MethodPost, base+"/"+id+"/validation", map[string]string{"text": "It makes sense."})
	if e := ciWantError(t, r, http.StatusConflict, ""); !strings.Contains(e["message"].(string), "not quite") {
		t.Errorf("unclear message: %v", e["message"])
	}
	page := cp.B.Get("/checkins/" + ciWeek).Body
	if strings.Contains(page, "/reflections/"+id+"/validation") {
		t.Error("the page offers a validating line after \"not quite\"")
	}
	ciWantBody(t, "B's page after \"not quite\"", page, `href="#heard-text"`, `id="heard-text"`, "Say it again")

	app.Clock.Advance(time.Minute)
	again := ciReflect(t, cp.B, ciWeek, "Saturday felt lonely.")
	if r := cp.A.JSON(http.MethodPost, base+"/"+again+"/response", map[string]any{"accurate": true}); r.Status != http.StatusOK {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	page = cp.B.Get("/checkins/" + ciWeek).Body
	ciWantBody(t, "B's page after the confirmation", page, "/reflections/"+again+"/validation")
	if strings.Index(page, "You found Sunday hard.") > strings.Index(page, "Saturday felt lonely.") {
		t.Error("the thread does not read in order")
	}
	if r := cp.B.JSON(http.MethodPost, base+"/"+again+"/validation", map[string]string{"text": "It makes sense."}); r.Status != http.StatusOK {
		t.Errorf("validating a confirmed reflection: %d %s", r.Status, r.Body)
	}
}

// TestCheckinOpenedWeekSaysItOnce: the share that opens the week is followed by one notice that the
// answers are open, not two.
func TestCheckinOpenedWeekSaysItOnce(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "once")
	page := "/checkins/" + ciWeek
	ciWantRedirect(t, cp.A.PostForm(page, testutil.Form("trust", "3", "connection", "4", "safety", "7", "action", "share")), page+"?saved=shared")
	ciWantRedirect(t, cp.B.PostForm(page, testutil.Form("trust", "8", "connection", "9", "safety", "6", "action", "share")), page+"?saved=shared")
	body := cp.B.Get(page + "?saved=shared").Body
	n := strings.Count(body, "You have both shared") + strings.Count(body, "Your answers are open")
	if n != 1 {
		t.Errorf("the opened week says it is open %d times, want once", n)
	}
	ciWantBody(t, "the opened week after the share", body, `data-kept-done="checkin-2026-W48"`)
	ciWantBody(t, "the opened week later", cp.B.Get(page).Body, "Your answers are open")
}

// TestCheckinOnlyTheAskerEndsThePause: the partner who did not ask for a pause gets 403 from the API and
// no button on any page; the banner says when it ends, in the couple's time zone, named.
func TestCheckinOnlyTheAskerEndsThePause(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "asker")
	// The test clock says 12:00 UTC; the couple lives in New York, five hours behind.
	if r := cp.A.JSON(http.MethodPatch, "/api/v1/couple", map[string]string{"timezone": "America/New_York"}); r.Status != http.StatusOK {
		t.Fatalf("time zone: %d %s", r.Status, r.Body)
	}
	ciWantRedirect(t, cp.A.PostForm("/timeouts", testutil.Form("for", "60")), "/checkins")
	r := cp.B.JSON(http.MethodPost, "/api/v1/timeouts/current/end", nil)
	if e := ciWantError(t, r, http.StatusForbidden, ""); !strings.Contains(e["message"].(string), "Only the person who asked") {
		t.Errorf("unclear message: %v", e["message"])
	}
	if r := cp.B.PostForm("/timeouts/end", testutil.Form("back", "/checkins")); r.Status != http.StatusForbidden {
		t.Errorf("the other partner ending the pause from the page: %d", r.Status)
	}
	if r := cp.B.Get("/api/v1/timeouts/current"); r.Status != http.StatusOK {
		t.Fatalf("the pause did not stay: %d %s", r.Status, r.Body)
	}
	for _, p := range []string{"/checkins", "/checkins/" + ciWeek, "/dashboard"} {
		b := cp.B.Get(p).Body
		ciWantBody(t, "B's "+p, b, "A pause was asked for until 08:00 today", "New York time", "ends by itself")
		if strings.Contains(b, `action="/timeouts/end"`) {
			t.Errorf("B's %s offers to end A's pause", p)
		}
		ciWantBody(t, "A's "+p, cp.A.Get(p).Body, "You asked for a pause until 08:00 today", "New York time", `action="/timeouts/end"`)
	}
	ciWantRedirect(t, cp.A.PostForm("/timeouts/end", testutil.Form("back", "/checkins")), "/checkins")
	if r := cp.B.Get("/api/v1/timeouts/current"); r.Status != http.StatusNotFound {
		t.Errorf("the asker could not end their pause: %d", r.Status)
	}
}

// TestCheckinSkippedWeekOpensNothing: one partner shares full answers, the other "not this week". The
// week passes for both: the API gives partner null and state passed to each, the list says passed, the
// pages say the week passed without an exchange and show nothing of the other's answers, and neither the
// plan nor progress counts it as an opened week.
func TestCheckinSkippedWeekOpensNothing(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("skip")
	ciPut(t, cp.A, ciWeek, ciAnswer("SKIP-A", 3, 4, 7, true))
	ciPut(t, cp.B, ciWeek, map[string]any{"skip": true, "submit": true})
	for name, cl := range map[string]*testutil.Client{"A": cp.A, "B": cp.B} {
		w := ciGetWeek(t, cl, ciWeek)
		if w.State != "passed" || w.Partner != nil || w.Mine == nil || len(w.Reflections) != 0 {
			t.Errorf("%s's GET /checkins/%s: %+v", name, ciWeek, w)
		}
		var list struct {
			Weeks []struct{ Week, State string } `json:"weeks"`
		}
		cl.Get("/api/v1/checkins").JSON(t, &list)
		if len(list.Weeks) == 0 || list.Weeks[0].Week != ciWeek || list.Weeks[0].State != "passed" {
			t.Errorf("%s's week list: %+v", name, list.Weeks)
		}
		page := cl.Get("/checkins/" + ciWeek).Body
		ciWantBody(t, name+"'s week page", page, "passed without an exchange")
		ciMustNotContain(t, name+"'s week page", page, "answers are open", `action="/checkins/2026-W48/reflections"`, "What I heard")
		ciWantBody(t, name+"'s /checkins", cl.Get("/checkins").Body, "passed without an exchange")
		plan := cl.Get("/api/v1/plan").Body
		if !strings.Contains(plan, "This shows here once a check-in has opened for you both.") {
			t.Errorf("%s's plan counts the skipped week as opened: %s", name, plan)
		}
		var progress struct {
			Weeks []struct {
				Week   string `json:"week"`
				Opened bool   `json:"opened"`
			} `json:"weeks"`
		}
		cl.Get("/api/v1/progress").JSON(t, &progress)
		for _, w := range progress.Weeks {
			if w.Opened {
				t.Errorf("%s's progress charts the skipped week %s as opened", name, w.Week)
			}
		}
	}
	ciMustNotContain(t, "B's week", cp.B.Get("/api/v1/checkins/"+ciWeek).Body, "SKIP-A")
	ciMustNotContain(t, "B's week page", cp.B.Get("/checkins/"+ciWeek).Body, "SKIP-A")
	r := cp.B.JSON(http.MethodPut, "/api/v1/checkins/"+ciWeek+"/mine", ciAnswer("LATE-B", 5, 5, 5, true))
	if e := ciWantError(t, r, http.StatusConflict, ""); !strings.Contains(e["message"].(string), "passed without an exchange") {
		t.Errorf("unclear message: %v", e["message"])
	}
	ciWantError(t, cp.B.JSON(http.MethodPost, "/api/v1/checkins/"+ciWeek+"/reflections", map[string]string{"text": "x"}), http.StatusConflict, "")
	ciReauth(t, cp.B)
	ciMustNotContain(t, "B's export", cp.B.Get("/api/v1/me/export").Body, "SKIP-A")
}

// TestCheckinTakeAPauseOnEveryCouplePage: every page of a couple's member offers "Take a pause" in the
// header, one tap away (not behind the navigation's More), which leads to the pause form; someone
// without a couple is not offered it.
func TestCheckinTakeAPauseOnEveryCouplePage(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "pausenav")
	for _, p := range []string{"/dashboard", "/agreements", "/checkins", "/checkins/" + ciWeek, "/plan", "/progress", "/moments",
		"/acknowledgment", "/couple", "/account", "/guide", "/triggers", "/monthly"} {
		r := cp.A.Get(p)
		if r.Status != http.StatusOK {
			t.Errorf("%s: %d", p, r.Status)
			continue
		}
		header := r.Body
		if i := strings.Index(header, `<main`); i >= 0 {
			header = header[:i]
		}
		if i := strings.Index(header, `<details class="more">`); i >= 0 {
			if j := strings.Index(header[i:], `</details>`); j >= 0 {
				header = header[:i] + header[i+j+len(`</details>`):]
			}
		}
		ciWantBody(t, p+" outside More", header, `href="/checkins#pause">Take a pause</a>`)
	}
	ciWantBody(t, "/checkins", cp.A.Get("/checkins").Body, `id="pause"`, `action="/timeouts"`)
	solo := app.Client()
	solo.RegisterBrowser("pausenav-solo@example.org", "Solo")
	if strings.Contains(solo.Get("/dashboard").Body, "Take a pause") {
		t.Error("someone without a couple is offered a pause")
	}
}

// TestCheckinLowSafetyQuietsListening: while the signed-in person's latest safety answer is low, the
// week page does not push "What I heard" at them: the form sits behind a quiet, optional disclosure,
// and still works. The partner's page is unchanged.
func TestCheckinLowSafetyQuietsListening(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "quiet")
	ciPut(t, cp.A, ciWeek, ciAnswer("QUIET-A", 5, 5, 2, true))
	ciPut(t, cp.B, ciWeek, ciAnswer("QUIET-B", 5, 5, 8, true))
	page := "/checkins/" + ciWeek
	a := cp.A.Get(page).Body
	ciWantBody(t, "A's page", a, `id="safety-card"`, `<details class="quiet-listening"`, "(optional)", `action="/checkins/2026-W48/reflections"`)
	if strings.Contains(a, `<button type="submit">Share what I heard</button>`) {
		t.Error("A's page still pushes \"What I heard\" with the main button")
	}
	b := cp.B.Get(page).Body
	ciWantBody(t, "B's page", b, `<button type="submit">Share what I heard</button>`)
	if strings.Contains(b, "quiet-listening") {
		t.Error("A's low safety answer changed B's page")
	}
	ciWantRedirect(t, cp.A.PostForm(page+"/reflections", testutil.Form("heard", "I heard QUIET-B.")), page+"?saved=heard")
	ciPut(t, cp.A, "2026-W47", ciAnswer("QUIET-A-LAST", 5, 5, 9, false)) // an older answer does not lift it
	if !strings.Contains(cp.A.Get(page).Body, "quiet-listening") {
		t.Error("an older, higher answer lifted the quiet view")
	}
}

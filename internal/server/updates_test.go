package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/testutil"
)

// updateOut is one item of GET /api/v1/me/updates.
type updateOut struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	At   string `json:"at"`
	Link string `json:"link"`
	Seen bool   `json:"seen"`
}

// getUpdates returns cl's updates, failing unless the answer is 200 with exactly the documented keys.
func getUpdates(t *testing.T, cl *testutil.Client) []updateOut {
	t.Helper()
	r := cl.JSON(http.MethodGet, "/api/v1/me/updates", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /me/updates: %d %s", r.Status, r.Body)
	}
	var loose struct {
		Updates []map[string]any `json:"updates"`
	}
	r.JSON(t, &loose)
	for _, u := range loose.Updates {
		if len(u) != 5 {
			t.Errorf("an update carries more than id, kind, at, link and seen: %v", u)
		}
	}
	var out struct {
		Updates []updateOut `json:"updates"`
	}
	r.JSON(t, &out)
	return out.Updates
}

// updatesOf returns cl's updates of kind.
func updatesOf(t *testing.T, cl *testutil.Client, kind string) []updateOut {
	t.Helper()
	var out []updateOut
	for _, u := range getUpdates(t, cl) {
		if u.Kind == kind {
			out = append(out, u)
		}
	}
	return out
}

// wantUpdate checks that cl has exactly one update of kind, with the link, seen or not as asked.
func wantUpdate(t *testing.T, who string, cl *testutil.Client, kind, link string, seen bool) updateOut {
	t.Helper()
	got := updatesOf(t, cl, kind)
	if len(got) != 1 {
		t.Fatalf("%s has %d updates of kind %s, want 1: %+v", who, len(got), kind, getUpdates(t, cl))
	}
	if got[0].Link != link || got[0].Seen != seen || got[0].At == "" || !strings.HasPrefix(got[0].ID, kind+":") {
		t.Errorf("%s's %s update: %+v, want link %s, seen %v", who, kind, got[0], link, seen)
	}
	return got[0]
}

func noUpdate(t *testing.T, who string, cl *testutil.Client, kinds ...string) {
	t.Helper()
	for _, k := range kinds {
		if got := updatesOf(t, cl, k); len(got) != 0 {
			t.Errorf("%s has an update of kind %s: %+v", who, k, got)
		}
	}
}

// TestForYouEveryKindAppearsAndBecomesSeen goes through every kind of update: each arises for the
// person it is for (never for the one who caused it), and becomes seen when that person views the page
// it links to, or when it is marked by its id.
func TestForYouEveryKindAppearsAndBecomesSeen(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("foryou")
	a := planBrowser(t, app, "foryou", "a")
	var b *testutil.Client // B's browser signs in when it is first needed, after the clock has moved on
	step := func() { app.Clock.Advance(time.Minute) }

	// agreement_waiting: B proposes; A has a version to answer, B (who proposed it) has none.
	step()
	ag := proposeAPI(t, cp.B, honesty("Tell each other the truth"))
	link := "/agreements/" + ag.ID
	wantUpdate(t, "A", cp.A, "agreement_waiting", link, false)
	noUpdate(t, "B", cp.B, "agreement_waiting")
	step()
	planWantStatus(t, a.Get(link), http.StatusOK, "A views the agreement")
	wantUpdate(t, "A", cp.A, "agreement_waiting", link, true)
	// Accepting ends the wait: the update goes, as the version no longer waits for A.
	step()
	decodeAgreement(t, acceptAPI(cp.A, ag.ID, 1), http.StatusOK)
	noUpdate(t, "A", cp.A, "agreement_waiting")

	// agreement_withdrawn: B withdraws; A learns of it, B does not (B did it).
	step()
	if r := cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+ag.ID+"/withdraw", map[string]any{"note": "later"}); r.Status != http.StatusOK {
		t.Fatalf("withdraw: %d %s", r.Status, r.Body)
	}
	wantUpdate(t, "A", cp.A, "agreement_withdrawn", link, false)
	noUpdate(t, "B", cp.B, "agreement_withdrawn")
	step()
	a.Get(link)
	wantUpdate(t, "A", cp.A, "agreement_withdrawn", link, true)

	// agreement_due_for_review: an active agreement whose review date has come, for both.
	step()
	due := proposeAPI(t, cp.A, map[string]any{"title": "Phones on the table", "body": "We keep phones visible.", "category": "transparency",
		"review_on": "2026-11-27", "ends_on": "2027-02-01"})
	decodeAgreement(t, acceptAPI(cp.B, due.ID, 1), http.StatusOK)
	noUpdate(t, "A", cp.A, "agreement_due_for_review")
	app.Clock.Advance(3 * 24 * time.Hour)
	// Three days on, the browsers sign in again (their sessions went idle).
	a, b = planBrowser(t, app, "foryou", "a"), planBrowser(t, app, "foryou", "b")
	dueLink := "/agreements/" + due.ID
	wantUpdate(t, "A", cp.A, "agreement_due_for_review", dueLink, false)
	wantUpdate(t, "B", cp.B, "agreement_due_for_review", dueLink, false)
	step()
	b.Get(dueLink)
	wantUpdate(t, "B", cp.B, "agreement_due_for_review", dueLink, true)
	wantUpdate(t, "A", cp.A, "agreement_due_for_review", dueLink, false)

	// acknowledgment_shared and acknowledgment_response.
	step()
	planWantStatus(t, cp.A.JSON(http.MethodPut, "/api/v1/acknowledgment", planFullAck), http.StatusOK, "A shares")
	wantUpdate(t, "B", cp.B, "acknowledgment_shared", "/acknowledgment", false)
	noUpdate(t, "A", cp.A, "acknowledgment_shared", "acknowledgment_response")
	step()
	b.Get("/acknowledgment")
	wantUpdate(t, "B", cp.B, "acknowledgment_shared", "/acknowledgment", true)
	step()
	planWantStatus(t, cp.B.JSON(http.MethodPost, "/api/v1/acknowledgment/response", map[string]string{"status": "need_more"}), http.StatusOK, "B responds")
	wantUpdate(t, "A", cp.A, "acknowledgment_response", "/acknowledgment", false)
	noUpdate(t, "B", cp.B, "acknowledgment_response")
	step()
	a.Get("/acknowledgment")
	wantUpdate(t, "A", cp.A, "acknowledgment_response", "/acknowledgment", true)

	// checkin_opened: when the second shares, the week opens for both.
	step()
	week := ciWeek
	ciPut(t, cp.A, week, ciAnswer("FY-A", 5, 5, 8, true))
	noUpdate(t, "A", cp.A, "checkin_opened")
	noUpdate(t, "B", cp.B, "checkin_opened")
	step()
	ciPut(t, cp.B, week, ciAnswer("FY-B", 6, 6, 7, true))
	wantUpdate(t, "A", cp.A, "checkin_opened", "/checkins/"+week, false)
	wantUpdate(t, "B", cp.B, "checkin_opened", "/checkins/"+week, false)
	step()
	a.Get("/checkins/" + week)
	wantUpdate(t, "A", cp.A, "checkin_opened", "/checkins/"+week, true)

	// reflection_waiting (for the one whose answers were restated) and reflection_answered (for the
	// listener, once answered).
	step()
	id := ciReflect(t, cp.B, week, "I heard that the week was calm.")
	heard := "/checkins/" + week + "#heard"
	wantUpdate(t, "A", cp.A, "reflection_waiting", heard, false)
	noUpdate(t, "B", cp.B, "reflection_waiting", "reflection_answered")
	step()
	a.Get("/checkins/" + week)
	wantUpdate(t, "A", cp.A, "reflection_waiting", heard, true)
	step()
	if r := cp.A.JSON(http.MethodPost, "/api/v1/checkins/"+week+"/reflections/"+id+"/response", map[string]any{"accurate": true}); r.Status != http.StatusOK {
		t.Fatalf("respond: %d %s", r.Status, r.Body)
	}
	noUpdate(t, "A", cp.A, "reflection_waiting")
	wantUpdate(t, "B", cp.B, "reflection_answered", heard, false)
	step()
	b.Get("/checkins/" + week)
	wantUpdate(t, "B", cp.B, "reflection_answered", heard, true)

	// timeout_active: for the partner of the one who asked for the pause.
	step()
	until := app.Clock.Now().Add(time.Hour).Format(time.RFC3339)
	if r := cp.B.JSON(http.MethodPost, "/api/v1/timeouts", map[string]string{"until": until}); r.Status != http.StatusCreated {
		t.Fatalf("pause: %d %s", r.Status, r.Body)
	}
	wantUpdate(t, "A", cp.A, "timeout_active", "/checkins", false)
	noUpdate(t, "B", cp.B, "timeout_active")
	step()
	a.Get("/checkins")
	wantUpdate(t, "A", cp.A, "timeout_active", "/checkins", true)
	app.Clock.Advance(2 * time.Hour)
	noUpdate(t, "A", cp.A, "timeout_active")
	a, b = planBrowser(t, app, "foryou", "a"), planBrowser(t, app, "foryou", "b")

	// therapy_prompt: both privately said they would like to look into it.
	noUpdate(t, "A", cp.A, "therapy_prompt")
	for _, cl := range []*testutil.Client{cp.A, cp.B} {
		planWantStatus(t, cl.JSON(http.MethodPost, "/api/v1/plan/therapy", map[string]any{"ask": true}), http.StatusOK, "ask")
	}
	wantUpdate(t, "A", cp.A, "therapy_prompt", "/plan#therapy", false)
	step()
	a.Get("/plan")
	wantUpdate(t, "A", cp.A, "therapy_prompt", "/plan#therapy", true)
	wantUpdate(t, "B", cp.B, "therapy_prompt", "/plan#therapy", false)

	// new_sign_in: a sign-in from a device the account never used; the same device again is no news.
	noUpdate(t, "A", cp.A, "new_sign_in")
	step()
	phone := app.Client()
	phone.Headers["User-Agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Mobile/15E148 Safari/604.1"
	phone.LoginBrowser("foryou-a@example.org", testutil.Password)
	wantUpdate(t, "A", cp.A, "new_sign_in", "/safety-check", false)
	noUpdate(t, "B", cp.B, "new_sign_in")
	step()
	phone.LoginBrowser("foryou-a@example.org", testutil.Password)
	if got := updatesOf(t, cp.A, "new_sign_in"); len(got) != 1 {
		t.Errorf("the same new device signing in twice made %d updates", len(got))
	}
	home := a.Get("/dashboard")
	mustContain(t, "A's home", home.Body, `id="for-you-heading">For you`, "A new device signed in to your account.", "Safari on iPhone")
	if strings.Index(home.Body, "For you") > strings.Index(home.Body, "Your couple") {
		t.Error("For you is not at the top of the home page")
	}
	step()
	a.Get("/safety-check")
	wantUpdate(t, "A", cp.A, "new_sign_in", "/safety-check", true)

	// Marking one by its id, then all at once.
	open := wantUpdate(t, "A", cp.A, "agreement_due_for_review", dueLink, false)
	if r := cp.A.JSON(http.MethodPost, "/api/v1/me/updates/seen", map[string]any{"ids": []string{open.ID}}); r.Status != http.StatusNoContent {
		t.Fatalf("mark one: %d %s", r.Status, r.Body)
	}
	wantUpdate(t, "A", cp.A, "agreement_due_for_review", dueLink, true)
	if unseen := countUnseen(getUpdates(t, cp.B)); unseen == 0 {
		t.Fatal("B has nothing unseen: marking all proves nothing")
	}
	b.Get("/dashboard")
	if r := b.PostForm("/updates/seen", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("mark all on the page: %d %s", r.Status, r.Body)
	}
	if unseen := countUnseen(getUpdates(t, cp.B)); unseen != 0 {
		t.Errorf("after marking all, B has %d unseen", unseen)
	}
	if r := cp.A.JSON(http.MethodPost, "/api/v1/me/updates/seen", map[string]any{}); r.Status != http.StatusNoContent {
		t.Fatalf("mark all: %d %s", r.Status, r.Body)
	}
	if unseen := countUnseen(getUpdates(t, cp.A)); unseen != 0 {
		t.Errorf("after marking all, A has %d unseen", unseen)
	}
}

func countUnseen(list []updateOut) int {
	n := 0
	for _, u := range list {
		if !u.Seen {
			n++
		}
	}
	return n
}

// TestForYouMarksOnlyOwnUpdates: an id that is not one of the person's updates (the partner's, or
// made up) is refused with 422 on "ids" and marks nothing; a body that is not an object is 422.
func TestForYouMarksOnlyOwnUpdates(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("fymark")
	proposeAPI(t, cp.B, honesty("Tell each other the truth"))
	mine := wantUpdate(t, "A", cp.A, "agreement_waiting", updatesOf(t, cp.A, "agreement_waiting")[0].Link, false)
	for _, body := range []any{map[string]any{"ids": []string{mine.ID}}, map[string]any{"ids": []string{"agreement_waiting:nope:1"}}} {
		r := cp.B.JSON(http.MethodPost, "/api/v1/me/updates/seen", body)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"ids"`) {
			t.Errorf("B marks %v: %d %s", body, r.Status, r.Body)
		}
	}
	if r := cp.A.JSON(http.MethodPost, "/api/v1/me/updates/seen", `{"ids": "all"}`); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("ids as a string: %d %s", r.Status, r.Body)
	}
	wantUpdate(t, "A", cp.A, "agreement_waiting", mine.Link, false)
}

// TestForYouNeverShowsThePartnersPrivateThings: what the partner keeps to themselves makes no update
// for the other: a draft acknowledgment, answers shared while the other has not answered (sealed), a
// private moment, a private wish for therapy, and their own safety rating; nor does anything name what
// the partner has not done. And while A's latest safety answer is low, no update suggests doing
// something together, on the API or the home page, while B's do.
func TestForYouNeverShowsThePartnersPrivateThings(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("fypriv")
	const canary = "FYPRIV-CANARY"
	planWantStatus(t, cp.B.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": canary, "share": false}), http.StatusOK, "B drafts")
	ciPut(t, cp.B, ciWeek, ciAnswer(canary, 2, 2, 8, true))
	planWantStatus(t, cp.B.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "on": "2026-11-24", "note": canary}), http.StatusCreated, "B's private moment")
	planWantStatus(t, cp.B.JSON(http.MethodPost, "/api/v1/plan/therapy", map[string]any{"ask": true}), http.StatusOK, "B's wish")
	if got := getUpdates(t, cp.A); len(got) != 0 {
		t.Errorf("A has updates from B's private things: %+v", got)
	}
	a := planBrowser(t, app, "fypriv", "a")
	home := a.Get("/dashboard").Body
	mustNotContain(t, "A's home", home, canary, "For you")

	// A answers with a low safety rating: the week opens; B restates A's answers and A restates B's.
	ciPut(t, cp.A, ciWeek, ciAnswer("FYPRIV-A", 3, 3, 2, true))
	ciReflect(t, cp.B, ciWeek, "I heard a hard week.")
	ciReflect(t, cp.A, ciWeek, "I heard a hard week too.")
	wantUpdate(t, "A", cp.A, "checkin_opened", "/checkins/"+ciWeek, false)
	noUpdate(t, "A", cp.A, "reflection_waiting")
	wantUpdate(t, "B", cp.B, "reflection_waiting", "/checkins/"+ciWeek+"#heard", false)
	home = a.Get("/dashboard").Body
	mustContain(t, "A's home", home, "For you", "answers are open for you both.")
	mustNotContain(t, "A's home", home, canary, "suggest-joint")
	mustNotContain(t, "A's updates", cp.A.JSON(http.MethodGet, "/api/v1/me/updates", nil).Body, canary, "reflection_waiting", "safety")
	b := planBrowser(t, app, "fypriv", "b")
	mustContain(t, "B's home", b.Get("/dashboard").Body, "suggest-joint")
}

func init() {
	// Updates are the caller's own: another couple's request reaches none of the owner's, and marking
	// all as seen leaves the owner's updates unseen.
	setup := func(t *testing.T, app *testutil.App, owner testutil.Couple) {
		t.Helper()
		proposeAPI(t, owner.B, honesty(ownerPrefix+" agreement"))
	}
	check := func(t *testing.T, app *testutil.App, owner testutil.Couple) {
		t.Helper()
		if got := updatesOf(t, owner.A, "agreement_waiting"); len(got) != 1 || got[0].Seen {
			t.Errorf("the owner's updates changed: %+v", got)
		}
	}
	row := func(method, route string, body any) crossCoupleCase {
		return crossCoupleCase{Name: "own updates only", Method: method, Route: route, Check: check,
			Setup: func(t *testing.T, app *testutil.App, owner testutil.Couple) (string, any) {
				setup(t, app, owner)
				return route, body
			}}
	}
	addCrossCouple(
		row(http.MethodGet, "/api/v1/me/updates", nil),
		row(http.MethodPost, "/api/v1/me/updates/seen", map[string]any{}),
		row(http.MethodPost, "/updates/seen", testutil.Values{}),
	)
}

package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

func pageForm(title, body string) testutil.Values {
	return testutil.Form("title", title, "body", body, "category", "communication", "review_on", "2027-01-20", "ends_on", "")
}

func wantPage(t *testing.T, r *testutil.Response, status int, contains ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	for _, s := range contains {
		if !strings.Contains(r.Body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

func TestAgreementPagesProposeEditDiffAccept(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-pages")
	wantPage(t, cp.A.Get("/agreements/new"), http.StatusOK, "/agreements/new?template=weekly-check-in",
		"/agreements/new?template=shared-calendar", "/agreements/new?template=time-outs", "/agreements/new?template=named-contact")
	r := cp.A.Get("/agreements/new?template=shared-calendar")
	wantPage(t, r, http.StatusOK, `<option value="transparency" selected>`, `name="ends_on" type="date" min="2026-11-25" max="2027-05-25" value="2027-02-25"`)

	id := proposePage(t, cp.A, pageForm("Our weekly check-in", "We talk every Sunday at eight."))
	wantPage(t, cp.A.Get("/agreements/"+id+"?saved=new"), http.StatusOK, `data-kept-done="agreement-new"`, "It becomes active when you have both accepted it")
	wantPage(t, cp.B.Get("/agreements"), http.StatusOK, "Proposed", "Our weekly check-in", "Waiting for you to read it.")
	wantPage(t, cp.B.Get("/agreements/"+id), http.StatusOK, "I accept version 1", "/agreements/"+id+"/edit")

	wantPage(t, cp.B.Get("/agreements/"+id+"/edit"), http.StatusOK, `name="base_version" value="1"`, "We talk every Sunday at eight.")
	form := pageForm("Our weekly check-in", "We talk every Monday at eight.")
	form.Set("base_version", "1")
	r = cp.B.PostForm("/agreements/"+id+"/edit", form)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/agreements/"+id+"?saved=edit" {
		t.Fatalf("edit: %d %s", r.Status, r.Header.Get("Location"))
	}
	detail := cp.A.Get("/agreements/" + id)
	wantPage(t, detail, http.StatusOK, "What changed from version 1", "<del>Sunday</del><ins>Monday</ins>", "I accept version 2",
		`name="version" value="2"`, "B proposed version 2", "You proposed version 1")
	if r := cp.A.PostForm("/agreements/"+id+"/accept", testutil.Form("version", "1")); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, "changed in the meantime") {
		t.Fatalf("accepting version 1 on the page: %d", r.Status)
	}
	if r := cp.A.PostForm("/agreements/"+id+"/accept", testutil.Form("version", "2", "note", "Yes")); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	wantPage(t, cp.B.Get("/agreements/"+id), http.StatusOK, "Active: you both accepted version 2.", "You proposed version 2", "ag-pages A accepted version 2")
	wantPage(t, cp.B.Get("/agreements"), http.StatusOK, "Active", "Our weekly check-in")
	wantPage(t, cp.B.Get("/agreements/"+id+"?version=1"), http.StatusOK, "You are reading version 1", "We talk every Sunday at eight.")

	if r := cp.A.PostForm("/agreements/"+id+"/review", testutil.Form("next_review_on", "2026-11-01", "note", "kept note")); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="next_review_on-error"`) || !strings.Contains(r.Body, "kept note") {
		t.Fatalf("bad review date: %d", r.Status)
	}
	if r := cp.A.PostForm("/agreements/"+id+"/withdraw", testutil.Form("note", "Not now")); r.Status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", r.Status)
	}
	wantPage(t, cp.B.Get("/agreements"), http.StatusOK, "Withdrawn", "Consent withdrawn.")
}

func TestAgreementNewFormKeepsTextOnErrors(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-422")
	f := testutil.Form("title", "", "body", "My careful words", "category", "transparency", "review_on", "2027-01-20", "ends_on", "2027-09-01")
	r := cp.A.PostForm("/agreements", f)
	wantPage(t, r, http.StatusUnprocessableEntity, "My careful words", `id="title-error"`, `id="ends_on-error"`,
		`aria-invalid="true"`, "no more than 6 months ahead", `value="2027-09-01"`)
	f = testutil.Form("title", "T", "body", "B", "category", "surveillance", "review_on", "tomorrow")
	wantPage(t, cp.A.PostForm("/agreements", f), http.StatusUnprocessableEntity, `id="category-error"`, `id="review_on-error"`)
}

func TestAgreementStaleEditShowsBothTextsSideBySide(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-409")
	id := proposePage(t, cp.A, pageForm("Time-outs", "We pause for twenty minutes."))
	theirs := pageForm("Time-outs", "We pause for half an hour, then come back.")
	theirs.Set("base_version", "1")
	if r := cp.B.PostForm("/agreements/"+id+"/edit", theirs); r.Status != http.StatusSeeOther {
		t.Fatalf("B's edit: %d", r.Status)
	}
	mine := pageForm("Time-outs, kindly", "We pause for twenty minutes and say when we will be back.")
	mine.Set("base_version", "1")
	r := cp.A.PostForm("/agreements/"+id+"/edit", mine)
	wantPage(t, r, http.StatusConflict, `class="side-by-side"`, "The latest version (version 2)",
		"We pause for half an hour, then come back.", "We pause for twenty minutes and say when we will be back.",
		`value="Time-outs, kindly"`, `name="base_version" value="2"`)
	if strings.Contains(r.Body, "data-kept-done") {
		t.Error("the conflict page must not clear the text kept in the browser")
	}
	// Proposing it from the conflict page puts it on top of the latest version.
	mine.Set("base_version", "2")
	if r := cp.A.PostForm("/agreements/"+id+"/edit", mine); r.Status != http.StatusSeeOther {
		t.Fatalf("proposing from the conflict page: %d", r.Status)
	}
	if got := getAPI(t, cp.A, id); got.Version != 3 || got.Title != "Time-outs, kindly" || got.Versions[2].Author == nil || got.Log[2].By == nil || *got.Versions[2].Author != *got.Log[2].By || got.Log[2].Version != 3 {
		t.Fatalf("after resolving: %+v", got)
	}
}

func TestAgreementSoloProposalWaits(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.Client()
	cl.RegisterAPI("ag-solo@example.org", "Solo")
	if r := cl.JSON(http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "UTC", "checkin_weekday": "monday"}); r.Status != http.StatusCreated {
		t.Fatalf("start: %d", r.Status)
	}
	id := proposePage(t, cl, pageForm("Honesty", "We say what is true."))
	r := cl.Get("/agreements/" + id)
	wantPage(t, r, http.StatusOK, "will wait here until your partner joins", "Suggest changes")
	if strings.Contains(r.Body, "I accept version") {
		t.Error("a solo author is offered to accept their own proposal")
	}
	if got := getAPI(t, cl, id); got.Status != "proposed" {
		t.Fatalf("solo status %s", got.Status)
	}
}

func TestEveryAgreementPageLinksToTheGuide(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-guide")
	a := proposeAPI(t, cp.A, honesty("Honesty"))
	decodeAgreement(t, editAPI(cp.B, a.ID, 1, honesty("Honesty 2")), http.StatusOK)
	stale := pageForm("x", "y")
	stale.Set("base_version", "1")
	pages := map[string]*testutil.Response{
		"list":     cp.A.Get("/agreements"),
		"new":      cp.A.Get("/agreements/new"),
		"detail":   cp.A.Get("/agreements/" + a.ID),
		"edit":     cp.A.Get("/agreements/" + a.ID + "/edit"),
		"conflict": cp.A.PostForm("/agreements/"+a.ID+"/edit", stale),
		"invalid":  cp.A.PostForm("/agreements", testutil.Form("title", "")),
	}
	for name, r := range pages {
		for _, link := range []string{`href="/guide/rebuild-trust#step-4-agreements"`, `href="/guide/rebuild-trust#step-2-transparency"`, "<title>Agreements</title>"} {
			if !strings.Contains(r.Body, link) {
				t.Errorf("%s page (%d) lacks %s", name, r.Status, link)
			}
		}
	}
}

func TestAgreementPagesNeedACouple(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cl := app.Client()
	cl.RegisterAPI("ag-nocouple@example.org", "Alone")
	if r := cl.Get("/agreements"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/couple" {
		t.Errorf("page without a couple: %d %s", r.Status, r.Header.Get("Location"))
	}
	if r := cl.Get("/api/v1/agreements"); r.Status != http.StatusNotFound {
		t.Errorf("API without a couple: %d", r.Status)
	}
	anon := app.Client()
	if r := anon.Get("/api/v1/agreements"); r.Status != http.StatusUnauthorized {
		t.Errorf("API without a session: %d", r.Status)
	}
}

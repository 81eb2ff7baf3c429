package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// wantAbsent fails the test for each of absent that the page holds.
func wantAbsent(t *testing.T, r *testutil.Response, absent ...string) {
	t.Helper()
	for _, s := range absent {
		if strings.Contains(r.Body, s) {
			t.Errorf("page holds %q", s)
		}
	}
}

// TestAgreementFormsShowAgainWhereTheyWerePosted checks that a failed form on a page of several shows
// again with what was typed and its errors in that form only, and that an edit keeps its base version.
func TestAgreementFormsShowAgainWhereTheyWerePosted(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-forms")
	id := proposePage(t, cp.A, pageForm("Evenings", "We eat together on Fridays."))
	if r := cp.B.PostForm("/agreements/"+id+"/accept", testutil.Form("version", "1")); r.Status != http.StatusSeeOther {
		t.Fatalf("B accepts: %d %s", r.Status, r.Body)
	}
	page := "/agreements/" + id
	cp.A.Get(page)

	r := cp.A.PostForm(page+"/review", testutil.Form("next_review_on", "2026-11-01", "note", "REVIEW NOTE"))
	wantPage(t, r, http.StatusUnprocessableEntity, `id="next_review_on-error"`, `value="2026-11-01"`, ">REVIEW NOTE</textarea>",
		`id="withdraw-note" name="note" rows="2" maxlength="1000"></textarea>`)

	long := strings.Repeat("w", 1001)
	r = cp.A.PostForm(page+"/withdraw", testutil.Form("note", long))
	wantPage(t, r, http.StatusUnprocessableEntity, `id="withdraw-note-error"`, ">"+long+"</textarea>",
		`id="review-note" name="note" rows="2" maxlength="1000"></textarea>`, `value="2027-02-25"`)
	wantAbsent(t, r, `id="review-note-error"`, `id="next_review_on-error"`)

	cp.A.Get(page + "/edit")
	f := pageForm("", "We eat together on Saturdays.")
	f.Set("base_version", "1")
	r = cp.A.PostForm(page+"/edit", f)
	wantPage(t, r, http.StatusUnprocessableEntity, `id="title-error"`, `name="base_version" value="1"`, "We eat together on Saturdays.</textarea>")
}

// TestPlanPagesFormsShowAgainWhereTheyWerePosted checks the same on the plan and acknowledgment pages:
// the form that failed keeps what was typed, and the page's other form keeps what it held before.
func TestPlanPagesFormsShowAgainWhereTheyWerePosted(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "pgforms")
	a := planBrowser(t, ps.app, "pgforms", "a")
	b := planBrowser(t, ps.app, "pgforms", "b")

	a.Get("/plan")
	planWantRedirect(t, a.PostForm("/plan/therapy", testutil.Form("form", "decision", "decision", "considering", "revisit_on", "2027-02-01")), "/plan#therapy", "decision")
	r := a.PostForm("/plan/items", testutil.Form("title", "", "notes", "KEPT NOTES"))
	wantPage(t, r, http.StatusUnprocessableEntity, `id="title-error"`, "KEPT NOTES</textarea>", `value="considering" checked`, `value="2027-02-01"`)
	wantAbsent(t, r, `id="decision-error"`, `id="revisit_on-error"`)

	r = a.PostForm("/plan/therapy", testutil.Form("form", "decision", "decision", "", "revisit_on", "2020-01-01"))
	wantPage(t, r, http.StatusUnprocessableEntity, `id="decision-error"`, `id="revisit_on-error"`, `value="2020-01-01"`,
		`name="notes" rows="3" maxlength="2000"></textarea>`)
	wantAbsent(t, r, `id="title-error"`, `value="considering" checked`)

	b.Get("/acknowledgment")
	planWantRedirect(t, b.PostForm("/acknowledgment", testutil.Form("what_happened", "B'S OWN DRAFT", "action", "save")), "/acknowledgment?saved=1", "B's draft")
	a.Get("/acknowledgment")
	planWantRedirect(t, a.PostForm("/acknowledgment", testutil.Form("what_happened", "I hid messages for three months.", "responsibility", "All mine.",
		"impact", "You lost sleep.", "commitments", "Tell you first", "action", "preview")), "/acknowledgment/preview", "A's preview")
	a.Get("/acknowledgment/preview")
	planWantRedirect(t, a.PostForm("/acknowledgment/share", testutil.Form("version", "1")), "/acknowledgment?shared=1", "share")
	r = b.PostForm("/acknowledgment/response", testutil.Form("status", "maybe", "note", "KEEP NOTE"))
	wantPage(t, r, http.StatusUnprocessableEntity, `id="status-error"`, "KEEP NOTE</textarea>", ">B&#39;S OWN DRAFT</textarea>")
	wantAbsent(t, r, `id="what_happened-error"`)

	long := strings.Repeat("commit\n", 25)
	r = b.PostForm("/acknowledgment", testutil.Form("what_happened", "B TYPED AGAIN", "commitments", long, "action", "save"))
	wantPage(t, r, http.StatusUnprocessableEntity, `id="commitments-error"`, ">B TYPED AGAIN</textarea>",
		`id="response-note" name="note" rows="3" maxlength="1000" aria-describedby="response-note-help"></textarea>`)
	wantAbsent(t, r, `id="status-error"`, `value="read" checked`, `value="need_more" checked`)
}

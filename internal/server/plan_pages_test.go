package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

func planWantRedirect(t *testing.T, r *testutil.Response, prefix, what string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), prefix) {
		t.Fatalf("%s: %d to %q, want 303 to %s…\n%s", what, r.Status, r.Header.Get("Location"), prefix, r.Body)
	}
}

func TestPlanPagesLinkTheirGuidanceAndHaveNeutralTitles(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "pglinks")
	a := planBrowser(t, ps.app, "pglinks", "a")
	cases := []struct {
		path, title string
		links       []string
	}{
		{"/acknowledgment", "Acknowledgment", []string{"/guide/rebuild-trust#step-1-acknowledge", "/forgiveness-after-betrayal"}},
		{"/plan", "Plan", []string{"/guide/rebuild-trust#checklist", "/guide/rebuild-trust#step-5-support", "/couples-therapy"}},
		{"/moments", "Moments", []string{"/guide/rebuild-trust#step-6-intimacy"}},
		{"/progress", "Progress", []string{"/guide/rebuild-trust#slow-progress"}},
	}
	for _, tc := range cases {
		r := a.Get(tc.path)
		planWantStatus(t, r, http.StatusOK, tc.path)
		if !strings.Contains(r.Body, "<title>"+tc.title+"</title>") {
			t.Errorf("%s: title is not %q", tc.path, tc.title)
		}
		for _, l := range tc.links {
			if !strings.Contains(r.Body, `href="`+l+`"`) {
				t.Errorf("%s lacks a link to %s", tc.path, l)
			}
		}
		if !strings.Contains(r.Body, `aria-current="page">`) {
			t.Errorf("%s: no current section marked", tc.path)
		}
	}
	anon := ps.app.Client()
	for _, tc := range cases {
		if r := anon.Get(tc.path); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("%s without a session: %d %s", tc.path, r.Status, r.Header.Get("Location"))
		}
	}
	solo := ps.app.Client()
	solo.RegisterBrowser("pglinks-solo@example.org", "Solo")
	if r := solo.Get("/plan"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/couple" {
		t.Errorf("/plan without a couple: %d %s", r.Status, r.Header.Get("Location"))
	}
}

func TestAcknowledgmentPagesWriteShareAndAnswer(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "pgack")
	a := planBrowser(t, ps.app, "pgack", "a")
	b := planBrowser(t, ps.app, "pgack", "b")
	a.Get("/acknowledgment")
	long := strings.Repeat("commit\n", 25)
	r := a.PostForm("/acknowledgment", testutil.Form("what_happened", "KEPT TEXT", "commitments", long, "action", "save"))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "too many commitments")
	if !strings.Contains(r.Body, "KEPT TEXT</textarea>") || !strings.Contains(r.Body, `id="commitments-error"`) || !strings.Contains(r.Body, `aria-invalid="true"`) {
		t.Errorf("422 page does not keep the text or mark the field")
	}
	r = a.PostForm("/acknowledgment", testutil.Form("what_happened", "It was only a few messages.", "action", "save"))
	planWantRedirect(t, r, "/acknowledgment?saved=1", "save draft")
	page := a.Get("/acknowledgment")
	if !strings.Contains(page.Body, "Some phrases to look at again") || !strings.Contains(page.Body, "“It was only”") || !strings.Contains(page.Body, "private draft") {
		t.Errorf("draft page lacks the hint or the privacy line")
	}
	if r := b.Get("/acknowledgment"); strings.Contains(r.Body, "a few messages") || !strings.Contains(r.Body, "Nothing has been shared with you here") {
		t.Errorf("B's page shows A's draft")
	}
	r = a.PostForm("/acknowledgment", testutil.Form("what_happened", "I hid messages for three months.", "responsibility", "All mine.",
		"impact", "You lost sleep.", "commitments", "Tell you first\nAnswer questions", "action", "preview"))
	planWantRedirect(t, r, "/acknowledgment/preview", "save and preview")
	prev := a.Get("/acknowledgment/preview")
	if !strings.Contains(prev.Body, "exactly what pgack B will see") || !strings.Contains(prev.Body, `name="version" value="2"`) {
		t.Fatalf("preview: %s", prev.Body)
	}
	if r := b.Get("/acknowledgment"); strings.Contains(r.Body, "three months") {
		t.Error("B sees the text before it is shared")
	}
	planWantStatus(t, a.PostForm("/acknowledgment/share", testutil.Form("version", "1")), http.StatusConflict, "share a stale preview")
	planWantRedirect(t, a.PostForm("/acknowledgment/share", testutil.Form("version", "2")), "/acknowledgment?shared=1", "share")
	page = b.Get("/acknowledgment")
	if !strings.Contains(page.Body, "I hid messages for three months.") || !strings.Contains(page.Body, "<li>Answer questions</li>") {
		t.Fatalf("B does not see the shared acknowledgment")
	}
	r = b.PostForm("/acknowledgment/response", testutil.Form("status", "maybe", "note", "KEEP NOTE"))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "bad status")
	if !strings.Contains(r.Body, "KEEP NOTE</textarea>") || !strings.Contains(r.Body, `id="status-error"`) {
		t.Error("response 422 does not keep the note or name the field")
	}
	planWantRedirect(t, b.PostForm("/acknowledgment/response", testutil.Form("status", "read", "note", "Thank you for writing it.")), "/acknowledgment#partner", "answer")
	page = a.Get("/acknowledgment")
	if !strings.Contains(page.Body, "pgack B answered:</strong> I've read it") || !strings.Contains(page.Body, "Thank you for writing it.") {
		t.Error("A does not see B's answer")
	}
	if !strings.Contains(a.Get("/plan").Body, "Shown in the app:</strong> An acknowledgment has been shared and marked as read.") {
		t.Error("the plan's first item does not show the acknowledgment as evidence")
	}
}

func TestPlanAndMomentsPages(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "pgplan")
	a := planBrowser(t, ps.app, "pgplan", "a")
	b := planBrowser(t, ps.app, "pgplan", "b")
	a.Get("/plan")
	planWantRedirect(t, a.PostForm("/plan/items/checkins", testutil.Form("field", "did_my_part", "value", "1")), "/plan#item-checkins", "did my part")
	planWantRedirect(t, a.PostForm("/plan/items/checkins", testutil.Form("field", "done", "value", "1")), "/plan#item-checkins", "done")
	planWantStatus(t, a.PostForm("/plan/items/checkins", testutil.Form("field", "owner", "value", "1")), http.StatusUnprocessableEntity, "unknown field")
	planWantStatus(t, a.PostForm("/plan/items/nope", testutil.Form("field", "done", "value", "1")), http.StatusNotFound, "unknown item")
	// A's "done" is A's say only: B sees that A marked it, and a quiet button to say so too.
	page := b.Get("/plan")
	if !strings.Contains(page.Body, "pgplan A: did their part") || !strings.Contains(page.Body, "0 of 5") || !strings.Contains(page.Body, "pgplan A marked it done") ||
		!strings.Contains(page.Body, "pgplan A has marked it done. It counts as done once you both have.") {
		t.Errorf("B's plan page lacks A's marks or history, or counts A's mark alone as done")
	}
	if btn := planDoneButton(t, page.Body, "checkins"); !strings.Contains(btn, `class="secondary"`) || !strings.Contains(btn, "I agree it's done") {
		t.Errorf("B's done button: %s", btn)
	}
	planWantRedirect(t, b.PostForm("/plan/items/checkins", testutil.Form("field", "done", "value", "1")), "/plan#item-checkins", "B confirms")
	page = a.Get("/plan")
	if !strings.Contains(page.Body, "1 of 5") || !strings.Contains(page.Body, "You both marked it done.") {
		t.Errorf("A's plan page after both marked it done lacks the tally or the line")
	}
	if btn := planDoneButton(t, page.Body, "checkins"); !strings.Contains(btn, `class="secondary"`) || !strings.Contains(btn, "Take back my “done”") {
		t.Errorf("A's done button once done: %s", btn)
	}
	if btn := planDoneButton(t, page.Body, "therapy"); !strings.Contains(btn, `class="secondary"`) || !strings.Contains(btn, "Mark it done") {
		t.Errorf("A's done button on an unmarked item: %s", btn)
	}
	r := b.PostForm("/plan/therapy", testutil.Form("form", "decision", "decision", "not_now", "revisit_on", "2020-01-01"))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "past revisit date")
	if !strings.Contains(r.Body, `value="2020-01-01"`) || !strings.Contains(r.Body, `id="revisit_on-error"`) {
		t.Error("therapy 422 does not keep the date or name the field")
	}
	planWantRedirect(t, b.PostForm("/plan/therapy", testutil.Form("form", "decision", "decision", "not_now", "revisit_on", "2027-02-01")), "/plan#therapy", "decision")
	planWantRedirect(t, b.PostForm("/plan/therapy", testutil.Form("form", "ask", "ask", "1")), "/plan#therapy", "ask")
	if p := a.Get("/plan").Body; !strings.Contains(p, "Recorded:</strong> Not now, to revisit on 1 February 2027") || strings.Contains(p, "You said privately") {
		t.Error("A's plan page: decision missing, or B's private ask shows")
	}
	if p := b.Get("/plan").Body; !strings.Contains(p, "You said privately") {
		t.Error("B's own ask is not shown to B")
	}
	r = a.PostForm("/plan/items", testutil.Form("title", "", "notes", "KEPT NOTES"))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "empty item")
	if !strings.Contains(r.Body, "KEPT NOTES</textarea>") {
		t.Error("item 422 does not keep the notes")
	}
	planWantRedirect(t, a.PostForm("/plan/items", testutil.Form("title", "Sunday walks")), "/plan?added=1", "add item")

	a.Get("/moments")
	r = a.PostForm("/moments", testutil.Form("kind", "kindness", "on", "2030-01-01", "note", "KEPT MOMENT"))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "future moment")
	if !strings.Contains(r.Body, "KEPT MOMENT</textarea>") || !strings.Contains(r.Body, `id="on-error"`) {
		t.Error("moment 422 does not keep the note")
	}
	planWantRedirect(t, a.PostForm("/moments", testutil.Form("kind", "kindness", "on", "2026-11-24", "note", "PRIVATE PAGE MOMENT")), "/moments", "private moment")
	planWantRedirect(t, a.PostForm("/moments", testutil.Form("kind", "conversation", "note", "SHARED PAGE MOMENT", "shared", "1")), "/moments", "shared moment")
	if p := b.Get("/moments").Body; strings.Contains(p, "PRIVATE PAGE MOMENT") || !strings.Contains(p, "SHARED PAGE MOMENT") || !strings.Contains(p, "Shared by pgplan A") {
		t.Error("B's moments page shows a private moment or lacks the shared one")
	}
	var list struct {
		Moments []struct {
			ID   string `json:"id"`
			Note string `json:"note"`
		} `json:"moments"`
	}
	ps.cp.A.JSON(http.MethodGet, "/api/v1/moments", nil).JSON(t, &list)
	var privID, sharedID string
	for _, m := range list.Moments {
		if m.Note == "PRIVATE PAGE MOMENT" {
			privID = m.ID
		} else {
			sharedID = m.ID
		}
	}
	b.Get("/moments")
	planWantStatus(t, b.PostForm("/moments/"+privID+"/share", nil), http.StatusNotFound, "B shares A's private moment")
	planWantStatus(t, b.PostForm("/moments/"+sharedID+"/delete", nil), http.StatusForbidden, "B removes A's shared moment")
	planWantRedirect(t, a.PostForm("/moments/"+privID+"/share", nil), "/moments", "A shares")
	if p := b.Get("/moments").Body; !strings.Contains(p, "PRIVATE PAGE MOMENT") {
		t.Error("a moment shared later is not visible to B")
	}
	planWantRedirect(t, a.PostForm("/moments/"+privID+"/delete", nil), "/moments", "A removes")
	if p := a.Get("/moments").Body; strings.Contains(p, "PRIVATE PAGE MOMENT") {
		t.Error("removed moment still shown")
	}
}

// planDoneButton returns the button of the form that sets the asking user's own "done" on item id.
func planDoneButton(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="item-`+id+`"`)
	if i < 0 {
		t.Fatalf("no item %s on the page", id)
	}
	rest := body[i:]
	j := strings.Index(rest, `name="field" value="done"`)
	if j < 0 {
		t.Fatalf("item %s has no done form", id)
	}
	k := strings.Index(rest[j:], "</button>")
	b := strings.LastIndex(rest[j:j+k], "<button")
	return rest[j+b : j+k]
}

package server_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// ciFormAgreements returns the agreement inputs of the week page's answer form, in the page's order.
func ciFormAgreements(t *testing.T, body string) []string {
	t.Helper()
	var names []string
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`name="(agreement\.[^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
		}
	}
	if len(names) == 0 {
		t.Fatal("the answer form asks about no agreement")
	}
	return names
}

// ciInvalidFields returns the answer form's fields marked invalid, each as its block of HTML.
func ciInvalidFields(body string) []string {
	var out []string
	for _, block := range strings.Split(body, `<div class="field`)[1:] {
		if strings.HasPrefix(block, ` invalid"`) {
			out = append(out, block)
		}
	}
	return out
}

// TestCheckinPageFailedFormsKeepWhatWasTyped: every form of the check-in pages, refused, comes back
// with everything typed in it: the answers' texts, ratings, "not this week" and each agreement's
// answer; what was heard; a response and a validating line; a pause's length and note.
func TestCheckinPageFailedFormsKeepWhatWasTyped(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "keepall")
	ids := ciActiveAgreements(t, cp, 2)
	page := "/checkins/" + ciWeek

	form := testutil.Form("appreciation", "KEEP-appreciation", "went_well", "KEEP-went-well", "was_hard", "KEEP-was-hard",
		"need", "KEEP-need", "trust", "ten", "connection", "5", "safety", "6", "skip", "yes", "action", "share",
		"agreement."+ids[0], "not_kept", "agreement."+ids[1], "not_sure")
	for _, bad := range []string{"ten", "11"} { // refused by the page, then by the service
		form.Set("trust", bad)
		r := cp.A.PostForm(page, form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("trust %q: %d", bad, r.Status)
		}
		ciWantBody(t, "the answers refused with trust "+bad, r.Body, "KEEP-appreciation", "KEEP-went-well", "KEEP-was-hard", "KEEP-need",
			`name="connection" value="5" checked`, `name="safety" value="6" checked`, `name="skip" value="yes" aria-describedby="f-skip-help" checked`,
			`name="agreement.`+ids[0]+`" value="not_kept" checked`, `name="agreement.`+ids[1]+`" value="not_sure" checked`, `id="f-trust-error"`)
	}

	if r := cp.A.PostForm("/timeouts", testutil.Form("for", "240", "note", strings.Repeat("n", 501)+"KEEP-PAUSE")); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a pause note too long: %d", r.Status)
	} else {
		ciWantBody(t, "the pause refused", r.Body, `<option value="240" selected>`, "KEEP-PAUSE", `id="pause-note-error"`)
	}

	ciPut(t, cp.A, ciWeek, ciAnswer("keepall-A", 5, 5, 7, true))
	ciPut(t, cp.B, ciWeek, ciAnswer("keepall-B", 5, 5, 7, true))
	long := strings.Repeat("h", 4001)
	if r := cp.B.PostForm(page+"/reflections", testutil.Form("heard", long+"KEEP-HEARD")); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("what was heard, too long: %d", r.Status)
	} else {
		ciWantBody(t, "what was heard, refused", r.Body, "KEEP-HEARD", `id="heard-text-error"`)
	}
	id := ciReflect(t, cp.B, ciWeek, "I heard KEEP-A.")
	if r := cp.A.PostForm(page+"/reflections/"+id+"/response", testutil.Form("accurate", "no", "reply", long+"KEEP-MEANT")); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a response too long: %d", r.Status)
	} else {
		ciWantBody(t, "the response refused", r.Body, "KEEP-MEANT", `id="r-`+id+`-error"`)
	}
	ciWantRedirect(t, cp.A.PostForm(page+"/reflections/"+id+"/response", testutil.Form("accurate", "yes")), page+"?saved=response")
	if r := cp.B.PostForm(page+"/reflections/"+id+"/validation", testutil.Form("reply", strings.Repeat("v", 501)+"KEEP-LINE")); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a validating line too long: %d", r.Status)
	} else {
		ciWantBody(t, "the validating line refused", r.Body, "KEEP-LINE", `id="v-`+id+`-error"`)
	}
}

// TestCheckinPageRefusesAnAgreementItDoesNotAsk: the page's answers name their agreements in the
// posted field names; one the week does not ask about (withdrawn while the page was open, or made up)
// is refused as the API refuses it, with a message saying so and nothing typed lost or saved.
func TestCheckinPageRefusesAnAgreementItDoesNotAsk(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "strayagr")
	ids := ciActiveAgreements(t, cp, 1)
	page := "/checkins/" + ciWeek
	r := cp.A.PostForm(page, testutil.Form("was_hard", "STRAY-hard", "trust", "4", "action", "draft",
		"agreement."+ids[0], "kept", "agreement.not-one-of-ours", "kept"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an agreement the week does not ask about: %d, want 422", r.Status)
	}
	ciWantBody(t, "the refused answers", r.Body, "One of the agreements changed while you were answering", "STRAY-hard",
		`name="trust" value="4" checked`, `name="agreement.`+ids[0]+`" value="kept" checked`)
	if strings.Contains(r.Body, "not-one-of-ours") {
		t.Error("the page draws an agreement the week does not ask about")
	}
	if w := ciGetWeek(t, cp.A, ciWeek); w.Mine != nil {
		t.Errorf("the refused answers were saved: %v", w.Mine)
	}
}

// TestCheckinPageMarksTheAgreementAnswered: a refused answer about one agreement is marked on that
// agreement's question, even when the questions before it were left unanswered.
func TestCheckinPageMarksTheAgreementAnswered(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "markagr")
	ciActiveAgreements(t, cp, 3)
	page := "/checkins/" + ciWeek
	names := ciFormAgreements(t, cp.A.Get(page).Body)
	last := names[len(names)-1]
	r := cp.A.PostForm(page, testutil.Form("trust", "4", "action", "draft", last, "maybe"))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an answer that is not a choice: %d", r.Status)
	}
	invalid := ciInvalidFields(r.Body)
	if len(invalid) != 1 || !strings.Contains(invalid[0], `name="`+last+`"`) || !strings.Contains(invalid[0], "Choose kept, partly, not kept or not sure.") {
		t.Errorf("want only the question answered (%s) marked, got %d marked:\n%s", last, len(invalid), strings.Join(invalid, "\n---\n"))
	}
}

// TestCheckinPageTakesAMultipartForm: the answer form posted as multipart/form-data (as a script
// sending FormData would) is read as the url-encoded one is, agreements included.
func TestCheckinPageTakesAMultipartForm(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := ciBrowserCouple(t, app, "multipart")
	ids := ciActiveAgreements(t, cp, 2)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, kv := range [][2]string{{"_csrf", cp.A.CSRF}, {"was_hard", "MULTI-hard"}, {"trust", "4"}, {"action", "draft"},
		{"agreement." + ids[1], "partly"}, {"agreement." + ids[0], "kept"}} {
		if err := w.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/checkins/"+ciWeek, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	ciWantRedirect(t, cp.A.Do(req), "/checkins/"+ciWeek+"?saved=draft")
	mine := ciGetWeek(t, cp.A, ciWeek).Mine
	kept, _ := mine["agreements"].([]any)
	if mine["was_hard"] != "MULTI-hard" || len(kept) != 2 {
		t.Fatalf("the multipart answers were not saved whole: %v", mine)
	}
	got := map[string]any{}
	for _, k := range kept {
		k, _ := k.(map[string]any)
		got[k["agreement_id"].(string)] = k["kept"]
	}
	if got[ids[0]] != "kept" || got[ids[1]] != "partly" {
		t.Errorf("kept answers %v, want %s kept and %s partly", got, ids[0], ids[1])
	}
}

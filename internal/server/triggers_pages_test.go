package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// TestTriggerPagesLogPreviewSignalAndRespond drives the trigger log through its pages, without
// JavaScript: a private entry (an invalid one first, shown again with the text kept), the preview of
// exactly what the partner would see, a signal without the words, and the partner's response.
func TestTriggerPagesLogPreviewSignalAndRespond(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("trpage")
	a, b := cp.A, cp.B
	const words = "TRPAGE the smell of that perfume"

	r := a.Get("/triggers")
	planWantStatus(t, r, http.StatusOK, "/triggers")
	mustContain(t, "/triggers", r.Body, "<title>Notes</title>", `href="/guide/rebuild-trust#doubt-and-hypervigilance"`, "Only you can see this log")
	r = a.PostForm("/triggers", testutil.Form("at", "2026-11-25T10:15", "what", words, "strength", "", "helped", "TRPAGE tea"))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "no strength")
	mustContain(t, "the form shown again", r.Body, words, "TRPAGE tea", `id="strength-error"`)
	r = a.PostForm("/triggers", testutil.Form("at", "2026-11-25T10:15", "what", words, "strength", "7", "helped", "TRPAGE tea"))
	planWantRedirect(t, r, "/triggers?done=saved", "log")
	r = a.Get("/triggers?done=saved")
	mustContain(t, "the log", r.Body, words, "TRPAGE tea", "Wed 25 November 2026, 10:15", "strength 7 of 10", "Private: only you can see this.")
	id := regexpFind(t, r.Body, `href="/triggers/([A-Za-z0-9_-]+)/signal"`)

	mustNotContain(t, "B's trigger page", b.Get("/triggers").Body, words, id)
	planWantStatus(t, b.Get("/triggers/"+id+"/signal"), http.StatusNotFound, "B previews A's entry")
	planWantStatus(t, b.Get("/triggers/"+id+"/edit"), http.StatusNotFound, "B edits A's entry")

	r = a.Get("/triggers/" + id + "/signal")
	planWantStatus(t, r, http.StatusOK, "preview")
	mustContain(t, "preview", r.Body, "Something brought the hurt back. I&#39;d like some reassurance.", words, `name="include_text" value="0"`, `name="include_text" value="1"`)
	r = a.PostForm("/triggers/"+id+"/signal", testutil.Form("include_text", "0"))
	planWantRedirect(t, r, "/triggers?done=signalled", "signal")
	mustContain(t, "A's log after signalling", a.Get("/triggers").Body, "without the words")

	r = b.Get("/triggers")
	mustContain(t, "B's page", r.Body, "Something brought the hurt back", "Reassure with a fact", "Ask what would help")
	mustNotContain(t, "B's page", r.Body, words, "TRPAGE tea")
	sid := regexpFind(t, r.Body, `action="/signals/([A-Za-z0-9_-]+)/response"`)
	r = b.PostForm("/signals/"+sid+"/response", testutil.Form("kind", "acknowledge", "text", ""))
	planWantStatus(t, r, http.StatusUnprocessableEntity, "empty response")
	r = b.PostForm("/signals/"+sid+"/response", testutil.Form("kind", "acknowledge", "text", "TRPAGE I hear you, and I'm sorry."))
	planWantRedirect(t, r, "/triggers?done=responded", "respond")
	mustContain(t, "A's log", a.Get("/triggers").Body, "TRPAGE I hear you, and I&#39;m sorry.", "Acknowledge it")

	r = a.PostForm("/triggers/"+id+"/edit", testutil.Form("at", "2026-11-25T10:20", "what", words+" (edited)", "strength", "5", "helped", ""))
	planWantRedirect(t, r, "/triggers?done=saved", "edit")
	mustContain(t, "after the edit", a.Get("/triggers").Body, "(edited)", "strength 5 of 10")
	r = a.PostForm("/triggers/"+id+"/delete", testutil.Form())
	planWantRedirect(t, r, "/triggers?done=removed", "remove")
	mustNotContain(t, "B's page after removal", b.Get("/triggers").Body, "Something brought the hurt back")
}

// TestTriggerPagesDoNotPushSignallingWhileSafetyIsLow: while A's latest private safety answer is 3 or
// less, A's trigger log shows the help for them and offers no signal; B's page is unchanged by it.
func TestTriggerPagesDoNotPushSignallingWhileSafetyIsLow(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("trlow")
	trLog(t, cp.A, "TRLOW a")
	trLog(t, cp.B, "TRLOW b")
	ciPut(t, cp.A, ciWeek, ciAnswer("trlow-a", 5, 5, 2, false))
	ciPut(t, cp.B, ciWeek, ciAnswer("trlow-b", 5, 5, 8, false))
	a := cp.A.Get("/triggers").Body
	mustContain(t, "A's page", a, "Your safety comes first", "/safety")
	if strings.Contains(a, `/signal"`) {
		t.Errorf("A's page still offers to signal while A's safety answer is low")
	}
	bp := cp.B.Get("/triggers").Body
	mustNotContain(t, "B's page", bp, "Your safety comes first", "you said you feel less safe")
	if !strings.Contains(bp, `/signal"`) {
		t.Errorf("B's page offers no signal")
	}
	ciPut(t, cp.A, ciWeek, ciAnswer("trlow-a", 5, 5, 6, false))
	if !strings.Contains(cp.A.Get("/triggers").Body, `/signal"`) {
		t.Errorf("A's page offers no signal once A's safety answer is higher again")
	}
}

// TestRepairPagesSuggestThePathForTheRole: the person's role picks the guidance path offered; without
// one, both are.
func TestRepairPagesSuggestThePathForTheRole(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("trrole")
	hurt, broke := `href="/guide/for-the-hurt-partner"`, `href="/guide/for-the-partner-who-broke-trust"`
	for _, p := range repairPages {
		mustContain(t, "no role "+p, cp.A.Get(p).Body, hurt, broke)
	}
	planWantStatus(t, cp.A.JSON(http.MethodPatch, "/api/v1/couple", map[string]string{"role": "hurt"}), http.StatusOK, "role hurt")
	planWantStatus(t, cp.B.JSON(http.MethodPatch, "/api/v1/couple", map[string]string{"role": "broke_trust"}), http.StatusOK, "role broke")
	for _, p := range repairPages {
		a, b := cp.A.Get(p).Body, cp.B.Get(p).Body
		mustContain(t, "hurt "+p, a, hurt)
		mustNotContain(t, "hurt "+p, a, broke)
		mustContain(t, "broke trust "+p, b, broke)
		mustNotContain(t, "broke trust "+p, b, hurt)
	}
}

// repairPages are the repair tools' main pages.
var repairPages = []string{"/triggers", "/questions"}

package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestPrivateDraftsAndMomentsNeverReachThePartner is the actor matrix of SECURITY C3 for the plan: the
// author sees their private draft, private moment and private wish about therapy; the partner and
// another couple see none of it in any page, API response or count.
func TestPrivateDraftsAndMomentsNeverReachThePartner(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "privacy")
	a, b := ps.cp.A, ps.cp.B
	planWantStatus(t, a.JSON(http.MethodPut, "/api/v1/acknowledgment", planFullAck), http.StatusOK, "share v1")
	planWantStatus(t, a.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": "DRAFTCANARY7", "responsibility": "x"}), http.StatusOK, "draft v2")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "kindness", "note": "MOMENTCANARY7", "on": "2026-11-23"}), http.StatusCreated, "private moment")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "routine", "note": "shared walk", "on": "2026-11-23", "shared": true}), http.StatusCreated, "shared moment")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/plan/therapy", map[string]any{"ask": true}), http.StatusOK, "private ask")
	ps.fake.set(func(f *planFake) { f.low[ps.aID] = true })

	other := ps.app.NewCouple("privacyo")
	ab := planBrowser(t, ps.app, "privacy", "a")
	bb := planBrowser(t, ps.app, "privacy", "b")
	ob := planBrowser(t, ps.app, "privacyo", "a")

	if r := a.JSON(http.MethodGet, "/api/v1/acknowledgment", nil); !strings.Contains(r.Body, "DRAFTCANARY7") {
		t.Fatal("the author does not see their own draft")
	}
	if r := a.JSON(http.MethodGet, "/api/v1/moments", nil); !strings.Contains(r.Body, "MOMENTCANARY7") {
		t.Fatal("the author does not see their own moment")
	}
	if p := ab.Get("/acknowledgment").Body; !strings.Contains(p, "DRAFTCANARY7") {
		t.Fatal("the author's page lacks their draft")
	}
	secrets := []string{"DRAFTCANARY7", "MOMENTCANARY7", "unsafe where there is abuse", "Support just for you"}
	check := func(who, where, body string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("%s sees %q in %s", who, s, where)
			}
		}
	}
	for _, p := range []string{"/api/v1/acknowledgment", "/api/v1/moments", "/api/v1/plan", "/api/v1/progress"} {
		check("the partner", p, b.JSON(http.MethodGet, p, nil).Body)
		check("another couple", p, other.A.JSON(http.MethodGet, p, nil).Body)
	}
	for _, p := range []string{"/acknowledgment", "/acknowledgment/preview", "/plan", "/moments", "/progress", "/dashboard"} {
		check("the partner", p, bb.Get(p).Body)
		check("another couple", p, ob.Get(p).Body)
	}
	if r := b.JSON(http.MethodGet, "/api/v1/plan", nil); strings.Contains(r.Body, `"asked":true`) || strings.Contains(r.Body, `"both_asked":true`) {
		t.Errorf("the partner learns of the private ask: %s", r.Body)
	}
	if r := b.JSON(http.MethodGet, "/api/v1/acknowledgment", nil); !strings.Contains(r.Body, `"version":1`) || strings.Contains(r.Body, `"version":2`) {
		t.Errorf("the partner should see version 1 only: %s", r.Body)
	}
	// Exports: the author's holds their draft, private moment and ask; the partner's holds none of them.
	reauth(t, a)
	reauth(t, b)
	ea := a.JSON(http.MethodGet, "/api/v1/me/export", nil)
	planWantStatus(t, ea, http.StatusOK, "A's export")
	for _, want := range []string{"DRAFTCANARY7", "MOMENTCANARY7", `"acknowledgment":`, `"plan":`, `"moments":`, `"asked":true`} {
		if !strings.Contains(ea.Body, want) {
			t.Errorf("the author's export lacks %s", want)
		}
	}
	eb := b.JSON(http.MethodGet, "/api/v1/me/export", nil)
	planWantStatus(t, eb, http.StatusOK, "B's export")
	check("the partner", "the export", eb.Body)
	if strings.Contains(eb.Body, `"asked":true`) || !strings.Contains(eb.Body, "shared walk") || !strings.Contains(eb.Body, "I hid messages") {
		t.Errorf("the partner's export: wrong ask, or lacks what was shared with them")
	}
	// Counts: B's progress counts only the shared moment; A's counts both.
	countMoments := func(body string) int {
		return strings.Count(body, `"moments":1`) + 2*strings.Count(body, `"moments":2`)
	}
	if n := countMoments(b.JSON(http.MethodGet, "/api/v1/progress", nil).Body); n != 1 {
		t.Errorf("the partner's progress counts %d moments, want 1", n)
	}
	if n := countMoments(a.JSON(http.MethodGet, "/api/v1/progress", nil).Body); n != 2 {
		t.Errorf("the author's progress counts %d moments, want 2", n)
	}
	// The low-safety variant reaches its author, on the plan, progress and home pages.
	for _, p := range []string{"/plan", "/progress", "/dashboard"} {
		if body := ab.Get(p).Body; !strings.Contains(body, "Support just for you") || !strings.Contains(body, `href="/couples-therapy#when-it-is-unsafe"`) {
			t.Errorf("the author's %s lacks the private variant", p)
		}
	}
	if r := a.JSON(http.MethodGet, "/api/v1/progress", nil); !strings.Contains(r.Body, `"variant":"individual"`) {
		t.Errorf("the author's progress API lacks the individual variant: %s", r.Body)
	}
}

// TestDeletingAnAccountRemovesItsPlanData deletes the author's account through the API: everything they
// wrote for the plan goes, and the partner keeps only what is theirs.
func TestDeletingAnAccountRemovesItsPlanData(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "planerase")
	a, b := ps.cp.A, ps.cp.B
	planWantStatus(t, a.JSON(http.MethodPut, "/api/v1/acknowledgment", planFullAck), http.StatusOK, "ack")
	planWantStatus(t, b.JSON(http.MethodPost, "/api/v1/acknowledgment/response", map[string]string{"status": "read"}), http.StatusOK, "answer")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "other", "note": "ERASECANARY"}), http.StatusCreated, "moment")
	planWantStatus(t, b.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "other", "note": "B keeps this"}), http.StatusCreated, "B's moment")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/plan/items", map[string]string{"title": "ERASECANARY item"}), http.StatusCreated, "item")
	planWantStatus(t, a.JSON(http.MethodPatch, "/api/v1/plan/items/therapy", map[string]bool{"did_my_part": true}), http.StatusOK, "mark")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/plan/therapy", map[string]any{"decision": "considering", "ask": true}), http.StatusOK, "therapy")
	reauth(t, a)
	planWantStatus(t, a.JSON(http.MethodDelete, "/api/v1/me", nil), http.StatusNoContent, "delete account")
	for table, col := range map[string]string{"acknowledgments": "author_id", "acknowledgment_responses": "responder_id", "moments": "author_id",
		"plan_items": "created_by", "plan_marks": "user_id", "plan_events": "user_id", "plan_therapy_decisions": "user_id", "plan_therapy_asks": "user_id"} {
		var n int64
		if err := ps.app.DB.Table(table).Where(col+" = ?", ps.aID).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%s keeps %d rows of the deleted account (%v)", table, n, err)
		}
	}
	var left int64
	ps.app.DB.Table("moments").Where("author_id = ?", ps.bID).Count(&left)
	if left != 1 {
		t.Errorf("the partner's own moment is gone too (%d left)", left)
	}
	var versions int64
	ps.app.DB.Table("acknowledgment_versions").Count(&versions)
	if versions != 0 {
		t.Errorf("%d acknowledgment versions survive their author", versions)
	}
}

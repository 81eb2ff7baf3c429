package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

const planXSS = `<script>alert("x")</script><img src=x onerror=alert(1)>"'><svg onload=alert(2)>`

// TestPlanTextIsEscapedOnEveryPage puts an XSS payload in every text field of the feature and looks for
// it, raw, on every page either partner can open (SECURITY E1).
func TestPlanTextIsEscapedOnEveryPage(t *testing.T) {
	t.Parallel()
	ps := newPlanSetup(t, "xss")
	a, b := ps.cp.A, ps.cp.B
	planWantStatus(t, a.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": "wh " + planXSS,
		"responsibility": "re " + planXSS, "impact": "im " + planXSS, "commitments": []string{"co " + planXSS}, "share": true}), http.StatusOK, "ack")
	planWantStatus(t, b.JSON(http.MethodPut, "/api/v1/acknowledgment", map[string]any{"what_happened": "draft " + planXSS}), http.StatusOK, "B's draft")
	planWantStatus(t, b.JSON(http.MethodPost, "/api/v1/acknowledgment/response", map[string]string{"status": "need_more", "note": "note " + planXSS}), http.StatusOK, "response")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/plan/items", map[string]string{"title": "ti " + planXSS, "notes": "no " + planXSS}), http.StatusCreated, "item")
	planWantStatus(t, b.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "other", "note": "mo " + planXSS, "shared": true}), http.StatusCreated, "moment")
	planWantStatus(t, a.JSON(http.MethodPost, "/api/v1/moments", map[string]any{"kind": "other", "note": "mine " + planXSS}), http.StatusCreated, "private moment")

	pages := []string{"/acknowledgment", "/acknowledgment/preview", "/plan", "/moments", "/progress", "/dashboard"}
	for _, who := range []string{"a", "b"} {
		cl := planBrowser(t, ps.app, "xss", who)
		seen := 0
		for _, p := range pages {
			r := cl.Get(p)
			if r.Status >= 400 {
				t.Fatalf("%s %s: %d", who, p, r.Status)
			}
			for _, raw := range []string{"<script>alert", "<img src=x", "<svg onload"} {
				if strings.Contains(r.Body, raw) {
					t.Errorf("%s's %s contains raw %q", who, p, raw)
				}
			}
			seen += strings.Count(r.Body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
		}
		if seen < 6 {
			t.Errorf("%s: the payload shows escaped only %d times; the test is not seeing the fields", who, seen)
		}
	}
	// Form pages that show input again (422) escape it too.
	cl := planBrowser(t, ps.app, "xss", "a")
	cl.Get("/plan")
	for _, tc := range []struct {
		path string
		form testutil.Values
	}{
		{"/plan/items", testutil.Form("title", "", "notes", planXSS)},
		{"/plan/therapy", testutil.Form("form", "decision", "decision", "x", "revisit_on", planXSS)},
		{"/moments", testutil.Form("kind", "x", "on", planXSS, "note", planXSS)},
		{"/acknowledgment", testutil.Form("what_happened", planXSS, "commitments", strings.Repeat("c\n", 30))},
		{"/acknowledgment/response", testutil.Form("status", planXSS, "note", planXSS)},
	} {
		r := cl.PostForm(tc.path, tc.form)
		if r.Status != http.StatusUnprocessableEntity || strings.Contains(r.Body, "<script>alert") || strings.Contains(r.Body, "<img src=x") {
			t.Errorf("POST %s: %d, raw payload present: %v", tc.path, r.Status, strings.Contains(r.Body, "<script>alert"))
		}
	}
}

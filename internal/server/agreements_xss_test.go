package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// XSS payloads in an agreement's title, body and notes come back escaped on every page that shows them
// (SECURITY E1): the list, the detail, the diff, the edit and conflict pages, and the dashboard card.
func TestAgreementTextIsEscapedEverywhere(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	cp := app.NewCouple("ag-xss")
	payloads := []string{`<script>alert("t")</script>`, `<img src=x onerror=alert(1)>`, `"><svg onload=alert(2)>`, `</textarea><b>bold</b>`}
	title := payloads[0] + " weekly"
	body := "We talk " + payloads[1] + " on Sundays " + payloads[3]
	a := proposeAPI(t, cp.A, map[string]any{"title": title, "body": body, "category": "honesty", "review_on": "2026-12-01"})
	edited := map[string]any{"title": title + payloads[2], "body": "We talk " + payloads[2] + " on Mondays " + payloads[1], "category": "honesty", "review_on": "2026-12-01"}
	decodeAgreement(t, editAPI(cp.B, a.ID, 1, edited), http.StatusOK)
	cp.B.JSON(http.MethodPost, "/api/v1/agreements/"+a.ID+"/withdraw", map[string]any{"note": payloads[1]})
	stale := testutil.Form("title", payloads[2], "body", payloads[3], "category", "honesty", "review_on", "2026-12-01", "base_version", "1")

	b := proposeAPI(t, cp.B, map[string]any{"title": payloads[1], "body": payloads[0], "category": "respect", "review_on": "2026-12-01"})
	decodeAgreement(t, acceptAPI(cp.A, b.ID, 1), http.StatusOK)
	c := proposeAPI(t, cp.B, map[string]any{"title": payloads[3] + payloads[0], "body": "x", "category": "transparency", "review_on": "2026-12-01", "ends_on": "2026-12-05"})
	decodeAgreement(t, acceptAPI(cp.A, c.ID, 1), http.StatusOK)
	travel(app, cp, "ag-xss", app.Clock.Now().AddDate(0, 0, 6)) // b due for review, c ending within 14 days

	d := proposeAPI(t, cp.B, map[string]any{"title": payloads[2], "body": "x", "category": "other", "review_on": "2027-02-01"})
	pages := map[string]*testutil.Response{
		"list":          cp.A.Get("/agreements"),
		"detail":        cp.A.Get("/agreements/" + a.ID),
		"old version":   cp.A.Get("/agreements/" + a.ID + "?version=1"),
		"edit":          cp.A.Get("/agreements/" + a.ID + "/edit"),
		"conflict":      cp.A.PostForm("/agreements/"+a.ID+"/edit", stale),
		"invalid form":  cp.A.PostForm("/agreements", testutil.Form("title", payloads[0], "body", payloads[3], "category", payloads[2])),
		"other detail":  cp.A.Get("/agreements/" + b.ID),
		"dashboard":     cp.A.Get("/dashboard"),
		"waiting in it": cp.A.Get("/agreements/" + d.ID),
	}
	for name, r := range pages {
		if r.Status >= 500 {
			t.Errorf("%s: %d", name, r.Status)
		}
		for _, p := range payloads {
			if strings.Contains(r.Body, p) {
				t.Errorf("%s page contains the raw payload %s", name, p)
			}
		}
		for _, raw := range []string{"<script>alert", "<img src=x", "<svg onload", "<b>bold"} {
			if strings.Contains(r.Body, raw) {
				t.Errorf("%s page contains %q unescaped", name, raw)
			}
		}
	}
	if !strings.Contains(pages["detail"].Body, "<ins>&#34;&gt;&lt;svg onload=alert(2)&gt;") && !strings.Contains(pages["detail"].Body, "&lt;svg onload=alert(2)&gt;") {
		t.Errorf("the diff does not show the escaped text")
	}
	if !strings.Contains(pages["list"].Body, "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; weekly") {
		t.Errorf("the list does not show the escaped title")
	}
	dash := pages["dashboard"].Body
	for _, want := range []string{"Waiting for you to read", "Due for a review", "Transparency ending soon", "&lt;img src=x onerror=alert(1)&gt;"} {
		if !strings.Contains(dash, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}

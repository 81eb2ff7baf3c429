package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/testutil"
)

// TestManifestIsNeutralAndInstallable checks the web app manifest: served without a session, with the
// neutral default name or the operator's MEND_APP_NAME, standalone, and an icon Mend itself serves.
func TestManifestIsNeutralAndInstallable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ set, want string }{{"", config.DefaultAppName}, {"Garden", "Garden"}} {
		app := testutil.NewApp(t, func(c *config.Config) { c.AppName = tc.set })
		cl := app.Client()
		r := cl.Get("/manifest.webmanifest")
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/manifest+json") {
			t.Fatalf("manifest: %d %q", r.Status, r.Header.Get("Content-Type"))
		}
		var m struct {
			Name      string `json:"name"`
			ShortName string `json:"short_name"`
			StartURL  string `json:"start_url"`
			Display   string `json:"display"`
			Icons     []struct {
				Src string `json:"src"`
			} `json:"icons"`
		}
		if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
			t.Fatal(err)
		}
		if m.Name != tc.want || m.ShortName != tc.want || m.Display != "standalone" || m.StartURL != "/dashboard" {
			t.Errorf("manifest with MEND_APP_NAME=%q: %+v", tc.set, m)
		}
		for _, word := range []string{"mend", "trust", "relationship", "couple", "partner"} {
			if strings.Contains(strings.ToLower(r.Body), word) {
				t.Errorf("the manifest says %q: %s", word, r.Body)
			}
		}
		if len(m.Icons) != 1 || !strings.HasPrefix(m.Icons[0].Src, "/static/") || cl.Get(m.Icons[0].Src).Status != http.StatusOK {
			t.Errorf("manifest icon not served by Mend: %+v", m.Icons)
		}
		page := cl.Get("/login").Body
		if !strings.Contains(page, `<link rel="manifest" href="/manifest.webmanifest">`) || !strings.Contains(page, `content="`+tc.want+`"`) {
			t.Errorf("the sign-in page does not link the manifest with the app's name")
		}
	}
}

// TestOnlyPublicPagesMayBeIndexed checks robots and descriptions: app pages are always noindex; the
// landing and guide pages are noindex with a neutral description unless MEND_INDEX_GUIDE=true.
func TestOnlyPublicPagesMayBeIndexed(t *testing.T) {
	t.Parallel()
	const noindex = `<meta name="robots" content="noindex, nofollow">`
	const index = `<meta name="robots" content="index, follow">`
	closed := testutil.NewApp(t)
	open := testutil.NewApp(t, func(c *config.Config) { c.IndexGuide = true })
	for _, path := range []string{"/", "/guide", "/guide/rebuild-trust"} {
		if body := closed.Client().Get(path).Body; !strings.Contains(body, noindex) || strings.Contains(body, "rebuilding trust: agreements") {
			t.Errorf("%s by default: want noindex and a neutral description", path)
		}
		if body := open.Client().Get(path).Body; !strings.Contains(body, index) || !strings.Contains(body, `<meta name="description"`) {
			t.Errorf("%s with MEND_INDEX_GUIDE=true: want index and a description", path)
		}
	}
	cp := open.NewCouple("robots")
	for _, path := range []string{"/dashboard", "/agreements", "/checkins", "/account"} {
		if body := cp.A.Get(path).Body; !strings.Contains(body, noindex) {
			t.Errorf("%s with MEND_INDEX_GUIDE=true: app pages must stay noindex", path)
		}
	}
	if body := open.Client().Get("/login").Body; !strings.Contains(body, noindex) {
		t.Errorf("/login must stay noindex")
	}
}

package browsertest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/mendhq/mend/internal/testutil"
)

// Widths every page is checked at: two phones and a small tablet.
var screenWidths = []int64{360, 390, 768}

// ColorScheme makes the browser prefer a light or a dark colour scheme ("light" or "dark").
func ColorScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	Run(t, ctx, emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}))
}

// ViewportShot saves what the screen shows (not the whole page) as name.png under MEND_SCREENSHOTS;
// without it, it does nothing.
func ViewportShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("MEND_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	Run(t, ctx, chromedp.CaptureScreenshot(&png))
	_ = os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
}

// screensCouple makes a couple with something on every page: an agreement both accepted and then
// changed (so its page has a diff), this week's check-in opened, a moment; it returns the check-in
// week's path and the agreement's.
func screensCouple(t *testing.T, srv *Server) (week, agreement string) {
	t.Helper()
	tokA, _ := planPerson(t, srv.URL, "sam@example.org", "Sam")
	tokB, _ := planPerson(t, srv.URL, "alex@example.org", "Alex")
	planAPI(t, srv.URL, tokA, http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "Europe/London", "checkin_weekday": "sunday"}, nil, http.StatusCreated)
	var inv struct{ Token string }
	planAPI(t, srv.URL, tokA, http.MethodPost, "/api/v1/couple/invite", nil, &inv, http.StatusCreated)
	planAPI(t, srv.URL, tokB, http.MethodPost, "/api/v1/couple/join", map[string]string{"token": inv.Token}, nil, http.StatusOK)
	var ag struct {
		Agreement struct{ ID string } `json:"agreement"`
	}
	review := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	planAPI(t, srv.URL, tokA, http.MethodPost, "/api/v1/agreements", map[string]any{"title": "We say where we are",
		"body": "If plans change, we send a short message before, not after.", "category": "communication", "review_on": review}, &ag, http.StatusCreated)
	planAPI(t, srv.URL, tokB, http.MethodPost, "/api/v1/agreements/"+ag.Agreement.ID+"/accept", map[string]any{"version": 1}, nil, http.StatusOK)
	planAPI(t, srv.URL, tokA, http.MethodPost, "/api/v1/agreements/"+ag.Agreement.ID+"/accept", map[string]any{"version": 1}, nil, http.StatusOK)
	planAPI(t, srv.URL, tokB, http.MethodPut, "/api/v1/agreements/"+ag.Agreement.ID, map[string]any{"title": "We say where we are",
		"body": "If plans change, we send a short message before, not after, and say when we will be home.", "category": "communication",
		"review_on": review, "base_version": 1}, nil, http.StatusOK)
	wk := ciThisWeek(t)
	for i, tok := range []string{tokA, tokB} {
		planAPI(t, srv.URL, tok, http.MethodPut, "/api/v1/checkins/"+wk+"/mine", map[string]any{
			"appreciation": "The walk on Sunday.", "went_well": "We talked without rushing.", "was_hard": "Saturday evening.",
			"need": "An unhurried talk.", "trust": 4 + i, "connection": 6, "safety": 8, "submit": true, "agreements": []any{}}, nil, http.StatusOK)
	}
	planAPI(t, srv.URL, tokB, http.MethodPost, "/api/v1/moments", map[string]any{"kind": "routine", "note": "Coffee before work", "shared": true}, nil, http.StatusCreated)
	return "/checkins/" + wk, "/agreements/" + ag.Agreement.ID
}

// TestEveryPageAtEveryWidth opens every page, signed out and in, at 360, 390 and 768 pixels, light and
// dark: no page is wider than the screen, axe finds nothing on a phone in either scheme, and with
// MEND_SCREENSHOTS set each is photographed (the whole page, and the first screen at 390).
func TestEveryPageAtEveryWidth(t *testing.T) {
	srv := Start(t)
	week, agreement := screensCouple(t, srv)
	public := []string{"/", "/login", "/register", "/guide", "/guide/rebuild-trust", "/safety"}
	signedIn := []string{"/dashboard", "/couple", "/agreements", "/agreements/new", agreement, "/checkins", week,
		"/acknowledgment", "/plan", "/moments", "/progress", "/account", "/account/notifications", "/account/two-step",
		"/safety-check", "/triggers", "/questions", "/monthly", "/guide", agreement + "/edit", week + "/monthly", "/account/delete",
		"/agreements/no-such-agreement"}
	anon := NewBrowser(t, Phone)
	sam := NewBrowser(t, Phone)
	planSignIn(t, sam, srv.URL, "sam@example.org")
	shots := os.Getenv("MEND_SCREENSHOTS") != ""
	for _, scheme := range []string{"light", "dark"} {
		ColorScheme(t, anon, scheme)
		ColorScheme(t, sam, scheme)
		for _, w := range screenWidths {
			for _, who := range []struct {
				name  string
				ctx   context.Context
				pages []string
			}{{"public", anon, public}, {"sam", sam, signedIn}} {
				// A touch screen, as phones are (the Esc hint, for one, is not for them); set after the
				// viewport, which turns touch off.
				Run(t, who.ctx, chromedp.EmulateViewport(w, 844))
				Touch(t, who.ctx)
				for _, p := range who.pages {
					Run(t, who.ctx, chromedp.Navigate(srv.URL+p), chromedp.WaitReady("body"))
					var loc string
					var wide []int
					Run(t, who.ctx, chromedp.Location(&loc),
						chromedp.Evaluate(`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`, &wide))
					if !strings.HasSuffix(loc, p) {
						t.Errorf("%s %s led to %s", who.name, p, loc)
					}
					if wide[0] > wide[1] {
						t.Errorf("%s at %d px, %s: the page is %d px wide", p, w, scheme, wide[0])
					}
					if w == 390 {
						Axe(t, who.ctx)
					}
					if shots {
						name := who.name + strings.NewReplacer("/", "_", "?", "_").Replace(p) + "-" + strconv.Itoa(int(w)) + "-" + scheme
						Screenshot(t, who.ctx, name)
						if w == 390 {
							ViewportShot(t, who.ctx, "screen-"+name)
						}
					}
				}
			}
		}
	}
}

// TestPageWeightWithItsAssets: the signed-in pages a phone opens most (home, a check-in week, progress),
// with their stylesheet, script and icon, stay within 60 KB over the wire as a browser receives them
// (static files compressed, pages not: SECURITY N1), headers included.
func TestPageWeightWithItsAssets(t *testing.T) {
	srv := Start(t)
	week, _ := screensCouple(t, srv)
	var login struct{ Token string }
	planAPI(t, srv.URL, "", http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "sam@example.org", "password": testutil.Password}, &login, http.StatusOK)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(path string, cookie bool) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		if cookie {
			req.Header.Set("Cookie", "mend_session="+login.Token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		var hdr bytes.Buffer
		_ = resp.Header.Write(&hdr)
		return hdr.Len() + len(body), string(body)
	}
	assets := regexp.MustCompile(`<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"`)
	for _, p := range []string{"/dashboard", week, "/progress"} {
		total, page := fetch(p, true)
		parts := []string{p + ": " + strconv.Itoa(total)}
		for _, m := range assets.FindAllStringSubmatch(page, -1) {
			n, _ := fetch(m[1], false)
			total += n
			parts = append(parts, m[1]+": "+strconv.Itoa(n))
		}
		if total > 60_000 {
			t.Errorf("%s weighs %d bytes with its assets, over 60 KB: %s", p, total, strings.Join(parts, ", "))
		}
		t.Logf("%s: %d bytes (%s)", p, total, strings.Join(parts, ", "))
	}
}

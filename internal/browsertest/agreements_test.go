package browsertest

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func wantText(t *testing.T, page, text string) {
	t.Helper()
	if !strings.Contains(page, text) {
		t.Fatalf("page lacks %q:\n%s", text, page)
	}
}

// A proposes from a template, B sees it waiting and edits it, A sees the diff and accepts, both see it active.
func TestAgreementsInBrowser(t *testing.T) {
	srv := Start(t)
	ctxA, ctxB := NewBrowser(t, Phone), NewBrowser(t, Desktop)
	ua := SignUp(t, ctxA, srv, "ana@example.org", "Ana")
	ub := SignUp(t, ctxB, srv, "ben@example.org", "Ben")
	Pair(t, srv, ua, ub)

	text := Visit(t, ctxA, srv.URL+"/agreements")
	wantText(t, text, "No agreements yet")
	text = Visit(t, ctxA, srv.URL+"/agreements/new")
	wantText(t, text, "Start from an example")
	Run(t, ctxA, chromedp.Click(`a[href="/agreements/new?template=weekly-check-in"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a[aria-current="true"]`, chromedp.ByQuery))
	Axe(t, ctxA)
	var title string
	Run(t, ctxA, chromedp.Value("#title", &title, chromedp.ByQuery))
	if title != "Our weekly check-in" {
		t.Fatalf("the template did not fill the form: title %q", title)
	}
	Screenshot(t, ctxA, "new-from-template")
	var loc string
	Run(t, ctxA, chromedp.Click(`form[action="/agreements"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".agreement-status", chromedp.ByQuery), chromedp.Location(&loc))
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(u.Path, "/agreements/") {
		t.Fatalf("after proposing: %q", loc)
	}
	detail := srv.URL + u.Path
	text = Visit(t, ctxA, detail)
	wantText(t, text, "It becomes active when you have both accepted it")

	text = Visit(t, ctxB, srv.URL+"/agreements")
	wantText(t, text, "Our weekly check-in")
	wantText(t, text, "Waiting for you to read it.")
	Screenshot(t, ctxB, "list-waiting")
	text = Visit(t, ctxB, srv.URL+"/dashboard")
	wantText(t, text, "Waiting for you to read")
	Screenshot(t, ctxB, "dashboard-waiting")
	Run(t, ctxB, chromedp.Navigate(srv.URL+"/agreements"), chromedp.WaitVisible(`a[href="`+u.Path+`"]`, chromedp.ByQuery))
	Run(t, ctxB, chromedp.Click(`a[href="`+u.Path+`"]`, chromedp.ByQuery), chromedp.WaitVisible(`a[href="`+u.Path+`/edit"]`, chromedp.ByQuery),
		chromedp.Click(`a[href="`+u.Path+`/edit"]`, chromedp.ByQuery), chromedp.WaitVisible("#body", chromedp.ByQuery))
	Axe(t, ctxB)
	var body string
	Run(t, ctxB, chromedp.Value("#body", &body, chromedp.ByQuery))
	body = strings.Replace(body, "Every Sunday at 8 in the evening", "Every Sunday at 7 in the evening", 1)
	Run(t, ctxB, chromedp.SetValue("#body", body, chromedp.ByQuery),
		chromedp.Click(`form[action$="/edit"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".agreement-status", chromedp.ByQuery))

	text = Visit(t, ctxA, detail)
	wantText(t, text, "What changed from version 1")
	wantText(t, text, "Ben proposed version 2")
	var ins, del string
	Run(t, ctxA, chromedp.Text(".diff ins", &ins, chromedp.ByQuery), chromedp.Text(".diff del", &del, chromedp.ByQuery))
	if ins != "7" || del != "8" {
		t.Fatalf("diff shows ins %q del %q", ins, del)
	}
	Screenshot(t, ctxA, "diff")
	Run(t, ctxA, chromedp.Click(`form[action$="/accept"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".status-active", chromedp.ByQuery))

	for name, ctx := range map[string]context.Context{"ana": ctxA, "ben": ctxB} {
		text = Visit(t, ctx, detail)
		wantText(t, text, "Active: you both accepted version 2.")
		text = Visit(t, ctx, srv.URL+"/agreements")
		wantText(t, text, "You have both accepted the latest version.")
		Screenshot(t, ctx, "active-"+name)
	}

	// Both edit from version 2; B is first, so A sees both texts side by side and loses nothing.
	Run(t, ctxA, chromedp.Navigate(detail+"/edit"), chromedp.WaitVisible("#body", chromedp.ByQuery),
		chromedp.SetValue("#body", "Ana's words, typed with care.", chromedp.ByQuery))
	Run(t, ctxB, chromedp.Navigate(detail+"/edit"), chromedp.WaitVisible("#body", chromedp.ByQuery),
		chromedp.SetValue("#body", "Ben's words, sent first.", chromedp.ByQuery),
		chromedp.Click(`form[action$="/edit"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".agreement-status", chromedp.ByQuery))
	Run(t, ctxA, chromedp.Click(`form[action$="/edit"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".side-by-side", chromedp.ByQuery), chromedp.Text("main", &text, chromedp.ByQuery), chromedp.Value("#body", &body, chromedp.ByQuery))
	wantText(t, text, "Ben's words, sent first.")
	if body != "Ana's words, typed with care." {
		t.Fatalf("the conflict page lost the typed text: %q", body)
	}
	Axe(t, ctxA)
	Screenshot(t, ctxA, "conflict")
}

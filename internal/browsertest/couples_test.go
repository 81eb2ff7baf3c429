package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestTwoPartnersJoinThroughTheInviteLink: A registers and starts a couple, copies the invite link from the
// page; B, in a separate browser, opens it and registers, which joins the couple at once; both dashboards
// show each other.
func TestTwoPartnersJoinThroughTheInviteLink(t *testing.T) {
	srv := Start(t)
	a := NewBrowser(t, Phone)
	b := NewBrowser(t, Desktop)

	Visit(t, a, srv.URL+"/register")
	Run(t, a,
		chromedp.SendKeys("#display_name", "Ada", chromedp.ByQuery),
		chromedp.SendKeys("#email", "ada@example.org", chromedp.ByQuery),
		chromedp.SendKeys("#password", "correct horse battery staple", chromedp.ByQuery),
		chromedp.Click(`form[action="/register"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery),
	)
	Visit(t, a, srv.URL+"/couple") // before a couple exists
	Run(t, a,
		chromedp.SetValue("#timezone", "Europe/London", chromedp.ByQuery),
		chromedp.SetValue("#checkin_weekday", "sunday", chromedp.ByQuery),
		chromedp.Click(`form[action="/couple"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#invite-link", chromedp.ByQuery),
	)
	Axe(t, a) // /couple, waiting for the partner, with the link
	Screenshot(t, a, "couple-waiting")
	var link string
	Run(t, a, chromedp.Value("#invite-link", &link, chromedp.ByQuery))
	if !strings.HasPrefix(link, srv.URL+"/join/") {
		t.Fatalf("invite link %q is not a join link of this server", link)
	}
	text := Visit(t, a, srv.URL+"/dashboard")
	if !strings.Contains(text, "just you here for now") {
		t.Errorf("A's dashboard while waiting: %q", text)
	}

	text = Visit(t, b, link)
	if !strings.Contains(text, "Ada") || !strings.Contains(text, "invited you") {
		t.Errorf("join page for a visitor: %q", text)
	}
	var context string
	Run(t, b,
		chromedp.Click(`a[href^="/register?"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#display_name", chromedp.ByQuery),
		chromedp.Text("main", &context, chromedp.ByQuery),
	)
	if !strings.Contains(context, "Ada invited you to Mend") {
		t.Errorf("register page from the invite does not keep its context: %q", context)
	}
	Axe(t, b) // /register, through the invite
	// Registering joins straight away: the next page is the couple's home, with no "Join" to tap.
	Run(t, b,
		chromedp.SendKeys("#display_name", "Bea", chromedp.ByQuery),
		chromedp.SendKeys("#email", "bea@example.org", chromedp.ByQuery),
		chromedp.SendKeys("#password", "another long passphrase here", chromedp.ByQuery),
		chromedp.Click(`form[action="/register"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#couple-heading", chromedp.ByQuery),
	)

	textB := Visit(t, b, srv.URL+"/dashboard")
	textA := Visit(t, a, srv.URL+"/dashboard")
	if !strings.Contains(textB, "You and Ada") {
		t.Errorf("B's dashboard does not show Ada: %q", textB)
	}
	if !strings.Contains(textA, "You and Bea") {
		t.Errorf("A's dashboard does not show Bea: %q", textA)
	}
	Screenshot(t, a, "dashboard-a")
	Screenshot(t, b, "dashboard-b")
	Visit(t, a, srv.URL+"/couple") // settings, role and leave, as a couple of two
	Visit(t, b, link)              // the used link, for the one who used it
}

// TestStartingACoupleInTheBrowsersTimeZone: the start form chooses the browser's time zone (even one the
// list lacks), the invite link's expiry reads in it, and the Copy button copies the link; Share shows
// only where the browser can share.
func TestStartingACoupleInTheBrowsersTimeZone(t *testing.T) {
	srv := Start(t)
	ctx := NewBrowser(t, Phone)
	Run(t, ctx, emulation.SetTimezoneOverride("Asia/Tbilisi"))
	uid := SignUp(t, ctx, srv, "tz@example.org", "Ada")
	var zone, note string
	Run(t, ctx,
		chromedp.Navigate(srv.URL+"/couple"),
		chromedp.WaitVisible("#timezone", chromedp.ByQuery),
		chromedp.Value("#timezone", &zone, chromedp.ByQuery),
		chromedp.Text("#timezone-help", &note, chromedp.ByQuery),
	)
	if zone != "Asia/Tbilisi" || !strings.Contains(note, "Asia/Tbilisi") {
		t.Fatalf("the start form chose %q (%q), want the browser's Asia/Tbilisi", zone, note)
	}
	var help, status string
	var canShare, shareHidden, copyHidden bool
	Run(t, ctx,
		chromedp.Click(`form[action="/couple"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#invite-link", chromedp.ByQuery),
		chromedp.Text("#invite-link-help", &help, chromedp.ByQuery),
		chromedp.Evaluate(`!!navigator.share`, &canShare),
		chromedp.Evaluate(`document.querySelector("button[data-share]").hidden`, &shareHidden),
		chromedp.Evaluate(`document.querySelector("button[data-copy]").hidden`, &copyHidden),
	)
	m, err := srv.Server.Couples().Current(context.Background(), uid)
	if err != nil || m == nil || m.Couple.Timezone != "Asia/Tbilisi" {
		t.Fatalf("the couple's time zone: %+v %v", m, err)
	}
	if !strings.Contains(help, "Tbilisi time") || strings.Contains(help, "UTC") {
		t.Errorf("the link's expiry does not read in the couple's time zone: %q", help)
	}
	if copyHidden || shareHidden == canShare {
		t.Errorf("Copy hidden %v; Share hidden %v where the browser can share: %v", copyHidden, shareHidden, canShare)
	}
	Axe(t, ctx)
	Run(t, ctx,
		chromedp.Click("button[data-copy]", chromedp.ByQuery),
		chromedp.WaitVisible(`[data-copied="invite-link"]:not(:empty)`, chromedp.ByQuery),
		chromedp.Text(`[data-copied="invite-link"]`, &status, chromedp.ByQuery),
	)
	if !strings.Contains(status, "copied") {
		t.Errorf("after Copy the page says %q", status)
	}
}

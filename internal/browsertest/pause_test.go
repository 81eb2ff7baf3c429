package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mendhq/mend/internal/testutil"
)

// SmallPhone is the narrowest phone the layout is checked on.
var SmallPhone = [2]int64{360, 740}

// pauseControl describes the header's "Take a pause" link as laid out.
type pauseControl struct {
	Found, Shown, InMore, UnderTabs bool
	Top, Bottom, Left, Right        float64
	ViewportW, ViewportH, PageW     float64
	Tabs                            string
}

func readPauseControl(t *testing.T, ctx context.Context) pauseControl {
	t.Helper()
	var pc pauseControl
	eval(t, ctx, `(() => {
		const a = [...document.querySelectorAll('a[href="/checkins#pause"]')].find(e => e.checkVisibility());
		const ul = document.querySelector('nav[aria-label="Main"] > ul');
		const tabs = [...ul.children].map(li => li.querySelector(':scope > a, :scope > details > summary').textContent.trim()).join("|");
		const base = {ViewportW: document.documentElement.clientWidth, ViewportH: window.innerHeight,
			PageW: document.documentElement.scrollWidth, Tabs: tabs};
		if (!a) return Object.assign(base, {Found: false});
		const r = a.getBoundingClientRect(), u = ul.getBoundingClientRect();
		return Object.assign(base, {Found: true, Shown: a.textContent.trim() === "Take a pause", InMore: a.closest("details.more") !== null,
			UnderTabs: r.bottom > u.top && r.top < u.bottom && getComputedStyle(ul).position === "fixed",
			Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right});
	})()`, &pc)
	return pc
}

// TestTakeAPauseInOneTapOnAPhone: on a 360 px phone every couple page shows "Take a pause" without
// opening More, inside the screen and clear of the tab bar, which keeps its five tabs and the page its
// width; one tap leads to the pause form. A desktop shows it in the top bar, on the line of the tabs.
func TestTakeAPauseInOneTapOnAPhone(t *testing.T) {
	srv := Start(t)
	ctx := NewBrowser(t, SmallPhone)
	ua := SignUp(t, ctx, srv, "calm@example.org", "Cal")
	partner, err := srv.Server.Accounts().Register(context.Background(), "calm-partner@example.org", testutil.Password, "Pat")
	if err != nil {
		t.Fatal(err)
	}
	Pair(t, srv, ua, partner.ID)

	for _, p := range []string{"/dashboard", "/checkins", "/agreements", "/plan", "/progress", "/triggers", "/account"} {
		Visit(t, ctx, srv.URL+p)
		pc := readPauseControl(t, ctx)
		switch {
		case !pc.Found:
			t.Errorf("%s: no visible \"Take a pause\" without opening More", p)
			continue
		case !pc.Shown || pc.InMore:
			t.Errorf("%s: the visible pause link is %+v, want \"Take a pause\" outside More", p, pc)
		case pc.UnderTabs || pc.Top < 0 || pc.Bottom > pc.ViewportH || pc.Left < 0 || pc.Right > pc.ViewportW:
			t.Errorf("%s: the pause link sits at %v–%v × %v–%v on a %v×%v screen, or under the tab bar", p, pc.Left, pc.Right, pc.Top, pc.Bottom, pc.ViewportW, pc.ViewportH)
		}
		if pc.Tabs != "Home|Check-in|Agreements|Plan|More" {
			t.Errorf("%s: tabs %q", p, pc.Tabs)
		}
		if pc.PageW > pc.ViewportW {
			t.Errorf("%s: the page is %v px wide on a %v px screen", p, pc.PageW, pc.ViewportW)
		}
		if tb := readTabBar(t, ctx); tb.Bottom != tb.ViewportH || tb.Top < tb.ViewportH-80 {
			t.Errorf("%s: the tab bar spans %v–%v of a %v px screen, want it at the bottom", p, tb.Top, tb.Bottom, tb.ViewportH)
		}
	}
	Visit(t, ctx, srv.URL+"/agreements")
	Screenshot(t, ctx, "pause-in-header-360")
	Run(t, ctx, chromedp.Click(`header a[href="/checkins#pause"]`, chromedp.ByQuery), chromedp.WaitVisible(`#pause-for`, chromedp.ByQuery))
	var loc string
	Run(t, ctx, chromedp.Location(&loc))
	if !strings.HasSuffix(loc, "/checkins#pause") {
		t.Errorf("one tap on Take a pause went to %s", loc)
	}
	Axe(t, ctx)

	desk := NewBrowser(t, Desktop)
	ud := SignUp(t, desk, srv, "calm-desk@example.org", "Dee")
	other, err := srv.Server.Accounts().Register(context.Background(), "calm-desk-partner@example.org", testutil.Password, "Ola")
	if err != nil {
		t.Fatal(err)
	}
	Pair(t, srv, ud, other.ID)
	Visit(t, desk, srv.URL+"/plan")
	tb := readTabBar(t, desk)
	if pc := readPauseControl(t, desk); !pc.Found || pc.InMore || pc.Top < tb.Top-8 || pc.Bottom > tb.Bottom+8 {
		t.Errorf("on a desktop the pause link is %+v, want it visible in the top bar, on the line of the tabs (%v–%v)", pc, tb.Top, tb.Bottom)
	}
	Screenshot(t, desk, "pause-in-header-desktop")
}

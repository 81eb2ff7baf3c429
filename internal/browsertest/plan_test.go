package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mendhq/mend/internal/plan"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

// planHistory stands in for twelve weeks of agreements and check-ins behind plan.Sources.
type planHistory struct {
	mu    sync.Mutex
	facts plan.AgreementFacts
	weeks []plan.WeekSummary
	low   map[string]bool // whose latest safety answer is low
}

func (h *planHistory) Agreements(context.Context, string, *time.Location) (plan.AgreementFacts, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.facts, nil
}

func (h *planHistory) OpenedWeeks(_ context.Context, q plan.WeeksQuery) ([]plan.OpenedWeek, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return plan.OpenedWeeksOf(h.weeks, q), nil
}

func (h *planHistory) LowSafety(_ context.Context, _, userID string) (bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.low[userID], nil
}

// planAPI sends a JSON request to the real server and decodes the answer into out (when not nil).
func planAPI(t *testing.T, base, token, method, path string, body, out any, want int) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest(method, base+path, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// planPerson registers someone through the API and returns their bearer token and user id.
func planPerson(t *testing.T, base, email, name string) (token, id string) {
	t.Helper()
	var reg struct {
		User struct{ ID string } `json:"user"`
	}
	planAPI(t, base, "", http.MethodPost, "/api/v1/auth/register", map[string]string{"email": email, "password": testutil.Password, "display_name": name}, &reg, http.StatusCreated)
	var login struct{ Token string }
	planAPI(t, base, "", http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": testutil.Password}, &login, http.StatusOK)
	return login.Token, reg.User.ID
}

func planSignIn(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	Run(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible("#email", chromedp.ByQuery),
		chromedp.SendKeys("#email", email, chromedp.ByQuery), chromedp.SendKeys("#password", testutil.Password, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`form[action="/login"]`, chromedp.ByQuery))
	var loc string
	Run(t, ctx, chromedp.Location(&loc))
	if strings.Contains(loc, "/login") {
		var text string
		Run(t, ctx, chromedp.Text("main", &text, chromedp.ByQuery))
		t.Fatalf("sign-in as %s failed: still on %s: %s", email, loc, text)
	}
}

// TestPlanInBrowser walks a couple with twelve weeks of history through the home page, the plan, the
// progress chart and an acknowledgment shared and answered, with axe on every page.
func TestPlanInBrowser(t *testing.T) {
	hist := &planHistory{}
	srv := StartWith(t, server.Deps{PlanFacts: hist})
	tokA, idA := planPerson(t, srv.URL, "sam@example.org", "Sam")
	tokB, idB := planPerson(t, srv.URL, "alex@example.org", "Alex")
	planAPI(t, srv.URL, tokA, http.MethodPost, "/api/v1/couple", map[string]string{"timezone": "UTC", "checkin_weekday": "sunday"}, nil, http.StatusCreated)
	var inv struct{ Token string }
	planAPI(t, srv.URL, tokA, http.MethodPost, "/api/v1/couple/invite", nil, &inv, http.StatusCreated)
	planAPI(t, srv.URL, tokB, http.MethodPost, "/api/v1/couple/join", map[string]string{"token": inv.Token}, nil, http.StatusOK)

	now := time.Now()
	trustA := []int{2, 2, 3, 3, 4, 4, 5, 4, 5, 6, 6, 7}
	trustB := []int{6, 6, 6, 5, 6, 6, 7, 6, 7, 7, 7, 8}
	hist.mu.Lock()
	for i := range trustA {
		at := now.AddDate(0, 0, -7*(12-i))
		hist.weeks = append(hist.weeks, plan.WeekSummary{Week: plan.WeekKey(at, time.UTC), OpenedAt: at, Kept: 2, NotKept: i % 5 / 4, Confirmed: i % 4 / 3,
			People: map[string]plan.Ratings{
				idA: {Trust: &trustA[i], Connection: &trustB[i], Safety: &trustB[i]},
				idB: {Trust: &trustB[i], Connection: &trustA[i]},
			}})
	}
	hist.facts = plan.AgreementFacts{Active: 2, FirstBothAccepted: now.AddDate(0, 0, -80)}
	hist.mu.Unlock()
	planAPI(t, srv.URL, tokB, http.MethodPost, "/api/v1/moments", map[string]any{"kind": "routine", "note": "Coffee before work", "shared": true}, nil, http.StatusCreated)

	sam := NewBrowser(t, Phone)
	planSignIn(t, sam, srv.URL, "sam@example.org")
	home := Visit(t, sam, srv.URL+"/dashboard")
	for _, want := range []string{"Your plan", "0 of 5 items done", "Next:"} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q", want)
		}
	}

	Screenshot(t, sam, "dashboard")

	text := Visit(t, sam, srv.URL+"/plan")
	if !strings.Contains(text, "Shown in the app: 2 agreements are active") || !strings.Contains(text, "12 check-ins have opened") {
		t.Errorf("plan page lacks the evidence from the history:\n%s", text)
	}
	Run(t, sam, chromedp.Click(`#item-checkins form:nth-of-type(1) button`, chromedp.ByQuery),
		chromedp.WaitReady(`#item-checkins input[name="value"][value="0"]`, chromedp.ByQuery))
	Axe(t, sam)
	var marks string
	Run(t, sam, chromedp.Text("#item-checkins .plan-marks", &marks, chromedp.ByQuery))
	if !strings.Contains(marks, "You: did your part") {
		t.Errorf("after “I did my part”: %q", marks)
	}
	// "Done" is Sam's own say, on a quiet button; the item waits for Alex.
	var doneBg string
	Run(t, sam, chromedp.Evaluate(`getComputedStyle(document.querySelector('#item-checkins form:nth-of-type(3) button')).backgroundColor`, &doneBg))
	if doneBg != "rgba(0, 0, 0, 0)" {
		t.Errorf("the done button is filled (%s): it must not be the primary one", doneBg)
	}
	Run(t, sam, chromedp.Click(`#item-checkins form:nth-of-type(3) button`, chromedp.ByQuery),
		chromedp.WaitReady(`#item-checkins input[name="field"][value="done"] + input[value="0"]`, chromedp.ByQuery),
		chromedp.Text("#item-checkins .plan-marks", &marks, chromedp.ByQuery))
	if !strings.Contains(marks, "You have marked it done. It counts as done once you both have.") {
		t.Errorf("after Sam marked it done: %q", marks)
	}
	if tally := Visit(t, sam, srv.URL+"/plan"); !strings.Contains(tally, "0 of 5 items done by you both") {
		t.Error("one mark counted the item as done")
	}

	text = Visit(t, sam, srv.URL+"/progress")
	var mine, theirs, safety int
	Run(t, sam,
		chromedp.Evaluate(`document.querySelectorAll('#chart-trust g[data-series="me"] circle').length`, &mine),
		chromedp.Evaluate(`document.querySelectorAll('#chart-trust g[data-series="partner"] circle').length`, &theirs),
		chromedp.Evaluate(`document.querySelectorAll('#chart-safety circle').length`, &safety))
	if mine != 12 || theirs != 12 || safety != 12 {
		t.Errorf("trust chart: %d and %d points, safety %d; want 12 each", mine, theirs, safety)
	}
	for _, want := range []string{"A month of check-ins", "Your first check-in opened for you both"} {
		if !strings.Contains(text, want) {
			t.Errorf("progress page lacks %q", want)
		}
	}
	planLegendMatchesMarkers(t, sam)
	planTablesFitThePhone(t, sam)
	Screenshot(t, sam, "progress")
	if d := os.Getenv("MEND_SCREENSHOTS"); d != "" {
		var png []byte
		Run(t, sam, chromedp.Screenshot("#chart-trust", &png, chromedp.ByQuery))
		_ = os.WriteFile(filepath.Join(d, "plan-chart-trust.png"), png, 0o644)
		Run(t, sam, chromedp.Screenshot(`section[aria-labelledby="chart-trust-heading"] figure`, &png, chromedp.ByQuery))
		_ = os.WriteFile(filepath.Join(d, "plan-chart-trust-legend.png"), png, 0o644)
		Run(t, sam, chromedp.Screenshot(`section[aria-labelledby="weeks-heading"]`, &png, chromedp.ByQuery))
		_ = os.WriteFile(filepath.Join(d, "plan-weeks-table.png"), png, 0o644)
	}

	Visit(t, sam, srv.URL+"/acknowledgment")
	Run(t, sam,
		chromedp.SendKeys("#what_happened", "I kept messages from you for months and lied about where I was.", chromedp.ByQuery),
		chromedp.SendKeys("#responsibility", "It was my choice, and it is mine to own.", chromedp.ByQuery),
		chromedp.SendKeys("#impact", "You stopped feeling safe at home, and you have lost sleep.", chromedp.ByQuery),
		chromedp.SendKeys("#commitments", "Answer your questions honestly", chromedp.ByQuery),
		chromedp.Click(`button[value="preview"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action="/acknowledgment/share"]`, chromedp.ByQuery))
	Axe(t, sam)
	Run(t, sam, chromedp.Click(`form[action="/acknowledgment/share"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.notice[role="status"]`, chromedp.ByQuery))
	Axe(t, sam)

	alex := NewBrowser(t, Desktop)
	planSignIn(t, alex, srv.URL, "alex@example.org")
	text = Visit(t, alex, srv.URL+"/acknowledgment")
	if !strings.Contains(text, "I kept messages from you for months") {
		t.Fatalf("Alex does not see the shared acknowledgment:\n%s", text)
	}
	Run(t, alex,
		chromedp.Click(`input[name="status"][value="read"]`, chromedp.ByQuery),
		chromedp.SendKeys("#response-note", "Thank you. I need time.", chromedp.ByQuery),
		chromedp.Click(`form[action="/acknowledgment/response"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#partner .plan-response", chromedp.ByQuery))
	Axe(t, alex)
	Visit(t, alex, srv.URL+"/moments")
	Visit(t, alex, srv.URL+"/progress")

	text = Visit(t, sam, srv.URL+"/acknowledgment")
	if !strings.Contains(text, "Alex answered: I've read it") || !strings.Contains(text, "Thank you. I need time.") {
		t.Errorf("Sam does not see Alex's answer:\n%s", text)
	}
	text = Visit(t, sam, srv.URL+"/plan")
	if !strings.Contains(text, "An acknowledgment has been shared and marked as read") {
		t.Error("the plan does not show the answered acknowledgment")
	}
	Screenshot(t, sam, "plan")

	// With a low safety answer of Sam's, Sam's pages suggest nothing to do together, and pass axe.
	hist.mu.Lock()
	hist.low = map[string]bool{idA: true}
	hist.mu.Unlock()
	for _, p := range []string{"/dashboard", "/plan", "/progress"} {
		Visit(t, sam, srv.URL+p)
		var html string
		Run(t, sam, chromedp.OuterHTML("main", &html, chromedp.ByQuery))
		if strings.Contains(html, "suggest-joint") {
			t.Errorf("Sam's %s suggests a joint exercise while Sam's safety answer is low", p)
		}
	}
	Screenshot(t, sam, "plan-low-safety")
}

// planLegendMatchesMarkers checks, with the styles the browser applies, that every legend key draws the
// same line (stroke and dashes), only where the chart has one, and the same marker as its series.
func planLegendMatchesMarkers(t *testing.T, ctx context.Context) {
	t.Helper()
	var bad []string
	Run(t, ctx, chromedp.Evaluate(`(() => {
		const out = [];
		const st = (e, p) => e ? getComputedStyle(e)[p] : 'none';
		for (const k of document.querySelectorAll('.plan-key')) {
			const name = k.closest('figure').querySelector('svg[id^="chart-"]').id + '/' + k.dataset.series;
			const g = k.closest('figure').querySelector('svg[id^="chart-"] g[data-series="' + k.dataset.series + '"]');
			if (!g) { out.push(name + ': the key names no series of its chart'); continue; }
			const before = getComputedStyle(k, '::before').content;
			if (before !== 'none' && before !== 'normal') out.push(name + ': the key draws a line of its own');
			const kl = k.querySelector('line'), cl = g.querySelector('polyline');
			if (!!kl !== !!cl) out.push(name + ': line in the key ' + !!kl + ', in the chart ' + !!cl);
			for (const p of ['stroke', 'strokeDasharray', 'strokeWidth']) {
				if (kl && cl && st(kl, p) !== st(cl, p)) out.push(name + ': line ' + p + ' ' + st(kl, p) + ' vs ' + st(cl, p));
			}
			const kd = k.querySelector('circle'), cd = g.querySelector('circle');
			for (const p of ['fill', 'stroke', 'strokeWidth']) {
				if (st(kd, p) !== st(cd, p)) out.push(name + ': marker ' + p + ' ' + st(kd, p) + ' vs ' + st(cd, p));
			}
		}
		if (!document.querySelector('.plan-key')) out.push('no legend keys');
		return out;
	})()`, &bad))
	for _, b := range bad {
		t.Errorf("legend: %s", b)
	}
}

// planTablesFitThePhone checks that the progress page is no wider than the phone, and that every table
// wider than its box scrolls inside it with a visible cue.
func planTablesFitThePhone(t *testing.T, ctx context.Context) {
	t.Helper()
	var bad []string
	Run(t, ctx, chromedp.Evaluate(`(() => {
		const out = [];
		const root = document.documentElement;
		if (root.scrollWidth > root.clientWidth) out.push('the page is ' + root.scrollWidth + 'px wide on a ' + root.clientWidth + 'px screen');
		for (const table of document.querySelectorAll('main table')) {
			const name = table.querySelector('caption').textContent.trim();
			const box = table.closest('.plan-scroll');
			if (table.getBoundingClientRect().right <= root.clientWidth && (!box || box.scrollWidth <= box.clientWidth)) continue;
			if (!box) { out.push(name + ': wider than the screen, outside a scrolling box'); continue; }
			const cue = box.parentElement.querySelector('.plan-scroll-cue');
			if (!cue || cue.offsetParent === null || cue.getBoundingClientRect().height === 0) out.push(name + ': scrolls with no visible cue');
			box.scrollLeft = box.scrollWidth;
			if (box.scrollLeft === 0) out.push(name + ': its box does not scroll');
			box.scrollLeft = 0;
		}
		return out;
	})()`, &bad))
	for _, b := range bad {
		t.Errorf("progress on a phone: %s", b)
	}
}

package proof

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/mail"
	"github.com/mendhq/mend/internal/mail/mailtest"
	"github.com/mendhq/mend/internal/notify"
	"github.com/mendhq/mend/internal/testutil"
)

// runPulse sets both partners' notification settings with text in the calendar titles, through the
// page and the API, and makes a calendar feed for each (A's through the API, B's through the page).
// A asks for a confirmation link: a clear 409 where e-mail is not set up, else 202.
func (j *journey) runPulse() {
	j.get(j.A, "/account/notifications")
	j.form(j.A, "/account/notifications", http.StatusSeeOther, "reminder_hour", "20",
		"calendar_title", j.text("calendar-title-a"), "review_title", j.text("review-title-a"))
	j.api(j.B, http.MethodPut, "/api/v1/me/notifications", map[string]any{"reminder_hour": 8,
		"calendar_title": j.text("calendar-title-b"), "review_title": j.text("review-title-b")}, http.StatusOK)
	feed := j.api(j.A, http.MethodPost, "/api/v1/me/calendar", nil, http.StatusCreated)
	url, _ := feed["url"].(string)
	j.feed = strings.TrimSuffix(url[strings.LastIndex(url, "/")+1:], ".ics")
	j.secrets = append(j.secrets, j.feed)
	j.form(j.B, "/account/calendar", http.StatusSeeOther)
	j.get(j.B, "/account/notifications")
	want := http.StatusConflict // e-mail is not set up in the journey's app, unless a test set it up
	if j.app.Config.MailEnabled() {
		want = http.StatusAccepted
	}
	j.api(j.A, http.MethodPost, "/api/v1/me/email/confirm", nil, want)
	j.api(j.A, http.MethodGet, "/api/v1/me/notifications", nil, http.StatusOK)
}

// pulseSender is the outbox's sender over the journey's database and clock, sending to srv.
func pulseSender(app *testutil.App, srv *mailtest.Server) (*notify.Service, *notify.Sender) {
	couples := couple.NewService(app.DB, app.Clock.Now)
	svc := notify.NewService(app.DB, notify.FromServices(couples, checkin.NewService(app.DB, app.Clock.Now, nil), agreement.NewService(app.DB, app.Clock.Now)),
		notify.Options{Now: app.Clock.Now, BaseURL: app.Config.BaseURL, MailEnabled: true})
	return svc, svc.NewSender(mail.NewSMTP(srv.Config(), app.Config.MailFrom, srv.TLSConfig()), nil, nil)
}

var confirmLinkRe = regexp.MustCompile(`http://127\.0\.0\.1:8080(/confirm-email/[a-z0-9]+)`)
var anyURL = regexp.MustCompile(`https?://[^\s>"]+`)

// TestMessagesAndFeedsCarryNoPersonalText covers SECURITY L1 over the whole app: two partners use
// every feature with a canary in every text, name, address and password, confirm their addresses, turn
// every message on, and get every kind of message (confirmation, updates, sign-in alert, the weekly
// reminder) from a real SMTP server, and both calendar feeds are read. No message carries a canary
// (beyond the recipient's own address in the envelope and To header), the partner's address, or any
// secret met on the way; the only link with a secret is a confirmation message's own. A feed carries
// nothing but its owner's own two titles.
func TestMessagesAndFeedsCarryNoPersonalText(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.Options{})
	smtpCfg := srv.Config()
	j := newJourney(t, canary, func(c *config.Config) { c.SMTP, c.MailFrom = &smtpCfg, "notes@example.org" })
	j.run()
	svc, sender := pulseSender(j.app, srv)
	ctx := context.Background()
	j.api(j.B, http.MethodPost, "/api/v1/me/email/confirm", nil, http.StatusAccepted)
	if _, err := sender.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{} // recipient → their confirmation path
	for _, m := range srv.Wait(t, 2, 10*time.Second) {
		l := confirmLinkRe.FindStringSubmatch(m.Text(t))
		if l == nil {
			t.Fatalf("no confirmation link to %v", m.To)
		}
		links[m.To[0]] = l[1]
		anon := j.app.Client()
		anon.Get(l[1])
		if r := anon.PostForm(l[1], nil); r.Status != http.StatusOK {
			t.Fatalf("confirm %v: %d", m.To, r.Status)
		}
	}
	feeds := map[string]string{j.emailA: j.feed}
	for _, cl := range []*testutil.Client{j.A, j.B} {
		j.api(cl, http.MethodPut, "/api/v1/me/notifications", map[string]any{"email_reminders": true, "email_updates": true, "email_sign_in_alerts": true}, http.StatusOK)
	}
	b := j.api(j.B, http.MethodPost, "/api/v1/me/calendar", nil, http.StatusCreated)
	u, _ := b["url"].(string)
	feeds[j.emailB] = strings.TrimSuffix(u[strings.LastIndex(u, "/")+1:], ".ics")
	j.secrets = append(j.secrets, feeds[j.emailB])
	bodies := map[string]string{}
	for who, secret := range feeds {
		r := j.app.Client().Get("/calendar/" + secret + ".ics")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "BEGIN:VEVENT") {
			t.Fatalf("feed of %s: %d", who, r.Status)
		}
		bodies[who] = r.Body
	}
	ids := map[string]string{}
	for who, cl := range map[string]*testutil.Client{j.emailA: j.A, j.emailB: j.B} {
		me := j.api(cl, http.MethodGet, "/api/v1/me", nil, http.StatusOK)
		ids[who] = idOf(me, "user")
	}
	for _, id := range ids {
		if err := svc.EnqueueUpdates(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := svc.EnqueueSignInAlert(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	// The next Sunday, the couple's day, after both people's hours (A 20:00, B 08:00 in London).
	j.app.Clock.Set(time.Date(2026, 12, 6, 20, 30, 0, 0, time.UTC))
	if _, err := sender.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Wait(t, 8, 10*time.Second)
	kinds := map[string]int{}
	for _, m := range msgs {
		to := m.To[0]
		partner := j.emailA
		if to == j.emailA {
			partner = j.emailB
		}
		h, body := m.Parsed(t)
		kinds[h.Get("Subject")]++
		for where, text := range map[string]string{"raw": m.Data, "decoded": body} {
			text = strings.ReplaceAll(text, to, "")
			if i := strings.Index(text, canaryMark); i >= 0 {
				t.Errorf("message %q to %s (%s) carries a canary: %q", h.Get("Subject"), to, where, text[max(0, i-40):min(len(text), i+40)])
			}
			if strings.Contains(text, partner) {
				t.Errorf("message %q to %s names the partner's address", h.Get("Subject"), to)
			}
			for _, s := range j.secrets {
				if len(s) >= 8 && strings.Contains(text, s) {
					t.Errorf("message %q to %s carries a secret (%.6s…)", h.Get("Subject"), to, s)
				}
			}
		}
		for _, link := range anyURL.FindAllString(body, -1) {
			if link != j.app.Config.BaseURL+"/" && !(h.Get("Subject") == "Confirm your address" && link == j.app.Config.BaseURL+links[to]) {
				t.Errorf("message %q to %s links to %s", h.Get("Subject"), to, link)
			}
		}
	}
	for _, subject := range []string{"Confirm your address", "Something new is waiting for you", "A new sign-in", "A reminder"} {
		if kinds[subject] != 2 {
			t.Errorf("%d messages %q, want one for each partner (all: %v)", kinds[subject], subject, kinds)
		}
	}
	own := map[string][]string{j.emailA: {canary("calendar-title-a"), canary("review-title-a")}, j.emailB: {canary("calendar-title-b"), canary("review-title-b")}}
	for who, feed := range bodies {
		if !strings.Contains(feed, own[who][0]) {
			t.Errorf("the feed of %s lacks its owner's title", who)
		}
		for _, title := range own[who] {
			feed = strings.ReplaceAll(feed, title, "")
		}
		if i := strings.Index(feed, canaryMark); i >= 0 {
			t.Errorf("the feed of %s carries text that is not its owner's titles: %q", who, feed[max(0, i-40):min(len(feed), i+60)])
		}
		for _, s := range j.secrets {
			if len(s) >= 8 && strings.Contains(feed, s) {
				t.Errorf("the feed of %s carries a secret (%.6s…)", who, s)
			}
		}
	}
}

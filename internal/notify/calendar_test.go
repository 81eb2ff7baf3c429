package notify_test

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/mendhq/mend/internal/agreement"
	"github.com/mendhq/mend/internal/notify"
)

// feedOf parses the feed with the library, failing the test on a parse error.
func feedOf(t *testing.T, f *fixture, url string) (*ics.Calendar, string) {
	t.Helper()
	plain := strings.TrimSuffix(url[strings.LastIndex(url, "/")+1:], ".ics")
	raw, err := f.svc.Feed(ctx, plain)
	if err != nil {
		t.Fatalf("feed: %v", err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, raw)
	}
	return cal, string(raw)
}

func prop(c *ics.ComponentBase, name string) string {
	if p := c.GetProperty(ics.ComponentProperty(name)); p != nil {
		return p.Value
	}
	return ""
}

// TestCalendarFeedEventByEvent covers the calendar feed (RFC 5545): parsed back by the library, it has
// the weekly event on the couple's day at the person's hour with a TZID and a VTIMEZONE whose rules
// give the right offsets on both sides of the daylight-saving change, one all-day event for the review
// date of each active agreement (never its title), an alarm on each, and only the person's own neutral
// titles (SECURITY L1). Changing the titles or hour changes the feed; revoking it, or making a new link,
// makes the old link 404 (SECURITY L4).
func TestCalendarFeedEventByEvent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC))
	ana, anaEmail := f.user(t, "Anacanary")
	ben, _ := f.user(t, "Bencanary")
	f.couple(t, ana, ben, "Europe/London", "sunday")
	sa, _ := f.couples.Current(ctx, ana)
	sb, _ := f.couples.Current(ctx, ben)
	active, err := f.agreements.Create(ctx, sa, agreement.Input{Title: "canary-title-active", Body: "canary-body", Category: "honesty", ReviewOn: "2027-04-10"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.agreements.Accept(ctx, sb, active.ID, 1, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.agreements.Create(ctx, sa, agreement.Input{Title: "canary-title-proposed", Body: "canary-body", Category: "honesty", ReviewOn: "2027-05-01"}); err != nil {
		t.Fatal(err)
	}
	hour := 20
	if _, err := f.svc.Update(ctx, ana, anaEmail, notify.Input{ReminderHour: &hour}); err != nil {
		t.Fatal(err)
	}
	url, err := f.svc.CreateFeed(ctx, ana)
	if err != nil || !strings.HasPrefix(url, base+"/calendar/") || !strings.HasSuffix(url, ".ics") {
		t.Fatalf("feed url %q %v", url, err)
	}
	cal, raw := feedOf(t, f, url)
	if strings.Contains(strings.ToLower(raw), "canary") {
		t.Errorf("the feed carries a name or an agreement's text:\n%s", raw)
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d events, want the weekly one and one review date:\n%s", len(events), raw)
	}
	weekly, review := events[0], events[1]
	start, err := weekly.GetStartAt()
	if err != nil {
		t.Fatal(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	if p := weekly.GetProperty(ics.ComponentPropertyDtStart); p.ICalParameters["TZID"][0] != "Europe/London" {
		t.Errorf("DTSTART without the couple's TZID: %v", p)
	}
	if local := start.In(london); local.Weekday() != time.Sunday || local.Hour() != 20 || local.Minute() != 0 {
		t.Errorf("weekly event starts %v", local)
	}
	if got := prop(&weekly.ComponentBase, "RRULE"); got != "FREQ=WEEKLY;BYDAY=SU" {
		t.Errorf("RRULE %q", got)
	}
	if got := prop(&weekly.ComponentBase, "SUMMARY"); got != notify.DefaultCalendarTitle {
		t.Errorf("weekly title %q", got)
	}
	if d, _ := review.GetAllDayStartAt(); d.Format("2006-01-02") != "2027-04-10" || prop(&review.ComponentBase, "SUMMARY") != notify.DefaultReviewTitle {
		t.Errorf("review event: %v %q", d, prop(&review.ComponentBase, "SUMMARY"))
	}
	if p := review.GetProperty(ics.ComponentPropertyDtStart); len(p.ICalParameters["VALUE"]) != 1 || p.ICalParameters["VALUE"][0] != "DATE" {
		t.Errorf("the review event is not a date: %v", p)
	}
	for _, ev := range events {
		if n := len(ev.Alarms()); n != 1 {
			t.Errorf("%s: %d alarms", prop(&ev.ComponentBase, "SUMMARY"), n)
		} else if prop(&ev.Alarms()[0].ComponentBase, "ACTION") != "DISPLAY" || prop(&ev.Alarms()[0].ComponentBase, "TRIGGER") == "" {
			t.Errorf("alarm: %v", ev.Alarms()[0].Properties)
		}
	}
	checkZone(t, cal, "Europe/London", map[string][3]string{
		"STANDARD": {"20271031T020000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "+0100>+0000"},
		"DAYLIGHT": {"20270328T010000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "+0000>+0100"},
	})

	// The person's own titles and hour.
	title, rt := "Tea", "Look again"
	if _, err := f.svc.Update(ctx, ana, anaEmail, notify.Input{CalendarTitle: &title, ReviewTitle: &rt}); err != nil {
		t.Fatal(err)
	}
	cal, _ = feedOf(t, f, url)
	if prop(&cal.Events()[0].ComponentBase, "SUMMARY") != "Tea" || prop(&cal.Events()[1].ComponentBase, "SUMMARY") != "Look again" {
		t.Errorf("titles not taken from the settings")
	}

	// A new link replaces the old one; revoking ends it.
	url2, _ := f.svc.CreateFeed(ctx, ana)
	if _, err := f.svc.Feed(ctx, strings.TrimSuffix(url[strings.LastIndex(url, "/")+1:], ".ics")); err != notify.ErrFeedNotFound {
		t.Errorf("the replaced link: %v", err)
	}
	if err := f.svc.RevokeFeed(ctx, ana); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Feed(ctx, strings.TrimSuffix(url2[strings.LastIndex(url2, "/")+1:], ".ics")); err != notify.ErrFeedNotFound {
		t.Errorf("the revoked link: %v", err)
	}
	if _, err := f.svc.Feed(ctx, "unknown"); err != notify.ErrFeedNotFound {
		t.Errorf("an unknown link: %v", err)
	}
}

// checkZone checks the feed's VTIMEZONE for tzid: each kind of component with its DTSTART, RRULE and
// "from>to" offsets.
func checkZone(t *testing.T, cal *ics.Calendar, tzid string, want map[string][3]string) {
	t.Helper()
	zones := cal.Timezones()
	if len(zones) != 1 || prop(&zones[0].ComponentBase, "TZID") != tzid {
		t.Fatalf("timezones: %d", len(zones))
	}
	found := map[string][3]string{}
	for _, c := range zones[0].Components {
		var cb *ics.ComponentBase
		kind := ""
		switch x := c.(type) {
		case *ics.Standard:
			cb, kind = &x.ComponentBase, "STANDARD"
		case *ics.Daylight:
			cb, kind = &x.ComponentBase, "DAYLIGHT"
		default:
			continue
		}
		found[kind] = [3]string{prop(cb, "DTSTART"), prop(cb, "RRULE"), prop(cb, "TZOFFSETFROM") + ">" + prop(cb, "TZOFFSETTO")}
	}
	for k, w := range want {
		if found[k] != w {
			t.Errorf("%s %s: %v, want %v", tzid, k, found[k], w)
		}
	}
}

// TestCalendarFeedInNewYork: the second time zone's rules (second Sunday of March, first Sunday of
// November) and a weekday other than Sunday.
func TestCalendarFeedInNewYork(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC))
	a, _ := f.user(t, "A")
	b, _ := f.user(t, "B")
	f.couple(t, a, b, "America/New_York", "thursday")
	url, _ := f.svc.CreateFeed(ctx, a)
	cal, _ := feedOf(t, f, url)
	ny, _ := time.LoadLocation("America/New_York")
	start, _ := cal.Events()[0].GetStartAt()
	if local := start.In(ny); local.Weekday() != time.Thursday || local.Hour() != notify.DefaultReminderHour {
		t.Errorf("weekly event starts %v", local)
	}
	if got := prop(&cal.Events()[0].ComponentBase, "RRULE"); got != "FREQ=WEEKLY;BYDAY=TH" {
		t.Errorf("RRULE %q", got)
	}
	checkZone(t, cal, "America/New_York", map[string][3]string{
		"STANDARD": {"20271107T020000", "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "-0400>-0500"},
		"DAYLIGHT": {"20270314T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "-0500>-0400"},
	})
}

package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// EventLength is how long the weekly event lasts in the calendar.
const EventLength = 30 * time.Minute

// icalLocal is the RFC 5545 local date-time form, used with a TZID.
const icalLocal = "20060102T150405"

var icalDays = []string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// Feed returns the calendar (RFC 5545) of the live feed with secret plain, or ErrFeedNotFound. It
// holds the weekly event on the couple's check-in day at the person's hour, recurring in the couple's
// time zone (with its VTIMEZONE, so it stays at that hour across daylight-saving changes), and the
// review dates of the couple's active agreements as all-day events, each with an alarm. The titles are
// the person's own two settings; nothing else of anyone's text, and no name, is in it (SECURITY L1).
func (s *Service) Feed(ctx context.Context, plain string) ([]byte, error) {
	userID, err := s.feedOwner(ctx, plain)
	if err != nil {
		return nil, err
	}
	st, err := s.load(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	cal := ics.NewCalendarFor("feed")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(st.CalendarTitle)
	m, err := s.src.Membership(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("notify: feed: %w", err)
	}
	if m != nil {
		now := s.now()
		start, _ := ReminderDue(now, m.Location, m.Couple.CheckinWeekday, st.ReminderHour)
		tzid := m.Couple.Timezone
		cal.SetXWRTimezone(tzid)
		cal.AddVTimezone(vtimezone(tzid, m.Location, start.Year()))
		ev := cal.AddEvent(uid(userID, "weekly"))
		ev.SetDtStampTime(now)
		ev.SetProperty(ics.ComponentPropertyDtStart, start.Format(icalLocal), ics.WithTZID(tzid))
		ev.SetProperty(ics.ComponentPropertyDtEnd, start.Add(EventLength).Format(icalLocal), ics.WithTZID(tzid))
		ev.AddRrule("FREQ=WEEKLY;BYDAY=" + icalDays[m.Couple.CheckinWeekday])
		ev.SetSummary(st.CalendarTitle)
		alarm(ev, "-PT15M", st.CalendarTitle)
		dates, err := s.src.ReviewDates(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("notify: feed: %w", err)
		}
		sort.Strings(dates)
		seen := map[string]bool{}
		for _, d := range dates {
			day, err := time.Parse("2006-01-02", d)
			if err != nil || seen[d] {
				continue
			}
			seen[d] = true
			rev := cal.AddEvent(uid(userID, "review-"+d))
			rev.SetDtStampTime(now)
			rev.SetAllDayStartAt(day)
			rev.SetAllDayEndAt(day.AddDate(0, 0, 1))
			rev.SetSummary(st.ReviewTitle)
			alarm(rev, "PT9H", st.ReviewTitle)
		}
	}
	return []byte(cal.Serialize()), nil
}

func alarm(ev *ics.VEvent, trigger, text string) {
	a := ev.AddAlarm()
	a.SetAction(ics.ActionDisplay)
	a.SetTrigger(trigger)
	a.SetProperty(ics.ComponentPropertyDescription, text)
}

// uid is an event's stable identifier: a hash, so it says nothing of whose it is.
func uid(userID, what string) string {
	sum := sha256.Sum256([]byte("mend-feed\x00" + userID + "\x00" + what))
	return hex.EncodeToString(sum[:12]) + "@feed"
}

// vtimezone describes loc for the calendar: each daylight-saving change of year, with a yearly rule
// ("the last Sunday of March"), or a single standard time where there is none.
func vtimezone(tzid string, loc *time.Location, year int) *ics.VTimezone {
	tz := ics.NewTimezone(tzid)
	changes := transitions(loc, year)
	if len(changes) == 0 {
		name, off := time.Date(year, 1, 1, 0, 0, 0, 0, loc).Zone()
		std := tz.AddStandard()
		setZone(&std.ComponentBase, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).Format(icalLocal), off, off, name, "")
		return tz
	}
	for _, at := range changes {
		before, after := at.Add(-time.Second).In(loc), at.In(loc)
		name, to := after.Zone()
		_, from := before.Zone()
		// DTSTART is the wall-clock time of the change as the old offset reads it.
		start := at.In(time.FixedZone("", from)).Format(icalLocal)
		if after.IsDST() {
			d := &ics.Daylight{}
			setZone(&d.ComponentBase, start, from, to, name, yearlyRule(at.In(time.FixedZone("", from))))
			tz.Components = append(tz.Components, d)
		} else {
			std := tz.AddStandard()
			setZone(&std.ComponentBase, start, from, to, name, yearlyRule(at.In(time.FixedZone("", from))))
		}
	}
	return tz
}

func setZone(c *ics.ComponentBase, start string, from, to int, name, rule string) {
	c.SetProperty(ics.ComponentPropertyDtStart, start)
	c.SetProperty(ics.ComponentProperty("TZOFFSETFROM"), offset(from))
	c.SetProperty(ics.ComponentProperty("TZOFFSETTO"), offset(to))
	if name != "" && !strings.HasPrefix(name, "+") && !strings.HasPrefix(name, "-") {
		c.SetProperty(ics.ComponentProperty("TZNAME"), name)
	}
	if rule != "" {
		c.AddRrule(rule)
	}
}

// offset writes seconds east of UTC as +hhmm.
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}

// yearlyRule is the RRULE of a change on the day of t: its month and its weekday counted from the
// start of the month, or -1 for the last one ("the last Sunday of March").
func yearlyRule(t time.Time) string {
	n := (t.Day()-1)/7 + 1
	if t.Day()+7 > time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		n = -1
	}
	return fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", int(t.Month()), n, icalDays[t.Weekday()])
}

// transitions returns the instants in year at which loc's offset changes, found to the second.
func transitions(loc *time.Location, year int) []time.Time {
	var out []time.Time
	t := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	for t.Before(end) {
		next := t.Add(24 * time.Hour)
		_, a := t.Zone()
		_, b := next.Zone()
		if a != b {
			lo, hi := t, next // offset(lo) = a, offset(hi) = b
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.Zone(); o == a {
					lo = mid
				} else {
					hi = mid
				}
			}
			out = append(out, hi.Truncate(time.Second))
		}
		t = next
	}
	return out
}

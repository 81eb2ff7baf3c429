package plan

import (
	"fmt"
	"time"
)

// WeekKey returns the ISO week key (2026-W48) that t falls in, seen from loc.
func WeekKey(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	y, w := t.In(loc).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// weekOfDate returns the week key of a YYYY-MM-DD date, or "" when it is not a date.
func weekOfDate(d string) string {
	t, ok := parseDate(d)
	if !ok {
		return ""
	}
	return WeekKey(t, time.UTC)
}

// mondayOf returns the Monday (a date at midnight UTC) of the week that t falls in, seen from loc.
func mondayOf(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	d := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// mondayOfKey returns the Monday (a date at midnight UTC) of an ISO week key such as 2026-W48.
func mondayOfKey(key string) (time.Time, bool) {
	var y, w int
	if _, err := fmt.Sscanf(key, "%04d-W%02d", &y, &w); err != nil || w < 1 || w > 53 {
		return time.Time{}, false
	}
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, time.UTC)
	return jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w-1)), true
}

// weeksBetween lists week keys from the week of from to the week of to, both included, at most max
// (the latest ones).
func weeksBetween(from, to time.Time, loc *time.Location, max int) []string {
	return weekKeys(mondayOf(from, loc), mondayOf(to, loc), max)
}

// weekKeys lists the week keys from the week starting on Monday start to the one starting on Monday
// end, both included, at most max (the latest ones).
func weekKeys(start, end time.Time, max int) []string {
	var out []string
	for d := start; !d.After(end); d = d.AddDate(0, 0, 7) {
		out = append(out, WeekKey(d, time.UTC))
	}
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return out
}

// weekLabel describes a week key as the date of its Monday ("23 Nov").
func weekLabel(key string) string {
	mon, ok := mondayOfKey(key)
	if !ok {
		return key
	}
	return mon.Format("2 Jan")
}

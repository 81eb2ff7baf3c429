package checkin

import (
	"fmt"
	"time"
)

// Week is an ISO 8601 week, written 2026-W48.
type Week struct {
	Year int
	Num  int
}

// WeekOf returns the ISO week that t falls in, seen from loc.
func WeekOf(t time.Time, loc *time.Location) Week {
	if loc == nil {
		loc = time.UTC
	}
	y, w := t.In(loc).ISOWeek()
	return Week{Year: y, Num: w}
}

// WeeksIn returns how many ISO weeks year has: 53 when 28 December falls in week 53, else 52.
func WeeksIn(year int) int {
	_, w := time.Date(year, time.December, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// ParseWeek reads a key such as 2026-W48, reporting false for anything else, including week 53 of a
// year that has only 52 weeks.
func ParseWeek(s string) (Week, bool) {
	if len(s) != 8 || s[4] != '-' || s[5] != 'W' {
		return Week{}, false
	}
	year, ok := digits(s[:4])
	if !ok || year < 1970 {
		return Week{}, false
	}
	num, ok := digits(s[6:])
	if !ok || num < 1 || num > WeeksIn(year) {
		return Week{}, false
	}
	return Week{Year: year, Num: num}, true
}

func digits(s string) (int, bool) {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

// String returns the week key, such as 2026-W48.
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Num) }

// Monday returns the first day of the week as a calendar date (midnight UTC stands for the date).
func (w Week) Monday() time.Time {
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, time.UTC)
	offset := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return jan4.AddDate(0, 0, -offset+7*(w.Num-1))
}

// Sunday returns the last day of the week as a calendar date.
func (w Week) Sunday() time.Time { return w.Monday().AddDate(0, 0, 6) }

// Prev returns the week before w.
func (w Week) Prev() Week { return WeekOf(w.Monday().AddDate(0, 0, -7), time.UTC) }

// Next returns the week after w.
func (w Week) Next() Week { return WeekOf(w.Monday().AddDate(0, 0, 7), time.UTC) }

// Before reports whether w comes before o.
func (w Week) Before(o Week) bool {
	return w.Year < o.Year || (w.Year == o.Year && w.Num < o.Num)
}

// Label describes the week's days in words, such as "23–29 November 2026" or "28 December 2026 – 3 January 2027".
func (w Week) Label() string {
	a, b := w.Monday(), w.Sunday()
	switch {
	case a.Year() != b.Year():
		return a.Format("2 January 2006") + " – " + b.Format("2 January 2006")
	case a.Month() != b.Month():
		return a.Format("2 January") + " – " + b.Format("2 January 2006")
	default:
		return fmt.Sprintf("%d–%s", a.Day(), b.Format("2 January 2006"))
	}
}

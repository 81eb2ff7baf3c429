package plan

import (
	"strconv"
	"time"
)

// Week is an ISO 8601 week, such as 2026-W48.
type Week struct {
	Year, Num int
}

// WeekOf returns the ISO week that t falls in, seen from loc.
func WeekOf(t time.Time, loc *time.Location) Week {
	if loc == nil {
		loc = time.UTC
	}
	y, w := t.In(loc).ISOWeek()
	return Week{Year: y, Num: w}
}

// ParseWeek reads a week key such as 2026-W48, reporting false for anything else, including week 53
// of a year that has only 52 weeks.
func ParseWeek(key string) (Week, bool) {
	if len(key) != 8 || key[4] != '-' || key[5] != 'W' {
		return Week{}, false
	}
	y, ok := digits(key[:4])
	if !ok {
		return Week{}, false
	}
	n, ok := digits(key[6:])
	if !ok || n < 1 || n > 53 {
		return Week{}, false
	}
	w := Week{Year: y, Num: n}
	if n == 53 && WeekOf(w.Monday(), time.UTC) != w {
		return Week{}, false
	}
	return w, true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// String returns the week key, such as 2026-W48.
func (w Week) String() string { return string(w.appendKey(make([]byte, 0, 8))) }

// appendKey appends the week key to b.
func (w Week) appendKey(b []byte) []byte {
	if w.Year < 0 || w.Year > 9999 {
		b = strconv.AppendInt(b, int64(w.Year), 10)
	} else {
		b = append(b, byte('0'+w.Year/1000), byte('0'+w.Year/100%10), byte('0'+w.Year/10%10), byte('0'+w.Year%10))
	}
	b = append(b, '-', 'W')
	if w.Num < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(w.Num), 10)
}

// Monday returns the first day of the week as a calendar date (midnight UTC stands for the date).
func (w Week) Monday() time.Time {
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, time.UTC)
	return jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w.Num-1))
}

// Before reports whether w comes before o.
func (w Week) Before(o Week) bool {
	return w.Year < o.Year || (w.Year == o.Year && w.Num < o.Num)
}

// WeekKey returns the ISO week key (2026-W48) that t falls in, seen from loc.
func WeekKey(t time.Time, loc *time.Location) string {
	return WeekOf(t, loc).String()
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

// week is the length of a week between two Mondays at midnight UTC.
const week = 7 * 24 * time.Hour

// recentWeeks returns the Mondays of the first and the last of the n weeks ending with the one that now
// falls in, seen from loc: the weeks from n-1 weeks before now up to now, at most n of them.
func recentWeeks(now time.Time, loc *time.Location, n int) (first, last time.Time) {
	first, last = mondayOf(now.AddDate(0, 0, -7*(n-1)), loc), mondayOf(now, loc)
	if earliest := last.Add(-time.Duration(n-1) * week); first.Before(earliest) {
		first = earliest
	}
	return first, last
}

// weekIndex returns how many weeks the week starting on Monday m comes after the one starting on
// Monday start, or -1 when it comes before.
func weekIndex(start, m time.Time) int {
	if m.Before(start) {
		return -1
	}
	return int(m.Sub(start) / week)
}

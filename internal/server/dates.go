package server

import (
	"strings"
	"time"

	"github.com/mendhq/mend/internal/checkin"
)

// Dates and times as people read them on pages: a date in words ("15 January 2027"), a time in the
// couple's time zone, and the zone named once where a time matters ("15 January 2027, 19:30 New York
// time"). The JSON API keeps its machine formats (dates YYYY-MM-DD, instants RFC 3339 in UTC), and so do
// attributes such as value="…" and datetime="…"; these helpers are for what people read.

const (
	dayLayout   = "2 January 2006"
	clockLayout = "2 January 2006, 15:04"
	isoLayout   = "2006-01-02"
)

// humanDate writes a YYYY-MM-DD date as "25 January 2027"; anything else is returned as it is.
func humanDate(s string) string {
	t, err := time.Parse(isoLayout, s)
	if err != nil {
		return s
	}
	return t.Format(dayLayout)
}

// dayIn writes the calendar day of the instant t in loc (nil means UTC): "25 November 2026".
func dayIn(t time.Time, loc *time.Location) string { return t.In(orUTC(loc)).Format(dayLayout) }

// clockIn writes the instant t in loc (nil means UTC) without naming the zone, for a list whose zone is
// named once nearby (zoneName): "25 November 2026, 19:30".
func clockIn(t time.Time, loc *time.Location) string { return t.In(orUTC(loc)).Format(clockLayout) }

// zonedIn writes the instant t in loc (nil means UTC) and names the zone: "25 November 2026, 19:30
// New York time".
func zonedIn(t time.Time, loc *time.Location) string { return clockIn(t, loc) + " " + zoneName(loc) }

// zoneName names a time zone as a couple would say it: "New York time" for America/New_York, "London
// time" for Europe/London, "UTC" for UTC (and nil), an offset for a fixed Etc/ zone ("UTC-05:00"),
// and any other name as it is.
func zoneName(loc *time.Location) string {
	name := orUTC(loc).String()
	switch name {
	case "UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu":
		return "UTC"
	}
	if strings.HasPrefix(name, "Etc/") { // fixed offsets, with POSIX signs: Etc/GMT+5 is UTC-05:00
		return "UTC" + time.Date(2000, 1, 1, 0, 0, 0, 0, loc).Format("-07:00")
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return strings.ReplaceAll(name[i+1:], "_", " ") + " time"
	}
	return name
}

// weekCode is the small label of an ISO week key: "Week 48" for 2026-W48; anything else as it is.
func weekCode(key string) string {
	if i := strings.Index(key, "-W"); i > 0 {
		if n := strings.TrimLeft(key[i+2:], "0"); n != "" {
			return "Week " + n
		}
	}
	return key
}

// weekLabel writes an ISO week key as the days it spans, "23–29 November 2026" for 2026-W48; anything
// else is returned as it is.
func weekLabel(key string) string {
	if w, ok := checkin.ParseWeek(key); ok {
		return w.Label()
	}
	return key
}

// zoneByName loads a couple's stored time zone, falling back to UTC when it cannot be loaded.
func zoneByName(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" {
		return time.UTC
	}
	return loc
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// firstZone is the optional zone argument of a template function: {{date .At}} or {{date .At $.Zone}}.
func firstZone(locs []*time.Location, fallback *time.Location) *time.Location {
	if len(locs) > 0 && locs[0] != nil {
		return locs[0]
	}
	return fallback
}

// dateFuncs are the template functions over dates and times. Each time function takes the zone as an
// optional last argument (pages pass $.Zone); without it a date is read in the instant's own location
// and a time in UTC, named as such.
func dateFuncs() map[string]any {
	return map[string]any{
		"date": func(t time.Time, loc ...*time.Location) string {
			return t.In(firstZone(loc, t.Location())).Format(dayLayout)
		},
		"clock":     func(t time.Time, loc ...*time.Location) string { return clockIn(t, firstZone(loc, time.UTC)) },
		"datetime":  func(t time.Time, loc ...*time.Location) string { return zonedIn(t, firstZone(loc, time.UTC)) },
		"zone":      zoneName,
		"zoneof":    zoneByName,
		"humandate": humanDate,
		"weekcode":  weekCode,
		"weeklabel": weekLabel,
		"isodate":   func(t time.Time) string { return t.Format(isoLayout) },
	}
}

// Zone is the time zone the page's times are shown in: the couple's, or UTC for someone not in one.
func (v *view) Zone() *time.Location {
	if v.Membership != nil && v.Membership.Location != nil {
		return v.Membership.Location
	}
	return time.UTC
}

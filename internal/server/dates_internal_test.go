package server

import (
	"testing"
	"time"
)

// TestDateHelpersWriteWhatPeopleRead: dates in words, instants in the couple's zone, and the zone named
// the way a couple would say it, never a bare "UTC" for a couple in New York or London.
func TestDateHelpersWriteWhatPeopleRead(t *testing.T) {
	t.Parallel()
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	ny, london, kolkata := load("America/New_York"), load("Europe/London"), load("Asia/Kolkata")
	at := time.Date(2026, 12, 2, 3, 30, 0, 0, time.UTC) // still 1 December in New York
	for _, c := range []struct{ name, got, want string }{
		{"humanDate", humanDate("2027-01-15"), "15 January 2027"},
		{"humanDate of something else", humanDate("soon"), "soon"},
		{"dayIn New York", dayIn(at, ny), "1 December 2026"},
		{"dayIn nil", dayIn(at, nil), "2 December 2026"},
		{"clockIn London", clockIn(at, london), "2 December 2026, 03:30"},
		{"zonedIn New York", zonedIn(at, ny), "1 December 2026, 22:30 New York time"},
		{"zonedIn Kolkata", zonedIn(at, kolkata), "2 December 2026, 09:00 Kolkata time"},
		{"zonedIn UTC", zonedIn(at, time.UTC), "2 December 2026, 03:30 UTC"},
		{"zoneName London", zoneName(london), "London time"},
		{"zoneName Buenos Aires", zoneName(load("America/Argentina/Buenos_Aires")), "Buenos Aires time"},
		{"zoneName Etc/UTC", zoneName(load("Etc/UTC")), "UTC"},
		{"zoneName Etc/GMT+5", zoneName(load("Etc/GMT+5")), "UTC-05:00"},
		{"weekCode", weekCode("2026-W08"), "Week 8"},
		{"weekCode of something else", weekCode("soon"), "soon"},
		{"zoneByName unknown", zoneByName("Mars/Olympus").String(), "UTC"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

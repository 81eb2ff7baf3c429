package checkin_test

import (
	"testing"
	"time"

	"github.com/mendhq/mend/internal/checkin"
)

func TestParseWeek(t *testing.T) {
	t.Parallel()
	cases := []struct {
		key  string
		ok   bool
		want checkin.Week
	}{
		{"2026-W48", true, checkin.Week{Year: 2026, Num: 48}},
		{"2026-W01", true, checkin.Week{Year: 2026, Num: 1}},
		{"2026-W53", true, checkin.Week{Year: 2026, Num: 53}}, // 2026 starts on a Thursday: 53 weeks
		{"2020-W53", true, checkin.Week{Year: 2020, Num: 53}}, // leap year starting on a Wednesday
		{"2027-W53", false, checkin.Week{}},
		{"2025-W53", false, checkin.Week{}},
		{"2026-W54", false, checkin.Week{}},
		{"2026-W00", false, checkin.Week{}},
		{"2026-w48", false, checkin.Week{}},
		{"2026W48", false, checkin.Week{}},
		{"2026-W4", false, checkin.Week{}},
		{"2026-W480", false, checkin.Week{}},
		{"26-W48", false, checkin.Week{}},
		{"1969-W10", false, checkin.Week{}},
		{"2026-W+8", false, checkin.Week{}},
		{"2026-W-1", false, checkin.Week{}},
		{"२०२६-W48", false, checkin.Week{}},
		{"", false, checkin.Week{}},
		{"2026-11-25", false, checkin.Week{}},
	}
	for _, tc := range cases {
		got, ok := checkin.ParseWeek(tc.key)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseWeek(%q) = %v, %v; want %v, %v", tc.key, got, ok, tc.want, tc.ok)
		}
		if ok && got.String() != tc.key {
			t.Errorf("ParseWeek(%q).String() = %q", tc.key, got.String())
		}
	}
}

func TestWeekOfAcrossZonesAndYears(t *testing.T) {
	t.Parallel()
	auckland, err := time.LoadLocation("Pacific/Auckland")
	if err != nil {
		t.Fatal(err)
	}
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		at   time.Time
		loc  *time.Location
		want string
	}{
		{"Sunday noon in London", time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC), time.UTC, "2026-W48"},
		{"same instant is Monday in Auckland", time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC), auckland, "2026-W49"},
		{"Monday morning UTC is still Sunday in Los Angeles", time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC), la, "2026-W48"},
		{"new year's day 2027 is in 2026-W53", time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), time.UTC, "2026-W53"},
		{"3 January 2027 is the last day of 2026-W53", time.Date(2027, 1, 3, 23, 0, 0, 0, time.UTC), time.UTC, "2026-W53"},
		{"Auckland reaches 2027-W01 first", time.Date(2027, 1, 3, 12, 0, 0, 0, time.UTC), auckland, "2027-W01"},
		{"29 December 2025 is in 2026-W01", time.Date(2025, 12, 29, 12, 0, 0, 0, time.UTC), time.UTC, "2026-W01"},
	}
	for _, tc := range cases {
		if got := checkin.WeekOf(tc.at, tc.loc).String(); got != tc.want {
			t.Errorf("%s: WeekOf = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestWeekArithmeticAndLabels(t *testing.T) {
	t.Parallel()
	w53 := checkin.Week{Year: 2026, Num: 53}
	if got := w53.Next().String(); got != "2027-W01" {
		t.Errorf("2026-W53 next = %s", got)
	}
	if got := (checkin.Week{Year: 2027, Num: 1}).Prev().String(); got != "2026-W53" {
		t.Errorf("2027-W01 prev = %s", got)
	}
	if got := (checkin.Week{Year: 2026, Num: 1}).Prev().String(); got != "2025-W52" {
		t.Errorf("2026-W01 prev = %s", got)
	}
	labels := map[checkin.Week]string{
		{Year: 2026, Num: 48}: "23–29 November 2026",
		{Year: 2026, Num: 49}: "30 November – 6 December 2026",
		{Year: 2026, Num: 53}: "28 December 2026 – 3 January 2027",
	}
	for w, want := range labels {
		if got := w.Label(); got != want {
			t.Errorf("%s label = %q, want %q", w, got, want)
		}
	}
	if !(checkin.Week{Year: 2026, Num: 53}).Before(checkin.Week{Year: 2027, Num: 1}) {
		t.Error("2026-W53 should come before 2027-W01")
	}
	for y := 2000; y < 2040; y++ {
		_, w := time.Date(y, 12, 31, 12, 0, 0, 0, time.UTC).ISOWeek()
		has53 := w == 53
		if (checkin.WeeksIn(y) == 53) != has53 {
			t.Errorf("WeeksIn(%d) = %d, but 31 December is in week %d", y, checkin.WeeksIn(y), w)
		}
	}
}

// FuzzParseWeek: any input either fails to parse or round-trips to a week that exists.
func FuzzParseWeek(f *testing.F) {
	for _, s := range []string{"2026-W48", "2026-W53", "2027-W53", "0000-W00", "9999-W52", "2026-W٤8", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, ok := checkin.ParseWeek(s)
		if !ok {
			return
		}
		if w.String() != s || w.Num < 1 || w.Num > checkin.WeeksIn(w.Year) {
			t.Fatalf("ParseWeek(%q) = %v", s, w)
		}
		if got := checkin.WeekOf(w.Monday(), time.UTC); got != w {
			t.Fatalf("%s starts on %s, which is in %s", s, w.Monday().Format(time.DateOnly), got)
		}
	})
}

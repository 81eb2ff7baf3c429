package couple

import (
	"sort"
	_ "time/tzdata" // time zones work even where the system has no zoneinfo
)

// CommonZones are the time zones offered in the couple's settings, by region. Any IANA zone is accepted
// through the API; a couple's own zone is always offered too.
var CommonZones = []string{
	"Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
	"America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago", "America/Denver",
	"America/Halifax", "America/Los_Angeles", "America/Mexico_City", "America/New_York", "America/Phoenix",
	"America/Santiago", "America/Sao_Paulo", "America/St_Johns", "America/Toronto", "America/Vancouver",
	"Asia/Bangkok", "Asia/Dhaka", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta", "Asia/Jerusalem", "Asia/Karachi",
	"Asia/Kolkata", "Asia/Manila", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo",
	"Atlantic/Reykjavik",
	"Australia/Adelaide", "Australia/Brisbane", "Australia/Melbourne", "Australia/Perth", "Australia/Sydney",
	"Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Brussels", "Europe/Dublin", "Europe/Helsinki",
	"Europe/Istanbul", "Europe/Lisbon", "Europe/London", "Europe/Madrid", "Europe/Moscow", "Europe/Paris",
	"Europe/Prague", "Europe/Rome", "Europe/Stockholm", "Europe/Vienna", "Europe/Warsaw", "Europe/Zurich",
	"Pacific/Auckland", "Pacific/Honolulu",
	"UTC",
}

// ZoneChoices returns CommonZones with current added when it is missing, sorted.
func ZoneChoices(current string) []string {
	out := append([]string{}, CommonZones...)
	found := current == ""
	for _, z := range out {
		if z == current {
			found = true
		}
	}
	if !found {
		if _, err := loadZone(current); err == nil {
			out = append(out, current)
			sort.Strings(out)
		}
	}
	return out
}

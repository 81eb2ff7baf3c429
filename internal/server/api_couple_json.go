package server

import (
	"github.com/mendhq/mend/internal/couple"
)

// memberJSON is a member as the couple sees them: never an email (SECURITY C5).
type memberJSON struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	JoinedAt    string `json:"joined_at"`
	Me          bool   `json:"me"`
}

// coupleJSON is the allowlisted shape of a couple in the API.
type coupleJSON struct {
	ID             string       `json:"id"`
	Status         string       `json:"status"`
	Timezone       string       `json:"timezone"`
	CheckinWeekday string       `json:"checkin_weekday"`
	CreatedAt      string       `json:"created_at"`
	EndedAt        *string      `json:"ended_at,omitempty"`
	Members        []memberJSON `json:"members"`
}

// weekdayName is the couple's check-in day as the API and the settings form name it ("monday"), or ""
// for a day out of range.
func weekdayName(d int) string {
	if d < 0 || d >= len(couple.Weekdays) {
		return ""
	}
	return couple.Weekdays[d]
}

func personJSON(p couple.Person, me bool) memberJSON {
	return memberJSON{ID: p.UserID, DisplayName: p.DisplayName, Role: p.Role, JoinedAt: rfc3339(p.JoinedAt), Me: me}
}

// coupleJSONOf returns the current couple as JSON, or nil (JSON null) without one.
func coupleJSONOf(m *couple.Membership) *coupleJSON {
	if m == nil {
		return nil
	}
	out := &coupleJSON{ID: m.Couple.ID, Status: m.Status(), Timezone: m.Couple.Timezone,
		CheckinWeekday: weekdayName(m.Couple.CheckinWeekday), CreatedAt: rfc3339(m.Couple.CreatedAt),
		Members: []memberJSON{personJSON(m.Me, true)}}
	if m.Partner != nil {
		out.Members = append(out.Members, personJSON(*m.Partner, false))
	}
	return out
}

// pastJSON is an ended couple in the user's archive.
type pastJSON struct {
	ID             string  `json:"id"`
	Status         string  `json:"status"`
	Timezone       string  `json:"timezone"`
	CheckinWeekday string  `json:"checkin_weekday"`
	CreatedAt      string  `json:"created_at"`
	EndedAt        *string `json:"ended_at,omitempty"`
	JoinedAt       string  `json:"joined_at"`
	LeftAt         string  `json:"left_at"`
	Partner        string  `json:"partner_display_name"`
}

func pastJSONOf(p couple.Past) pastJSON {
	out := pastJSON{ID: p.Couple.ID, Status: "ended", Timezone: p.Couple.Timezone, CheckinWeekday: weekdayName(p.Couple.CheckinWeekday),
		CreatedAt: rfc3339(p.Couple.CreatedAt), JoinedAt: rfc3339(p.JoinedAt), LeftAt: rfc3339(p.LeftAt), Partner: p.Partner}
	if p.Couple.EndedAt != nil {
		e := rfc3339(*p.Couple.EndedAt)
		out.EndedAt = &e
	}
	return out
}

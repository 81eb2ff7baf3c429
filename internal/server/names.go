package server

import "github.com/mendhq/mend/internal/couple"

// How pages and the API name the people of the signed-in member's couple.

// partnerName is the partner's display name, or a neutral word while there is none.
func partnerName(m *couple.Membership) string {
	if m == nil || m.Partner == nil {
		return "your partner"
	}
	return m.Partner.DisplayName
}

// whoName names userID for the people of m's couple: "You", the partner's name, or a former member.
func whoName(m *couple.Membership, userID string) string {
	switch {
	case userID == m.Me.UserID:
		return "You"
	case m.Partner != nil && userID == m.Partner.UserID:
		return m.Partner.DisplayName
	}
	return "A former member"
}

package server

import (
	"context"
	"time"

	"github.com/mendhq/mend/internal/couple"
)

// lowSafetyCheck reports whether a person's latest private safety answer in a couple is low (DESIGN
// §2.4): the repair pages then stop suggesting things to do together.
type lowSafetyCheck func(ctx context.Context, coupleID, userID string) (bool, error)

// repairPage is what every page of the repair tools (the trigger log, the questions) shows besides
// its own content: the partner's name, whether there is a partner yet, whether the member's safety
// answer is low, and the guidance path for their role.
type repairPage struct {
	Partner    string
	HasPartner bool
	LowSafety  bool
	Path       repairPath
}

// repairPageFor fills the repair page of the signed-in member m, asking low about their safety.
func repairPageFor(ctx context.Context, m *couple.Membership, low lowSafetyCheck) (repairPage, error) {
	isLow, err := low(ctx, m.Couple.ID, m.Me.UserID)
	if err != nil {
		return repairPage{}, err
	}
	return repairPage{Partner: partnerName(m), HasPartner: m.Partner != nil, LowSafety: isLow, Path: pathFor(m)}, nil
}

// repairPath says which guidance path the repair pages suggest: the one for the person's role, or
// both when they have recorded none (or prefer not to say). Nothing locks on it.
type repairPath struct {
	Hurt, BrokeTrust bool
}

// pathFor returns the path for the signed-in member's role.
func pathFor(m *couple.Membership) repairPath {
	switch m.Me.Role {
	case "hurt":
		return repairPath{Hurt: true}
	case "broke_trust":
		return repairPath{BrokeTrust: true}
	default:
		return repairPath{Hurt: true, BrokeTrust: true}
	}
}

// localTime writes t in the couple's time zone for people to read, as the repair pages date what was
// written: "Wed 25 November 2026, 10:15".
func localTime(t time.Time, m *couple.Membership) string {
	return t.In(m.Location).Format("Mon 2 January 2006, 15:04")
}

// localDate writes t's date in the couple's time zone, such as "3 March".
func localDate(t time.Time, m *couple.Membership) string {
	return t.In(m.Location).Format("2 January")
}

package server

import (
	"github.com/mendhq/mend/internal/couple"
)

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

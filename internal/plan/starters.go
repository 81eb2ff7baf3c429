package plan

// Ids of the article's five checklist items, the same in every couple.
const (
	ItemAcknowledge = "acknowledge"
	ItemBoundaries  = "boundaries"
	ItemCheckins    = "checkins"
	ItemListening   = "listening"
	ItemTherapy     = "therapy"
)

// Guidance links used across the feature.
const (
	GuideAcknowledge = "/guide/rebuild-trust#step-1-acknowledge"
	GuideForgiveness = "/forgiveness-after-betrayal"
	GuideChecklist   = "/guide/rebuild-trust#checklist"
	GuideMoments     = "/guide/rebuild-trust#step-6-intimacy"
	GuideSlow        = "/guide/rebuild-trust#slow-progress"
	GuideSupport     = "/guide/rebuild-trust#step-5-support"
	GuideTherapy     = "/couples-therapy"
	GuideUnsafe      = "/couples-therapy#when-it-is-unsafe"
	GuideSafety      = "/safety"
	GuideHelp        = "/safety#where-to-find-help"
)

// starter is one of the article's five action-plan items (DESIGN §2.6).
type starter struct {
	ID, Title           string
	Position            int
	Guide, GuideLabel   string
	Action, ActionLabel string
	BrokeTrust, WasHurt string // lines for the person who broke trust, and for the one who was hurt
	Anyone              string // a line for everyone else
}

var starters = []starter{
	{ID: ItemAcknowledge, Title: "Admit the breach and apologise specifically", Position: 1,
		Guide: GuideAcknowledge, GuideLabel: "Step 1: acknowledge what happened",
		Action: "/acknowledgment", ActionLabel: "Write or read the acknowledgment",
		BrokeTrust: "Write what happened, what you take responsibility for and what you will change, then share it when it is ready.",
		WasHurt:    "When an acknowledgment is shared with you, read it in your own time and say whether it is enough or you need more.",
		Anyone:     "Either of you can write an acknowledgment of what you own."},
	{ID: ItemBoundaries, Title: "Agree on immediate safety measures and boundaries", Position: 2,
		Guide: "/guide/rebuild-trust#step-4-agreements", GuideLabel: "Step 4: agree clearly on what you expect",
		Action: "/agreements", ActionLabel: "Write an agreement",
		BrokeTrust: "Offer the openness that would help, for a set time, in your own words.",
		WasHurt:    "Say which boundaries would help you feel steadier right now.",
		Anyone:     "Write down the first boundaries you both accept."},
	{ID: ItemCheckins, Title: "Schedule weekly check-ins", Position: 3,
		Guide: "/guide/rebuild-trust#step-3-check-ins", GuideLabel: "Step 3: talk in a structured way",
		Action: "/checkins", ActionLabel: "Go to this week's check-in",
		Anyone: "Answer this week's check-in on your own; it opens when you have both shared."},
	{ID: ItemListening, Title: "Learn and practise active listening", Position: 4,
		Guide: "/communication-skills#restate-confirm-validate", GuideLabel: "Restate, confirm, validate",
		Action: "/checkins", ActionLabel: "Reflect back an opened check-in",
		Anyone: "After a check-in opens, write back what you heard and ask whether you got it right."},
	{ID: ItemTherapy, Title: "Consider couples therapy if trust does not improve after consistent effort", Position: 5,
		Guide: GuideSupport, GuideLabel: "Step 5: get professional support",
		Action: "/plan#therapy", ActionLabel: "Record your decision about therapy",
		Anyone: "Talk about whether a therapist could help, and record what you decide."},
}

func starterByID(id string) *starter {
	for i := range starters {
		if starters[i].ID == id {
			return &starters[i]
		}
	}
	return nil
}

// forRole returns the line for a person with role.
func (st starter) forRole(role string) string {
	switch {
	case role == "broke_trust" && st.BrokeTrust != "":
		return st.BrokeTrust
	case role == "hurt" && st.WasHurt != "":
		return st.WasHurt
	}
	return st.Anyone
}

package plan

// The plan's suggestions for each of the two paths (DESIGN §2.2, issue 19): the optional role says
// which path the plan suggests to a person; without one, or with "prefer not to say", both are
// offered. Nothing locks on the role, and no suggestion names anything the partner has not done.

// MaxSuggestions is how many suggestions a path shows at most.
const MaxSuggestions = 3

// Roles that pick a path.
const (
	RoleHurt       = "hurt"
	RoleBrokeTrust = "broke_trust"
)

// Guides of the two paths.
const (
	GuideHurtPartner  = "/guide/for-the-hurt-partner"
	GuideBrokeTrust   = "/guide/for-the-partner-who-broke-trust"
	guideHurtLabel    = "For the partner who was hurt"
	guideBrokeLabel   = "For the partner who broke trust"
	hrefNewAgreement  = "/agreements/new"
	hrefQuestions     = "/questions"
	hrefTriggers      = "/triggers"
	hrefAcknowledge   = "/acknowledgment"
	hrefForgiveness   = GuideForgiveness
	hrefAgreementList = "/agreements"
)

// Suggestion is one thing the plan suggests to a person next, from the guide's action plan. Joint is
// set on suggestions of something done with the partner; none is made while the person's latest safety
// answer is low.
type Suggestion struct {
	Text, Href, Label string
	Joint             bool
}

// Path is the plan's suggestions for one of the two paths.
type Path struct {
	// Role is RoleHurt or RoleBrokeTrust.
	Role              string
	Title             string
	Guide, GuideLabel string
	Suggestions       []Suggestion
}

var safetyFirst = Suggestion{Text: "Your safety comes first. Support just for you is the place to start; everything else can wait.",
	Href: GuideHelp, Label: "Where to find help"}

// hurtPath is what the plan suggests to the partner who was hurt, most pressing first.
func hurtPath(f *facts) []Suggestion {
	var out []Suggestion
	if f.agreements.Active == 0 {
		out = append(out, Suggestion{Text: "Say which boundaries would help you feel steadier now, and write them down as an agreement you both accept.",
			Href: hrefNewAgreement, Label: "Write an agreement", Joint: true})
	}
	out = append(out,
		Suggestion{Text: "When a reminder brings the hurt back, note it in your trigger log. Only you see it; you choose whether to let your partner know.",
			Href: hrefTriggers, Label: "Open your trigger log"},
		Suggestion{Text: "Write down a question you need answered. It can wait for your next check-in, so questions don't take over every evening.",
			Href: hrefQuestions, Label: "Ask a question", Joint: true})
	if !f.ackRead {
		out = append(out, Suggestion{Text: "Forgiveness is a process, not a decision you owe anyone. Take your time, keep your boundaries, and look for change you can see.",
			Href: hrefForgiveness, Label: "Forgiveness, in its own time"})
	}
	return out
}

// brokeTrustPath is what the plan suggests to the partner who broke trust, most pressing first.
func brokeTrustPath(f *facts) []Suggestion {
	var out []Suggestion
	if !f.ackRead {
		out = append(out, Suggestion{Text: "Write a specific acknowledgment: what happened, what you take responsibility for, the impact you understand, and what you will change. No “but”.",
			Href: hrefAcknowledge, Label: "Write the acknowledgment"})
	}
	if f.agreements.Active == 0 {
		out = append(out, Suggestion{Text: "Offer an open routine for a set time, such as a shared calendar, as an agreement: a bridge back to trust, not a permanent loss of privacy.",
			Href: hrefNewAgreement, Label: "Write an agreement", Joint: true})
	}
	out = append(out,
		Suggestion{Text: "Answer questions in writing, once and honestly. If an answer needs correcting, correct it openly: the change stays visible, and that is what rebuilds trust.",
			Href: hrefQuestions, Label: "Go to the questions", Joint: true},
		Suggestion{Text: "When a moment of hurt is signalled to you, own it: acknowledge the feeling, reassure with a fact, or ask what would help.",
			Href: hrefTriggers + "#signals", Label: "Signals you have received", Joint: true},
		Suggestion{Text: "Reassure through what you keep doing rather than through promises: the agreements you made are where it shows.",
			Href: hrefAgreementList, Label: "Your agreements", Joint: true})
	return out
}

// pathsFor returns the paths the plan suggests to a person with role: theirs, or both without a role
// that picks one. While the person's safety answer is low, each path starts with support for them and
// keeps only what they can do alone.
func pathsFor(role string, f *facts) []Path {
	hurt := Path{Role: RoleHurt, Title: "If you were hurt", Guide: GuideHurtPartner, GuideLabel: guideHurtLabel, Suggestions: hurtPath(f)}
	broke := Path{Role: RoleBrokeTrust, Title: "If you broke trust", Guide: GuideBrokeTrust, GuideLabel: guideBrokeLabel, Suggestions: brokeTrustPath(f)}
	var out []Path
	switch role {
	case RoleHurt:
		hurt.Title = "Your path"
		out = []Path{hurt}
	case RoleBrokeTrust:
		broke.Title = "Your path"
		out = []Path{broke}
	default:
		out = []Path{hurt, broke}
	}
	for i := range out {
		// Support comes first once, on the first path.
		out[i].Suggestions = fit(out[i].Suggestions, f.lowSafety, i == 0)
	}
	return out
}

// fit keeps at most MaxSuggestions; while safety is low, nothing joint stays, and support comes first
// where first is set.
func fit(all []Suggestion, lowSafety, first bool) []Suggestion {
	var out []Suggestion
	if lowSafety && first {
		out = append(out, safetyFirst)
	}
	for _, s := range all {
		if len(out) == MaxSuggestions {
			break
		}
		if lowSafety && s.Joint {
			continue
		}
		out = append(out, s)
	}
	return out
}

package guidance

// step is where in the guidance a feature's practice is explained, and how a link to it reads.
type step struct{ Href, Label string }

// steps maps each feature to the guidance it practises, so feature pages can link back to their step.
var steps = map[string]step{
	"acknowledgment": {"/guide/rebuild-trust#step-1-acknowledge", "Step 1 of the guide: acknowledging what happened"},
	"transparency":   {"/guide/rebuild-trust#step-2-transparency", "Step 2 of the guide: making routines open"},
	"checkins":       {"/guide/rebuild-trust#step-3-check-ins", "Step 3 of the guide: talking in a structured way"},
	"reflections":    {"/communication-skills#restate-confirm-validate", "Restate, confirm, validate"},
	"timeouts":       {"/communication-skills#time-outs", "How time-outs work"},
	"agreements":     {"/guide/rebuild-trust#step-4-agreements", "Step 4 of the guide: agreeing clearly"},
	"therapy":        {"/guide/rebuild-trust#step-5-support", "Step 5 of the guide: getting support"},
	"moments":        {"/guide/rebuild-trust#step-6-intimacy", "Step 6 of the guide: letting closeness return"},
	"progress":       {"/guide/rebuild-trust#slow-progress", "When progress feels slow"},
	"plan":           {"/guide/rebuild-trust#checklist", "The action plan checklist in the guide"},
	"forgiveness":    {"/forgiveness-after-betrayal", "Forgiveness, in its own time"},
	"safety":         {"/safety", "Privacy and help"},
	"triggers":       {"/guide/rebuild-trust#doubt-and-hypervigilance", "Doubt and hypervigilance, in the guide"},
	"questions":      {"/guide/rebuild-trust#resentment-and-anger", "Resentment and anger, in the guide"},
	"hurt":           {"/guide/for-the-hurt-partner", "If you were hurt"},
	"broke_trust":    {"/guide/for-the-partner-who-broke-trust", "If you broke trust"},
}

// StepLink returns the guidance link for a feature: "acknowledgment", "transparency", "checkins",
// "reflections", "timeouts", "agreements", "therapy", "moments", "progress", "plan", "forgiveness",
// "safety", "triggers" or "questions", or a role's path: "hurt" or "broke_trust". For example StepLink("agreements") is "/guide/rebuild-trust#step-4-agreements". An unknown
// feature gets "/guide", the guidance index.
func StepLink(feature string) string {
	if s, ok := steps[feature]; ok {
		return s.Href
	}
	return "/guide"
}

// StepLabel returns link text for StepLink(feature), such as "Step 4 of the guide: agreeing clearly";
// "The guide" for an unknown feature.
func StepLabel(feature string) string {
	if s, ok := steps[feature]; ok {
		return s.Label
	}
	return "The guide"
}

// StepLinks returns a copy of the whole feature → link map.
func StepLinks() map[string]string {
	out := make(map[string]string, len(steps))
	for f, s := range steps {
		out[f] = s.Href
	}
	return out
}

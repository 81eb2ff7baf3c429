package agreement

// Starter is a template from the article (DESIGN §2.3) that fills in the new-agreement form.
// None of them, and nothing else in Mend, sets up monitoring of a phone, location, messages, money or contacts.
type Starter struct {
	Key      string
	Title    string
	Body     string
	Category string
	// ReviewMonths and EndMonths set the suggested dates; EndMonths only for transparency.
	ReviewMonths int
	EndMonths    int
	// Why says in one line what the starter is for.
	Why string
}

// Starters are the article's suggested agreements, in the order the new-agreement page lists them.
var Starters = []Starter{
	{
		Key: "weekly-check-in", Category: "communication", ReviewMonths: 2,
		Title: "Our weekly check-in",
		Body: "Every Sunday at 8 in the evening we sit down together for about half an hour, with our phones put away.\n\n" +
			"If one of us can't make it, we say so as early as we can and agree another time in the same week.",
		Why: "A regular, calm time to talk, so the big conversations don't happen at the worst moment.",
	},
	{
		Key: "shared-calendar", Category: Transparency, ReviewMonths: 3, EndMonths: 3,
		Title: "Sharing our calendars for a while",
		Body: "For the next three months, I share my work and social calendar with you, so you can see roughly where I am " +
			"and when I'm busy. I offer this; it is not demanded. It covers plans and times only, nothing else.\n\n" +
			"When the end date comes we talk about how it went and decide together whether to stop, change or continue it.",
		Why: "An open routine offered by the person who gives it, for a set time, then reviewed together.",
	},
	{
		Key: "time-outs", Category: "communication", ReviewMonths: 2,
		Title: "Time-outs when a conversation gets heated",
		Body: "If either of us feels a conversation is becoming too heated, we can ask for a time-out. Whoever asks says " +
			"when we will come back to it, always within 24 hours, and we both keep to that time.\n\n" +
			"During the pause we don't go over the argument with anyone else, and nobody leaves without saying when they'll be back.",
		Why: "A pause with a promise to return, for when anger takes over.",
	},
	{
		Key: "named-contact", Category: "honesty", ReviewMonths: 3,
		Title: "Telling each other about contact with a particular person",
		Body: "If [name] gets in touch with either of us, or we run into them, we tell the other the same day, in a sentence " +
			"or two: when it happened and what it was about.\n\n" +
			"We say it without being asked, and the one who hears it thanks the other for telling.",
		Why: "Saying it openly, before it can become a secret.",
	},
}

// StarterByKey returns the starter with key, or nil.
func StarterByKey(key string) *Starter {
	for i := range Starters {
		if Starters[i].Key == key {
			return &Starters[i]
		}
	}
	return nil
}

// Fill returns the starter as form input with its dates counted from day (YYYY-MM-DD).
func (st *Starter) Fill(day string) Input {
	in := Input{Title: st.Title, Body: st.Body, Category: st.Category, ReviewOn: AddMonths(day, st.ReviewMonths)}
	if st.EndMonths > 0 {
		in.EndsOn = AddMonths(day, st.EndMonths)
	}
	return in
}

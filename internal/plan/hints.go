package plan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hint points out a phrase that often reads as minimising or shifting blame (DESIGN §2.5). Hints never
// block saving or sharing.
type Hint struct {
	// Field is the acknowledgment field the phrase is in.
	Field string
	// Phrase is the phrase found, as listed.
	Phrase string
	// Message says, kindly, why it may land badly.
	Message string
}

type hintRule struct {
	phrases []string
	message string
}

var hintRules = []hintRule{
	{[]string{"but you", "but your"},
		"A “but” after an apology can cancel it out. Try ending the sentence at the apology."},
	{[]string{"if you hadn't", "if you had not", "if you didn't", "if you did not"},
		"This can read as placing the cause on your partner. What happened was your choice."},
	{[]string{"i'm sorry if", "i am sorry if", "sorry if"},
		"“Sorry if” sounds conditional. Name what you did and that it hurt."},
	{[]string{"you made me", "you make me", "you drove me", "you pushed me", "your fault"},
		"This puts the reason on your partner. Owning the choice yourself is what helps."},
	{[]string{"it was only", "it was just", "it only happened", "only once", "just once", "nothing happened"},
		"Words like “only” and “just” can make the harm sound smaller than it felt."},
	{[]string{"sorry you feel", "sorry that you feel", "sorry you felt", "sorry that you felt"},
		"This apologises for their feelings rather than for what you did."},
	{[]string{"not a big deal", "no big deal", "everyone does", "anyone would have"},
		"This can sound like the breach doesn't matter much. Your partner's hurt is the measure here."},
	{[]string{"overreacting", "overreact", "too sensitive"},
		"This can feel dismissive of what your partner is going through."},
	{[]string{"just move on", "get over it", "put it behind us"},
		"Healing takes its own time. Pressing to move on can feel like a demand."},
}

// normalise lower-cases text, straightens curly apostrophes and collapses runs of space so phrases
// match however they were typed.
func normalise(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u02bc", "'").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' }

// containsPhrase reports whether phrase occurs in text (both normalised) as whole words.
func containsPhrase(text, phrase string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], phrase)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(phrase)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		from = start + 1
	}
}

// HintsFor returns the hints for one field's text, at most one per kind of phrase.
func HintsFor(field, text string) []Hint {
	t := normalise(text)
	var out []Hint
	for _, r := range hintRules {
		for _, p := range r.phrases {
			if containsPhrase(t, p) {
				out = append(out, Hint{Field: field, Phrase: p, Message: r.message})
				break
			}
		}
	}
	return out
}

// Hints returns the hints for a whole acknowledgment text.
func Hints(t AckText) []Hint {
	out := HintsFor("what_happened", t.WhatHappened)
	out = append(out, HintsFor("responsibility", t.Responsibility)...)
	out = append(out, HintsFor("impact", t.Impact)...)
	out = append(out, HintsFor("commitments", strings.Join(t.Commitments, "\n"))...)
	return out
}

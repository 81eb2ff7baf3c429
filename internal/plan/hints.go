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
	// Phrase is the phrase found, quoted as the writer typed it.
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

// folded is a text lower-cased, with curly apostrophes straightened and runs of space collapsed, so
// phrases match however they were typed; span[i] is the part of the original text that byte i of
// text came from, so a match can be quoted as it was typed.
type folded struct {
	text string
	span [][2]int
}

func fold(s string) folded {
	var b strings.Builder
	var span [][2]int
	emit := func(r rune, from, to int) {
		n := b.Len()
		b.WriteRune(r)
		for range b.Len() - n {
			span = append(span, [2]int{from, to})
		}
	}
	spaceFrom := -1
	for i, r := range s {
		_, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			if spaceFrom < 0 && b.Len() > 0 {
				spaceFrom = i
			}
			continue
		}
		if spaceFrom >= 0 {
			emit(' ', spaceFrom, i)
			spaceFrom = -1
		}
		switch r = unicode.ToLower(r); r {
		case '\u2019', '\u2018', '\u02bc':
			r = '\''
		}
		emit(r, i, i+size)
	}
	return folded{text: b.String(), span: span}
}

// quote returns the original words behind text[start:end].
func (f folded) quote(orig string, start, end int) string {
	return orig[f.span[start][0]:f.span[end-1][1]]
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' }

// findPhrase returns where phrase occurs in text (folded) as whole words, or -1.
func findPhrase(text, phrase string) int {
	for from := 0; ; {
		i := strings.Index(text[from:], phrase)
		if i < 0 {
			return -1
		}
		start, end := from+i, from+i+len(phrase)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return start
		}
		from = start + 1
	}
}

// HintsFor returns the hints for one field's text, at most one per kind of phrase.
func HintsFor(field, text string) []Hint {
	f := fold(text)
	var out []Hint
	for _, r := range hintRules {
		for _, p := range r.phrases {
			if i := findPhrase(f.text, p); i >= 0 {
				out = append(out, Hint{Field: field, Phrase: f.quote(text, i, i+len(p)), Message: r.message})
				break
			}
		}
	}
	return out
}

// HintRule is one kind of phrase that HintsFor points out: the phrases (lower case, straight
// apostrophes, single spaces; matched as whole words) and the message shown with them.
type HintRule struct {
	Phrases []string
	Message string
}

// HintRules returns a copy of the rules HintsFor applies, in its order, so a page can apply the same
// rules while the person writes.
func HintRules() []HintRule {
	out := make([]HintRule, 0, len(hintRules))
	for _, r := range hintRules {
		out = append(out, HintRule{Phrases: append([]string(nil), r.phrases...), Message: r.message})
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

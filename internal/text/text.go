// Package text is the one rule for text a person writes into Mend. Every service checks its fields
// with Clean, so a title, a check-in answer and a display name refuse the same characters: invalid
// UTF-8, NUL and the other C0 and C1 controls (tab and line breaks only where a field has several
// lines), and the bidirectional controls that can make text read differently from what is stored
// (U+202A–U+202E, U+2066–U+2069). A required field needs at least one visible character.
package text

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mendhq/mend/internal/apperr"
)

// Rule is what one field accepts.
type Rule struct {
	// Max is the most characters the field may hold.
	Max int
	// Multiline allows tabs and line breaks (a body, an answer); otherwise the field is one line (a
	// title, a name).
	Multiline bool
	// Missing is the message when the field holds no visible character; "" makes the field optional.
	Missing string
}

// The messages Clean records.
const (
	MsgInvalid = "Use valid text characters."
	MsgControl = "Remove the invisible control characters: they can hide or reorder what others read."
	MsgOneLine = "Keep this to one line."
)

// Clean returns v without surrounding white space and with every line break as "\n", and records
// under field in f the first way that text breaks r. It never records a second message for a field.
func Clean(f apperr.Form, field, v string, r Rule) string {
	v = strings.TrimSpace(v)
	if r.Multiline {
		v = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
	}
	if msg := Check(v, r); msg != "" {
		f.Add(field, msg)
	}
	return v
}

// Check returns why v breaks r, or "" when it does not. It does not trim or change v.
func Check(v string, r Rule) string {
	if !utf8.ValidString(v) {
		return MsgInvalid
	}
	visible := false
	for _, c := range v {
		switch {
		case c == '\n' || c == '\r' || c == '\t':
			if !r.Multiline {
				return MsgOneLine
			}
		case Forbidden(c):
			return MsgControl
		case !visible:
			visible = Visible(c)
		}
	}
	switch {
	case r.Missing != "" && !visible:
		return r.Missing
	case utf8.RuneCountInString(v) > r.Max:
		return "Keep it to " + strconv.Itoa(r.Max) + " characters or fewer."
	}
	return ""
}

// Forbidden reports whether c may appear in no field: a C0 or C1 control (tab, line feed and carriage
// return are a field's to allow) or a bidirectional embedding, override or isolate.
func Forbidden(c rune) bool {
	switch {
	case c == '\t' || c == '\n' || c == '\r':
		return false
	case unicode.IsControl(c): // U+0000–U+001F, U+007F–U+009F
		return true
	case c >= 0x202A && c <= 0x202E, c >= 0x2066 && c <= 0x2069:
		return true
	}
	return false
}

// Blank reports whether v has no visible character, so counts as empty.
func Blank(v string) bool {
	for _, c := range v {
		if Visible(c) {
			return false
		}
	}
	return true
}

// Visible reports whether c shows as something on the page: a letter, number, punctuation or symbol,
// and not one of the characters that render as nothing (zero-width and format characters, the Hangul
// fillers, the blank Braille pattern). Spaces and lone combining marks are not visible.
func Visible(c rune) bool {
	switch {
	case !unicode.In(c, unicode.L, unicode.N, unicode.P, unicode.S):
		return false
	case unicode.In(c, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector):
		return false
	case c == 0x2800: // BRAILLE PATTERN BLANK
		return false
	}
	return true
}

package text_test

import (
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/text"
)

var (
	line     = text.Rule{Max: 10, Missing: "Give it a title."}
	lines    = text.Rule{Max: 20, Multiline: true, Missing: "Write something."}
	optional = text.Rule{Max: 10}
)

func TestCheck(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		v    string
		r    text.Rule
		want string
	}{
		{"plain", "Hello", line, ""},
		{"accents and scripts", "Zoë שלום 你好", text.Rule{Max: 20}, ""},
		{"emoji with joiners and selectors", "👩‍❤️‍👨", line, ""},
		{"right-to-left marks are letters' business", "abc\u200fdef", line, ""},
		{"exactly the limit", strings.Repeat("é", 10), line, ""},
		{"one over the limit", strings.Repeat("é", 11), line, "Keep it to 10 characters or fewer."},
		{"invalid UTF-8", "ok \xff", line, text.MsgInvalid},
		{"NUL", "a\x00b", lines, text.MsgControl},
		{"bell", "a\x07b", lines, text.MsgControl},
		{"escape", "a\x1b[31mb", lines, text.MsgControl},
		{"vertical tab", "a\vb", lines, text.MsgControl},
		{"form feed", "a\fb", lines, text.MsgControl},
		{"unit separator", "a\x1fb", lines, text.MsgControl},
		{"DEL", "a\x7fb", lines, text.MsgControl},
		{"C1 first", "a\u0080b", lines, text.MsgControl},
		{"C1 next line", "a\u0085b", lines, text.MsgControl},
		{"C1 CSI", "a\u009bb", lines, text.MsgControl},
		{"C1 last", "a\u009fb", lines, text.MsgControl},
		{"LRE", "a\u202ab", lines, text.MsgControl},
		{"RLE", "a\u202bb", lines, text.MsgControl},
		{"PDF", "a\u202cb", lines, text.MsgControl},
		{"LRO", "a\u202db", lines, text.MsgControl},
		{"RLO", "a\u202eb", lines, text.MsgControl},
		{"LRI", "a\u2066b", lines, text.MsgControl},
		{"RLI", "a\u2067b", lines, text.MsgControl},
		{"FSI", "a\u2068b", lines, text.MsgControl},
		{"PDI", "a\u2069b", lines, text.MsgControl},
		{"just before the bidi controls", "a\u2029b", lines, ""},
		{"just after the bidi controls", "a\u202fb\u206ac", lines, ""},
		{"newline in a multi-line field", "one\ntwo", lines, ""},
		{"tab in a multi-line field", "one\ttwo", lines, ""},
		{"CR LF in a multi-line field", "one\r\ntwo", lines, ""},
		{"newline in a one-line field", "one\ntwo", line, text.MsgOneLine},
		{"tab in a one-line field", "one\ttwo", line, text.MsgOneLine},
		{"CR in a one-line field", "one\rtwo", line, text.MsgOneLine},
		{"empty and required", "", line, "Give it a title."},
		{"empty and optional", "", optional, ""},
		{"spaces only", "   ", line, "Give it a title."},
		{"ideographic space", "\u3000", line, "Give it a title."},
		{"zero-width space", "\u200b\u200b", line, "Give it a title."},
		{"word joiner and soft hyphen", "\u2060\u00ad", line, "Give it a title."},
		{"byte order mark", "\ufeff", line, "Give it a title."},
		{"Hangul filler", "\u3164\u3164", line, "Give it a title."},
		{"halfwidth Hangul filler", "\uffa0", line, "Give it a title."},
		{"blank Braille", "\u2800", line, "Give it a title."},
		{"variation selector", "\ufe0f", line, "Give it a title."},
		{"combining mark alone", "\u0301", line, "Give it a title."},
		{"line breaks only", "\n\n", lines, "Write something."},
		{"a dot is visible", ".", line, ""},
		{"invisible characters around a letter", "\u200bA\u200b", line, ""},
		{"invisible characters in an optional field", "\u200b", optional, ""},
		{"control beats missing", "\x1b", line, text.MsgControl},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := text.Check(tc.v, tc.r); got != tc.want {
				t.Errorf("Check(%q) = %q, want %q", tc.v, got, tc.want)
			}
		})
	}
}

func TestEveryControlIsRefused(t *testing.T) {
	t.Parallel()
	for c := rune(0); c <= 0x9f; c++ {
		want := c < 0x20 || c >= 0x7f
		if c == '\t' || c == '\n' || c == '\r' {
			want = false
		}
		if got := text.Forbidden(c); got != want {
			t.Errorf("Forbidden(%U) = %v, want %v", c, got, want)
		}
	}
	for c := rune(0x2000); c <= 0x206f; c++ {
		want := (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
		if got := text.Forbidden(c); got != want {
			t.Errorf("Forbidden(%U) = %v, want %v", c, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, v string
		r       text.Rule
		want    string
		field   string
	}{
		{"trims", "  Hello \n", line, "Hello", ""},
		{"line ends become newlines", " one\r\ntwo\rthree\n", lines, "one\ntwo\nthree", ""},
		{"a one-line field keeps its CR", "a\rb", line, "a\rb", text.MsgOneLine},
		{"limit counts after cleaning", strings.Repeat("a\r\n", 6) + "12345678", lines, strings.Repeat("a\n", 6) + "12345678", ""},
		{"a refused value is still returned", "a\x00b", lines, "a\x00b", text.MsgControl},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := apperr.Form{}
			if got := text.Clean(f, "body", tc.v, tc.r); got != tc.want {
				t.Errorf("Clean(%q) = %q, want %q", tc.v, got, tc.want)
			}
			if f["body"] != tc.field {
				t.Errorf("Clean(%q) recorded %q, want %q", tc.v, f["body"], tc.field)
			}
		})
	}
	f := apperr.Form{"title": "an earlier message"}
	text.Clean(f, "title", "", line)
	if f["title"] != "an earlier message" {
		t.Errorf("Clean replaced the field's first message: %q", f["title"])
	}
}

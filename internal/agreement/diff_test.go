package agreement_test

import (
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/agreement"
)

// render writes a diff the way the page does, without escaping, for comparison.
func render(d []agreement.Segment) string {
	var b strings.Builder
	for _, s := range d {
		switch s.Op {
		case agreement.OpInsert:
			b.WriteString("<ins>" + s.Text + "</ins>")
		case agreement.OpDelete:
			b.WriteString("<del>" + s.Text + "</del>")
		default:
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestWordDiff(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, old, new, want string }{
		{"same", "We talk on Sundays.", "We talk on Sundays.", "We talk on Sundays."},
		{"one word", "We talk on Sundays.", "We talk on Mondays.", "We talk on <del>Sundays.</del><ins>Mondays.</ins>"},
		{"added words", "We talk weekly.", "We talk calmly and weekly.", "We talk <ins>calmly and </ins>weekly."},
		{"removed words", "We always talk weekly.", "We talk weekly.", "We <del>always </del>talk weekly."},
		{"phrase replaced", "call me at eight", "text you at nine", "<del>call me</del><ins>text you</ins> at <del>eight</del><ins>nine</ins>"},
		{"from empty", "", "New text", "<ins>New text</ins>"},
		{"to empty", "Old text", "", "<del>Old text</del>"},
		{"newlines kept", "a\nb", "a\n\nb", "a<del>\n</del><ins>\n\n</ins>b"},
		{"unicode", "Wir reden über alles", "Wir reden über fast alles", "Wir reden über <ins>fast </ins>alles"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := agreement.WordDiff(tc.old, tc.new)
			if got := render(d); got != tc.want {
				t.Fatalf("diff = %q, want %q", got, tc.want)
			}
			if agreement.Changed(d) != (tc.old != tc.new) {
				t.Fatalf("Changed = %v", agreement.Changed(d))
			}
		})
	}
}

func TestWordDiffReconstructsBothTexts(t *testing.T) {
	t.Parallel()
	old := strings.Repeat("one two three four ", 700)
	new := strings.Repeat("one 2 three four five ", 700)
	d := agreement.WordDiff(old, new)
	var a, b strings.Builder
	for _, s := range d {
		if s.Op != agreement.OpInsert {
			a.WriteString(s.Text)
		}
		if s.Op != agreement.OpDelete {
			b.WriteString(s.Text)
		}
	}
	if a.String() != old || b.String() != new {
		t.Fatal("the diff does not reconstruct both texts")
	}
}

// FuzzWordDiff checks that any diff reconstructs both texts exactly.
func FuzzWordDiff(f *testing.F) {
	f.Add("We talk on Sundays.", "We talk on Mondays.")
	f.Add("", "x")
	f.Add("a\n\nb  c", "a b\tc")
	f.Add("<b>ü</b>", "<i>ü</i> \xff")
	f.Fuzz(func(t *testing.T, old, new string) {
		var a, b strings.Builder
		for _, s := range agreement.WordDiff(old, new) {
			if s.Op != agreement.OpInsert {
				a.WriteString(s.Text)
			}
			if s.Op != agreement.OpDelete {
				b.WriteString(s.Text)
			}
		}
		if a.String() != old || b.String() != new {
			t.Fatalf("diff of %q → %q does not reconstruct both", old, new)
		}
	})
}

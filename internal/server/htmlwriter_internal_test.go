package server

import (
	"html/template"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestHTMLWriterEscapesAsTemplatesDo: what the chart and table writers write reads exactly as what
// html/template would have written for the same string, in text and in a quoted attribute, for every
// character it treats specially, for UTF-8 and for bytes that are not.
func TestHTMLWriterEscapesAsTemplatesDo(t *testing.T) {
	t.Parallel()
	tmpl := template.Must(template.New("t").Parse(`<p title="{{.}}">{{.}}</p>`))
	cases := []string{"", "plain", `Sam & "Alex" <b>'s</b>`, "1+1=2", "a\x00b", "Zoë — 10 ✓", "bad \xff\xfe bytes",
		"&amp; already", "\u2028\u2029", "`backtick` =equals= /slash/"}
	for c := rune(0); c < 0x100; c++ {
		cases = append(cases, "x"+string(c)+"y")
	}
	for _, s := range cases {
		var want strings.Builder
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		w := &htmlWriter{}
		w.raw(`<p title="`)
		w.text(s)
		w.raw(`">`)
		w.raw(esc(s))
		w.raw(`</p>`)
		if got := string(w.html()); got != want.String() {
			t.Errorf("%q (valid UTF-8: %v): wrote %q, html/template writes %q", s, utf8.ValidString(s), got, want.String())
		}
	}
}

// TestHTMLWriterNumbersReadAsTemplatesPrintThem: a float is written as html/template prints a
// float64, an int as it prints an int, for the values the charts draw.
func TestHTMLWriterNumbersReadAsTemplatesPrintThem(t *testing.T) {
	t.Parallel()
	tmpl := template.Must(template.New("t").Parse(`{{.F}} {{.N}}`))
	for i := 0; i <= 40; i++ {
		for n := 1; n <= 30; n++ {
			f, v := chartX(i%n, n), chartY(i%11)
			for _, x := range []float64{f, v} {
				var want strings.Builder
				if err := tmpl.Execute(&want, struct {
					F float64
					N int
				}{x, i - 20}); err != nil {
					t.Fatal(err)
				}
				w := &htmlWriter{}
				w.float(x)
				w.raw(" ")
				w.int(i - 20)
				if got := string(w.html()); got != want.String() {
					t.Fatalf("wrote %q, html/template writes %q", got, want.String())
				}
			}
		}
	}
}

// TestHTMLWriterURLsReadAsTemplatesWriteThem: a link written by url reads exactly as html/template
// writes the same string into a quoted href, unsafe schemes and percent escapes included.
func TestHTMLWriterURLsReadAsTemplatesWriteThem(t *testing.T) {
	t.Parallel()
	tmpl := template.Must(template.New("t").Parse(`<a href="{{.}}">`))
	cases := []string{"", "/checkins/2026-W48", "/plan#therapy", "/a?b=1&c=2+3", "https://example.org/x y", "javascript:alert(1)",
		"JavaScript:x", "mailto:a@b.c", "/x:y/z", "%41%zz%4", "/ü/\xff\x00", "/a'b\"c<d>e`f"}
	for c := rune(0); c < 0x100; c++ {
		cases = append(cases, "/x"+string(c)+"y", "/x"+string([]byte{byte(c)})+"y")
	}
	for _, s := range cases {
		var want strings.Builder
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		w := &htmlWriter{}
		w.raw(`<a href="`)
		w.url(s)
		w.raw(`">`)
		if got := string(w.html()); got != want.String() {
			t.Errorf("%q: wrote %q, html/template writes %q", s, got, want.String())
		}
	}
}

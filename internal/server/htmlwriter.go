package server

import (
	"html/template"
	"strconv"
	"strings"
)

// htmlWriter builds a repeated part of a page (a chart, a long table) in Go, in one pass and without a
// template action per value: a template action costs a reflective call and several allocations, so a
// page of a few hundred numbers spent most of its time there. What it writes is escaped exactly as
// html/template escapes a string in text and in a quoted attribute (the two contexts it is used in),
// so the page reads the same byte for byte; numbers need no escaping and are formatted into a scratch
// buffer. Write each escaped value once (esc) and reuse it where it repeats.
type htmlWriter struct {
	b       strings.Builder
	scratch [32]byte
}

// raw writes markup as it is.
func (w *htmlWriter) raw(s string) { w.b.WriteString(s) }

// text writes s escaped for text or a quoted attribute.
func (w *htmlWriter) text(s string) { writeEscaped(&w.b, s) }

// int writes n in decimal.
func (w *htmlWriter) int(n int) { w.b.Write(strconv.AppendInt(w.scratch[:0], int64(n), 10)) }

// float writes f as html/template prints a float64 (fmt's %v: the shortest form that reads back).
func (w *htmlWriter) float(f float64) { w.b.Write(strconv.AppendFloat(w.scratch[:0], f, 'g', -1, 64)) }

// fixed1 writes f with one decimal.
func (w *htmlWriter) fixed1(f float64) { w.b.Write(strconv.AppendFloat(w.scratch[:0], f, 'f', 1, 64)) }

// html returns what was written, as HTML that is already escaped.
func (w *htmlWriter) html() template.HTML { return template.HTML(w.b.String()) }

// htmlEscapes are the replacements html/template makes in a string it writes into text or a quoted
// attribute (its htmlReplacementTable); every other character is written as it is.
var htmlEscapes = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// writeEscaped writes s to b escaped as html/template escapes text, copying the runs between the
// characters it replaces.
func writeEscaped(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(htmlEscapes) || htmlEscapes[c] == "" {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(htmlEscapes[c])
		last = i + 1
	}
	b.WriteString(s[last:])
}

// esc returns s escaped as writeEscaped writes it, for a value written more than once.
func esc(s string) string {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		return s
	}
	var b strings.Builder
	writeEscaped(&b, s)
	return b.String()
}

// url writes s as html/template writes a string into a quoted href: "#ZgotmplZ" for a URL whose scheme
// is not http, https or mailto, and otherwise the URL with what may not stand in one percent-encoded
// (a valid %XX escape is kept), escaped for the attribute.
func (w *htmlWriter) url(s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		w.raw("#ZgotmplZ")
		return
	}
	const hex = "0123456789abcdef"
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~!#$*,/:;=?@[]", c) >= 0:
			continue
		case c == '&' || c == '+':
			writeEscaped(&w.b, s[last:i+1])
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		default:
			w.b.WriteString(s[last:i])
			w.b.Write([]byte{'%', hex[c>>4], hex[c&15]})
		}
		last = i + 1
	}
	w.b.WriteString(s[last:])
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

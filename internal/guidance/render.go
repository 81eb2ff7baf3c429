package guidance

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// practisePrefix starts the text of a paragraph that is a single link to the feature practising a step.
const practisePrefix = "Practise this"

// newMarkdown returns goldmark with `{#id}` heading attributes, automatic heading ids and typographic
// quotes and dashes. The HTML renderer keeps its default: raw HTML is omitted (unsafe off).
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Typographer),
		goldmark.WithParserOptions(parser.WithAttribute(), parser.WithAutoHeadingID()),
	)
}

// render turns one Markdown page into a Page (without Path and Title). tocDepth 2 lists second-level
// headings in the table of contents, 3 also third-level ones under them, 0 none.
func render(src []byte, tocDepth int) (*Page, error) {
	md := newMarkdown()
	doc := md.Parser().Parse(text.NewReader(src))
	p := &Page{}
	var h1 ast.Node
	var errs []error
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				if h1 != nil {
					errs = append(errs, errors.New("more than one first-level heading"))
				}
				h1 = n
				p.Heading = plainText(n, src)
				return ast.WalkSkipChildren, nil
			}
			errs = append(errs, checkHeadingAttributes(n))
		case *ast.RawHTML, *ast.HTMLBlock:
			errs = append(errs, errors.New("raw HTML is not allowed"))
		case *ast.Image, *ast.AutoLink:
			errs = append(errs, errors.New("images and autolinks are not allowed"))
		case *ast.Link:
			errs = append(errs, checkDestination(string(n.Destination)))
		}
		return ast.WalkContinue, nil
	})
	if err := errors.Join(append(errs, err)...); err != nil {
		return nil, err
	}
	if h1 == nil || p.Heading == "" {
		return nil, errors.New("no first-level heading")
	}
	doc.RemoveChild(doc, h1)
	p.Practise = markPractise(doc, src)
	p.TOC = tableOfContents(doc, src, tocDepth)
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		return nil, err
	}
	// The introduction is everything before the first section; the page shows the table of contents
	// between the two. Trusted HTML: our embedded Markdown only (see Page.Body).
	out := buf.String()
	if i := strings.Index(out, "<h2"); i >= 0 {
		p.Intro, out = template.HTML(out[:i]), out[i:]
	}
	p.Body = template.HTML(out)
	return p, nil
}

// checkHeadingAttributes allows only an id on headings: goldmark would otherwise render attributes such
// as style or class from `{…}`, which the CSP and the shared stylesheet do not expect.
func checkHeadingAttributes(h *ast.Heading) error {
	for _, a := range h.Attributes() {
		if string(a.Name) != "id" {
			return fmt.Errorf("heading attribute %q is not allowed (only {#id})", a.Name)
		}
	}
	return nil
}

// checkDestination accepts only paths on this site ("/…") and fragments ("#…").
func checkDestination(d string) error {
	switch {
	case strings.HasPrefix(d, "//"), strings.HasPrefix(d, "/\\"):
	case strings.HasPrefix(d, "/"), strings.HasPrefix(d, "#") && len(d) > 1:
		return nil
	}
	return fmt.Errorf("link %q leaves the site: use a path such as /guide", d)
}

// markPractise gives every "Practise this" paragraph the class "practise" and reports whether there is one.
func markPractise(doc ast.Node, src []byte) bool {
	found := false
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if para, ok := n.(*ast.Paragraph); ok && entering && isPractise(para, src) {
			para.SetAttributeString("class", []byte("practise"))
			found = true
		}
		return ast.WalkContinue, nil
	})
	return found
}

// isPractise reports whether paragraph n is a single "Practise this: …" link.
func isPractise(n *ast.Paragraph, src []byte) bool {
	link, ok := n.FirstChild().(*ast.Link)
	return ok && link.NextSibling() == nil && strings.HasPrefix(plainText(link, src), practisePrefix)
}

// tableOfContents lists headings with ids: level 2, and level 3 nested under them when depth is 3.
func tableOfContents(doc ast.Node, src []byte, depth int) []TOCEntry {
	if depth < 2 {
		return nil
	}
	var toc []TOCEntry
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Level > depth {
			continue
		}
		id, ok := h.AttributeString("id")
		b, isBytes := id.([]byte)
		if !ok || !isBytes {
			continue
		}
		e := TOCEntry{ID: string(b), Text: plainText(h, src)}
		switch {
		case h.Level == 2:
			toc = append(toc, e)
		case len(toc) > 0:
			last := &toc[len(toc)-1]
			last.Children = append(last.Children, e)
		}
	}
	return toc
}

// plainText returns the text of n's inline children, without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

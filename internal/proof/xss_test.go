package proof

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// xssPayload is the hostile text put in every text field: it closes an attribute, opens a tag with an
// event handler and an inline script. The field's name is kept in it ("x-FIELD-x") so the sweep can
// prove the text reached a page. Display names are limited to 60 characters and get a shorter one.
func xssPayload(field string) string {
	if strings.HasPrefix(field, "display-name") {
		return `"'><img src=x onerror=1><script>x-` + field + `-x`
	}
	return `"'><img src=x onerror=alert(1)><script>alert(1)</script>x-` + field + `-x`
}

// rawPayload is any unescaped part of the payload in HTML: html/template never writes these itself.
var rawPayload = regexp.MustCompile(`<img src=x|<script>`)

// htmlTag is one start tag: its name, its attribute names and values, and for a script its content.
type htmlTag struct {
	Name    string
	Attrs   map[string]string
	Content string
}

// startTags reads the start tags of an HTML document, honouring quoted attribute values, so an
// escaped payload inside a value is never mistaken for an attribute.
func startTags(doc string) []htmlTag {
	var out []htmlTag
	isName := func(b byte) bool {
		return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == ':'
	}
	for i := 0; i < len(doc); i++ {
		if doc[i] != '<' || i+1 >= len(doc) || !(doc[i+1] >= 'a' && doc[i+1] <= 'z' || doc[i+1] >= 'A' && doc[i+1] <= 'Z') {
			continue
		}
		j := i + 1
		for j < len(doc) && isName(doc[j]) {
			j++
		}
		tag := htmlTag{Name: strings.ToLower(doc[i+1 : j]), Attrs: map[string]string{}}
		for j < len(doc) && doc[j] != '>' {
			for j < len(doc) && (doc[j] == ' ' || doc[j] == '\n' || doc[j] == '\t' || doc[j] == '\r' || doc[j] == '/') {
				j++
			}
			k := j
			for j < len(doc) && doc[j] != '=' && doc[j] != '>' && doc[j] != ' ' && doc[j] != '\n' && doc[j] != '\t' && doc[j] != '/' {
				j++
			}
			name, value := strings.ToLower(doc[k:j]), ""
			for j < len(doc) && doc[j] == ' ' {
				j++
			}
			if j < len(doc) && doc[j] == '=' {
				j++
				for j < len(doc) && doc[j] == ' ' {
					j++
				}
				if j < len(doc) && (doc[j] == '"' || doc[j] == '\'') {
					q := doc[j]
					end := strings.IndexByte(doc[j+1:], q)
					if end < 0 {
						end = len(doc) - j - 1
					}
					value, j = doc[j+1:j+1+end], j+end+2
				} else {
					k = j
					for j < len(doc) && doc[j] != ' ' && doc[j] != '>' {
						j++
					}
					value = doc[k:j]
				}
			}
			if name != "" {
				tag.Attrs[name] = value
			}
		}
		if tag.Name == "script" && j < len(doc) {
			if end := strings.Index(strings.ToLower(doc[j:]), "</script"); end >= 0 {
				tag.Content = doc[j+1 : j+end]
			}
		}
		out = append(out, tag)
		i = j
	}
	return out
}

// notShownAnywhere are journey fields whose text is never shown back (so the sweep cannot expect it).
var notShownAnywhere = map[string]string{
	"email-a":    "emails cannot carry the payload; the local part is reduced to letters",
	"email-b":    "emails cannot carry the payload; the local part is reduced to letters",
	"user-agent": "the session list shows a device name derived from the user agent, never the raw header",
}

// htmlProblems returns what is wrong with an HTML body under E1 and E2: the payload unescaped, a
// script that is not a same-origin file, or an on*= attribute.
func htmlProblems(body string) []string {
	var out []string
	if m := rawPayload.FindString(body); m != "" {
		out = append(out, "unescaped payload "+m)
	}
	for _, tag := range startTags(body) {
		if src, ok := tag.Attrs["src"]; tag.Name == "script" && (!ok || strings.TrimSpace(tag.Content) != "" || !strings.HasPrefix(src, "/")) {
			out = append(out, fmt.Sprintf("script that is not a same-origin file: %v %q", tag.Attrs, tag.Content))
		}
		for name := range tag.Attrs {
			if strings.HasPrefix(name, "on") {
				out = append(out, fmt.Sprintf("event handler attribute %s on <%s>", name, tag.Name))
			}
		}
	}
	return out
}

// TestXSSPayloadInEveryFieldIsEscapedOnEveryPage covers SECURITY E1 and E2 across the app: both
// partners put the payload in every text field of every feature (pages and API), then every page of
// the app is fetched by both and by a visitor, before and after the couple ends. No answer holds the
// payload unescaped, an inline script or an on*= attribute; every field's text is shown somewhere, so
// the sweep cannot pass by losing the text.
func TestXSSPayloadInEveryFieldIsEscapedOnEveryPage(t *testing.T) {
	t.Parallel()
	j := newJourney(t, xssPayload)
	j.run()
	j.crawl(true)
	j.finish()
	j.crawl(false)
	shown := map[string]bool{}
	for _, ex := range j.seen {
		ct := ex.Resp.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, "text/html"):
			for _, p := range htmlProblems(ex.Resp.Body) {
				t.Errorf("%s %s %s (%d): %s", ex.Who, ex.Method, ex.Path, ex.Resp.Status, p)
			}
		case strings.HasPrefix(ct, "application/json"), strings.HasPrefix(ct, "application/manifest+json"), ex.Resp.Body == "":
		default:
			t.Errorf("%s %s %s: Content-Type %q", ex.Who, ex.Method, ex.Path, ct)
		}
		for _, f := range j.fields {
			if strings.Contains(ex.Resp.Body, "x-"+f+"-x") {
				shown[f] = true
			}
		}
	}
	for _, f := range j.fields {
		if _, ok := notShownAnywhere[f]; !ok && !shown[f] {
			t.Errorf("the text of field %s is shown nowhere: the sweep does not reach it", f)
		}
	}
	t.Logf("%d fields, %d responses checked", len(j.fields), len(j.seen))
}

// TestHTMLCheckCatchesInjection shows the checks above fail on what they look for.
func TestHTMLCheckCatchesInjection(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`<p>` + xssPayload("title") + `</p>`,
		`<script>alert(1)</script>`,
		`<script src="/static/app.js">alert(1)</script>`,
		`<a href="/" onclick="x()">`,
		`<input value="" ONFOCUS = "x">`,
		`<input value="a>b" onfocus="x">`,
		`<img src=/x.png onload=x>`,
	} {
		if len(htmlProblems(body)) == 0 {
			t.Errorf("not caught: %s", body)
		}
	}
	clean := `<script src="/static/1/js/app.js" defer></script><p>&lt;script&gt; onerror=x</p>` +
		`<input value="&#34;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;" name="title">`
	if p := htmlProblems(clean); len(p) != 0 {
		t.Errorf("a clean page was flagged: %v", p)
	}
}

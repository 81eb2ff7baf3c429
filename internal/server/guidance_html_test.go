package server_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
)

// guideTag is one start tag of a page, with its attributes unescaped.
type guideTag struct {
	Name  string
	Attrs map[string]string
	Pos   int
}

var (
	guideStartTagRe = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>` + "`" + `]+))?)*)\s*/?>`)
	guideAttrRe     = regexp.MustCompile(`([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>` + "`" + `]+)))?`)
	guideScriptRe   = regexp.MustCompile(`(?is)<script\b[^>]*>(.*?)</script>`)
	guideTagRe      = regexp.MustCompile(`<[^>]*>`)
	guideBundleJSRe = regexp.MustCompile(`^/static/[0-9a-f]{12}/js/(early|app)\.js$`)
)

// guideTags returns the start tags of body. Mend's HTML comes from html/template and goldmark, which always
// quote attributes, so a pattern is enough here.
func guideTags(body string) []guideTag {
	var out []guideTag
	for _, m := range guideStartTagRe.FindAllStringSubmatchIndex(body, -1) {
		t := guideTag{Name: strings.ToLower(body[m[2]:m[3]]), Attrs: map[string]string{}, Pos: m[0]}
		for _, a := range guideAttrRe.FindAllStringSubmatch(body[m[4]:m[5]], -1) {
			t.Attrs[strings.ToLower(a[1])] = html.UnescapeString(a[2] + a[3] + a[4])
		}
		out = append(out, t)
	}
	return out
}

// guideURLAttrs are the attributes through which a page can load or point at another resource.
var guideURLAttrs = []string{"href", "src", "srcset", "action", "formaction", "poster", "data", "background", "cite", "manifest", "ping", "xlink:href"}

// guideOriginProblems lists everything in a page that reaches another origin or runs script other than the
// app's bundled JS. The quick-exit link (a#quick-exit) is the one allowed way off the site: it must go to
// the configured quickExit address, without a referrer.
func guideOriginProblems(body, quickExit string) []string {
	var out []string
	for _, t := range guideTags(body) {
		switch t.Name {
		case "iframe", "frame", "object", "embed", "base":
			out = append(out, fmt.Sprintf("<%s> element", t.Name))
		case "meta":
			if strings.EqualFold(t.Attrs["http-equiv"], "refresh") {
				out = append(out, "meta refresh")
			}
		case "script":
			if !guideBundleJSRe.MatchString(t.Attrs["src"]) {
				out = append(out, fmt.Sprintf("script src=%q is not the app's own JS", t.Attrs["src"]))
			}
		}
		for name := range t.Attrs {
			if strings.HasPrefix(name, "on") || name == "style" {
				out = append(out, fmt.Sprintf("<%s %s=…> (inline script or style)", t.Name, name))
			}
		}
		for _, name := range guideURLAttrs {
			v, ok := t.Attrs[name]
			if !ok {
				continue
			}
			if t.Name == "a" && t.Attrs["id"] == "quick-exit" && name == "href" {
				if v != quickExit || !strings.Contains(t.Attrs["rel"], "noreferrer") {
					out = append(out, fmt.Sprintf("quick exit goes to %q (rel %q)", v, t.Attrs["rel"]))
				}
				continue
			}
			if p := guideOffSite(v); p != "" {
				out = append(out, fmt.Sprintf("<%s %s=%q>: %s", t.Name, name, v, p))
			}
		}
	}
	for _, m := range guideScriptRe.FindAllStringSubmatch(body, -1) {
		if strings.TrimSpace(m[1]) != "" {
			out = append(out, "inline script")
		}
	}
	return out
}

// guideOffSite explains why a URL leaves the site; "" when it is a path or fragment of this one.
func guideOffSite(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "//") || strings.HasPrefix(v, `/\`) {
		return "protocol-relative"
	}
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return "unparsable"
	case u.Scheme != "" || u.Host != "" || u.Opaque != "":
		return "another origin or scheme"
	}
	return ""
}

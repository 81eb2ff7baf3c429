package server

import (
	"html/template"
	"time"

	"github.com/mendhq/mend/internal/updates"
)

// forYouList writes the items of the home page's "For you" list, each date in the couple's zone loc:
// one pass over the updates instead of a dozen template actions per item.
func forYouList(items []forYouItem, loc *time.Location) template.HTML {
	w := &htmlWriter{}
	w.b.Grow(len(items) * 220)
	for i := range items {
		it := &items[i]
		w.raw("\n    <li class=\"update")
		if it.Seen {
			w.raw(" seen")
		}
		if it.Joint {
			w.raw(" suggest-joint")
		}
		w.raw("\">\n      <a href=\"")
		w.url(it.Link)
		w.raw("\">")
		w.text(it.Text)
		w.raw("</a>\n      ")
		if it.Kind == updates.NewSignIn {
			w.raw("<span class=\"help\">")
			w.text(it.Detail)
			w.raw(", ")
			w.text(zonedIn(it.At, loc))
			w.raw("</span>\n      ")
		} else {
			w.raw("<span class=\"help\">")
			w.text(dayIn(it.At, loc))
			w.raw("</span>")
		}
		w.raw("\n      ")
		if !it.Seen {
			w.raw("<span class=\"badge\">New</span>")
		}
		w.raw("\n    </li>\n    ")
	}
	return w.html()
}

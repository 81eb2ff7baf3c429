package server

import (
	"html/template"
	"strconv"
)

// scale writes the eleven radios of a 0–10 rating called name, the one whose number reads as value
// checked, each marked invalid when invalid (the field's message) is set: one template action for
// the whole scale (checkin.html, monthly_look.html) instead of four per radio.
func scale(name, value, invalid string) template.HTML {
	w := &htmlWriter{}
	w.b.Grow(11 * (90 + len(name)))
	n := esc(name)
	for i := 0; i <= 10; i++ {
		w.raw(`<label><input type="radio" name="`)
		w.raw(n)
		w.raw(`" value="`)
		w.int(i)
		w.raw(`"`)
		if value == strconv.Itoa(i) {
			w.raw(` checked`)
		}
		if invalid != "" {
			w.raw(` aria-invalid="true"`)
		}
		w.raw(`><span>`)
		w.int(i)
		w.raw("</span></label>\n")
	}
	return w.html()
}

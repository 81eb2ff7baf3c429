package server

import (
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
)

// Typed forms (the pattern of Let's Go): each HTML form has a struct with one string field per input,
// holding what the person typed exactly as they typed it, and fieldErrors embedded for the messages of
// a failed submit. A handler reads the struct from the request with its parse function, hands the
// values to the service, and when the service answers apperr.Invalid shows the page again through
// renderForm, which puts the service's per-field messages on the form (422, nothing typed is lost).
// Templates read .Form.Note and {{with .Form.FieldError "note"}}…{{end}}.

// fieldErrors is embedded in every typed form.
type fieldErrors struct {
	// Errors maps a form field's name to its message; nil when the form has none.
	Errors map[string]string
}

// FieldError returns the message for the named field, or "" when it has none.
func (f *fieldErrors) FieldError(name string) string { return f.Errors[name] }

// Invalid reports whether the named field has a message (for aria-invalid and the "invalid" class).
func (f *fieldErrors) Invalid(name string) bool { return f.Errors[name] != "" }

func (f *fieldErrors) setFieldErrors(m map[string]string) { f.Errors = m }

// typedForm is what renderForm recognises in view.Form.
type typedForm interface{ setFieldErrors(map[string]string) }

// checked is how a checkbox reads in a typed form: "1" when ticked.
func checked(v string) bool { return v == "1" }

// option is one choice of a select or a group of radio buttons: the value sent and the label shown.
type option struct{ Value, Label string }

// formSet is embedded in the struct of a page's forms when the page has more than one that can show
// again: it gives a failed submit's messages to the form that was posted, and to no other.
type formSet struct{ posted typedForm }

func (s *formSet) setFieldErrors(m map[string]string) {
	if s.posted != nil {
		s.posted.setFieldErrors(m)
	}
}

// postedField is one posted input: its name and its value.
type postedField struct{ Name, Value string }

// postedWithPrefix returns the posted fields whose names start with prefix, named without the prefix,
// in the order the browser sent them (document order; a multipart post in name
// order). A repeated name keeps its first value, as c.FormValue does; empty values are left out.
func postedWithPrefix(c *fiber.Ctx, prefix string) []postedField {
	var out []postedField
	seen := map[string]bool{}
	add := func(k, v string) {
		if name, ok := strings.CutPrefix(k, prefix); ok && v != "" && !seen[name] {
			seen[name] = true
			out = append(out, postedField{name, v})
		}
	}
	if mf, err := c.MultipartForm(); err == nil {
		names := make([]string, 0, len(mf.Value))
		for k := range mf.Value {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if len(mf.Value[k]) > 0 {
				add(k, mf.Value[k][0])
			}
		}
		return out
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) { add(string(k), string(v)) })
	return out
}

// renameField returns err with the service's message for its field from given under the form's input
// name to, for a form whose input is named differently from the service's field; any other error is
// returned as it is.
func renameField(err error, from, to string) error {
	if e := apperr.As(err); e != nil && e.Fields[from] != "" {
		return apperr.Fields(map[string]string{to: e.Fields[from]})
	}
	return err
}

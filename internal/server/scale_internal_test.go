package server

import (
	"fmt"
	"github.com/mendhq/mend/internal/checkin"
	"html/template"
	"strings"
	"testing"
)

// TestScaleReadsAsTheTemplateLoopDid: the scale helper writes the eleven radios of a 0–10 rating
// exactly as the template loop it replaces (seq, eq1 and an action per attribute) wrote them, checked
// or not, invalid or not, whatever the field's name.
func TestScaleReadsAsTheTemplateLoopDid(t *testing.T) {
	t.Parallel()
	funcs := template.FuncMap{
		"seq": func(from, to int) []int {
			var out []int
			for i := from; i <= to; i++ {
				out = append(out, i)
			}
			return out
		},
		"eq1": func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
	}
	loop := template.Must(template.New("t").Funcs(funcs).Parse(`{{$r := .}}{{range seq 0 10}}<label><input type="radio" name="{{$r.Name}}" value="{{.}}"{{if eq1 . $r.Value}} checked{{end}}{{if $r.Error}} aria-invalid="true"{{end}}><span>{{.}}</span></label>
{{end}}`))
	for _, f := range []checkinField{
		{Name: "trust"}, {Name: "trust", Value: "0"}, {Name: "connection", Value: "7", Error: "Choose a number"},
		{Name: "safety", Value: "10"}, {Name: "safety", Value: "11"}, {Name: `a"b&c+d`, Value: "x", Error: "e"},
	} {
		var want strings.Builder
		if err := loop.Execute(&want, f); err != nil {
			t.Fatal(err)
		}
		if got := string(scale(f.Name, f.Value, f.Error)); got != want.String() {
			t.Errorf("%+v:\nwrote  %q\nwanted %q", f, got, want.String())
		}
	}
}

// TestKeptRadiosReadAsTheTemplateLoopDid: an agreement's kept answer is written as the template loop
// over its choices wrote it, with the answer given checked.
func TestKeptRadiosReadAsTheTemplateLoopDid(t *testing.T) {
	t.Parallel()
	loop := template.Must(template.New("t").Parse(`{{$a := .F}}{{range .Choices}}<label><input type="radio" name="{{$a.Name}}" value="{{.Label}}"{{if eq .Label $a.Value}} checked{{end}}><span>{{.Value}}</span></label>
{{end}}`))
	var choices []checkinLabelled
	for _, k := range checkin.KeptOrder {
		choices = append(choices, checkinLabelled{Label: k, Value: checkin.Kept[k]})
	}
	values := append([]string{"", "nonsense"}, checkin.KeptOrder...)
	for _, v := range values {
		f := checkinAgreementField{Name: checkinKeptPrefix + "a1b2", Title: "T", Value: v}
		var want strings.Builder
		if err := loop.Execute(&want, map[string]any{"F": f, "Choices": choices}); err != nil {
			t.Fatal(err)
		}
		if got := string(f.KeptRadios()); got != want.String() {
			t.Errorf("%q:\nwrote  %q\nwanted %q", v, got, want.String())
		}
	}
}

// TestAnswerRowsReadAsTheTemplateDid: a set of answers to read is written as the template's loops
// over its texts, ratings, safety and agreements wrote it, personal text escaped.
func TestAnswerRowsReadAsTheTemplateDid(t *testing.T) {
	t.Parallel()
	loop := template.Must(template.New("t").Parse(`{{range .Texts}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>
{{end}}{{range .Ratings}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>
{{end}}{{if .Safety}}<dt>How safe I feel <span class="muted">(only you see this)</span></dt><dd>{{.Safety}}</dd>
{{end}}{{range .Agreements}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>
{{end}}`))
	seven := 7
	for _, a := range []*checkin.Answer{
		{},
		{Appreciation: `<script>alert("x")</script> & 'you'`, WasHard: "1+1", Trust: &seven,
			Agreements: []checkin.AgreementAnswer{{Title: "No <contact>", Kept: "kept"}, {Title: "Time-outs", Kept: "not_sure"}}},
	} {
		for _, mine := range []bool{false, true} {
			v := toCheckinAnswerView(a, mine)
			var want strings.Builder
			if err := loop.Execute(&want, v); err != nil {
				t.Fatal(err)
			}
			if got := string(v.Rows()); got != want.String() {
				t.Errorf("%+v:\nwrote  %q\nwanted %q", v, got, want.String())
			}
		}
	}
}

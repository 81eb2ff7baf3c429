package checkin_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/mendhq/mend/internal/checkin"
)

// normalTimes puts a view's instants in UTC without monotonic readings, so a view built in memory
// compares equal to the same view read back from the database.
func normalTimes(v *checkin.WeekView) *checkin.WeekView {
	if v.Mine != nil {
		m := *v.Mine
		m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC().Round(0), m.UpdatedAt.UTC().Round(0)
		if m.SubmittedAt != nil {
			t := m.SubmittedAt.UTC().Round(0)
			m.SubmittedAt = &t
		}
		v.Mine = &m
	}
	return v
}

// TestSavedViewIsTheStoredWeek checks that the view SaveAnswer returns (built from what it wrote, not
// read back) is exactly what reading the week gives, as the per-agreement answers are added, changed,
// dropped, renamed and cleared, and that the answers keep their id and creation time.
func TestSavedViewIsTheStoredWeek(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.couple("Europe/London")
	const week = "2026-W48"
	f.active = []checkin.AgreementRef{{ID: "ag1", Title: "Phones away, at dinner. Always ✓ “quiet”"}, {ID: "ag2", Title: "Sunday check-in"}, {ID: "ag3", Title: "Say when I'm late"}}
	kept := func(pairs ...string) []checkin.KeptInput {
		var out []checkin.KeptInput
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, checkin.KeptInput{AgreementID: pairs[i], Kept: pairs[i+1]})
		}
		return out
	}
	steps := []struct {
		name   string
		active []checkin.AgreementRef
		in     checkin.AnswerInput
		want   []string // agreement id and kept, in order
	}{
		{"first draft", nil, checkin.AnswerInput{Trust: ip(4), Need: "  time  ", Agreements: kept("ag1", "kept", "ag2", "partly")}, []string{"ag1", "kept", "ag2", "partly"}},
		{"changed and dropped", nil, checkin.AnswerInput{Trust: ip(5), Agreements: kept("ag2", "not_kept", "ag3", "kept")}, []string{"ag2", "not_kept", "ag3", "kept"}},
		{"the same again", nil, checkin.AnswerInput{Trust: ip(5), Agreements: kept("ag2", "not_kept", "ag3", "kept")}, []string{"ag2", "not_kept", "ag3", "kept"}},
		{"reordered", nil, checkin.AnswerInput{Trust: ip(5), Agreements: kept("ag3", "kept", "ag2", "not_kept")}, []string{"ag3", "kept", "ag2", "not_kept"}},
		{"renamed agreement", []checkin.AgreementRef{{ID: "ag2", Title: "Sunday evening check-in"}, {ID: "ag3", Title: "Say when I'm late"}},
			checkin.AnswerInput{Trust: ip(5), Agreements: kept("ag3", "kept", "ag2", "not_kept")}, []string{"ag3", "kept", "ag2", "not_kept"}},
		{"no longer active", []checkin.AgreementRef{{ID: "ag3", Title: "Say when I'm late"}},
			checkin.AnswerInput{Trust: ip(5), Agreements: kept("ag3", "kept", "ag2", "partly")}, []string{"ag3", "kept", "ag2", "partly"}},
		{"cleared", nil, checkin.AnswerInput{Trust: ip(6)}, nil},
		{"shared", nil, full("A", 6, 6, 2, true), nil},
		{"not this week", nil, checkin.AnswerInput{Skip: true, Agreements: kept("ag3", "kept")}, nil},
	}
	var first *checkin.Answer
	titles := map[string]string{} // an answer keeps the title it was given while the agreement is not active
	for _, st := range steps {
		if st.active != nil {
			f.active = st.active
		}
		for _, a := range f.active {
			titles[a.ID] = a.Title
		}
		f.clock.Advance(time.Minute)
		saved := normalTimes(f.save(p.a, week, st.in))
		read := normalTimes(f.week(p.a, week))
		if !reflect.DeepEqual(saved, read) {
			t.Errorf("%s: the saved view differs from the stored week:\nsaved %+v\n      %+v\nread  %+v\n      %+v", st.name, saved, saved.Mine, read, read.Mine)
		}
		var got []string
		for _, k := range read.Mine.Agreements {
			got = append(got, k.AgreementID, k.Kept)
			if want := titles[k.AgreementID]; k.Title != want {
				t.Errorf("%s: %s is titled %q, want %q", st.name, k.AgreementID, k.Title, want)
			}
		}
		if !reflect.DeepEqual(got, st.want) {
			t.Errorf("%s: stored agreement answers %v, want %v", st.name, got, st.want)
		}
		if first == nil {
			first = read.Mine
		}
		if read.Mine.ID != first.ID || !read.Mine.CreatedAt.Equal(first.CreatedAt) || !read.Mine.UpdatedAt.Equal(f.clock.Now()) {
			t.Errorf("%s: id %s created %v updated %v; first %s created %v, now %v", st.name, read.Mine.ID, read.Mine.CreatedAt,
				read.Mine.UpdatedAt, first.ID, first.CreatedAt, f.clock.Now())
		}
	}
}

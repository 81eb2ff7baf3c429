package question_test

import (
	"testing"

	"github.com/mendhq/mend/internal/question"
)

func TestSimilar(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		a, b string
		want bool
	}{
		{"the same question reworded", "Why did you keep messaging her after you promised to stop?",
			"Why did you keep messaging her after promising?", true},
		{"plural and case", "What did the MESSAGES say about our holiday?", "What did the message say about the holiday?", true},
		{"only one word shared", "Where did you go on Friday night?", "Did you tell her about Friday?", false},
		{"nothing shared", "Do you still think about leaving?", "What was going on for you that winter?", false},
		{"only little words", "Why did you do it?", "Why did you do that?", false},
		{"two words of a long question", "Why did you lie to me about the money you spent on the hotel in March and the gifts?",
			"Was the hotel money yours?", true},
		{"two words but a small part of both", "Why did you lie about the money you spent, the hotel, the gifts, the trips and the car?",
			"Which hotel did your brother recommend to us last summer for money reasons, and was the car hired there too?", false},
		{"punctuation and apostrophes", "Didn't you say you'd ended it in June?", "you said it ended in june", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := question.Similar(tc.a, tc.b); got != tc.want {
				t.Errorf("Similar(%q, %q) = %v, want %v (words %v and %v)", tc.a, tc.b, got, tc.want,
					question.Words(tc.a), question.Words(tc.b))
			}
			if question.Similar(tc.b, tc.a) != question.Similar(tc.a, tc.b) {
				t.Errorf("not symmetric")
			}
		})
	}
}

package question

import (
	"strings"
	"unicode"
)

// The rule for "you asked something like this before", kept simple enough to explain in one sentence:
// setting aside short and common words (and counting a word and its plural as one), two questions are
// alike when they share at least two words and the shared words make up at least half of the words of
// the shorter question. It only ever adds a kind link to the earlier answer; it never refuses a question.

// minShared and minShare are the rule's two numbers.
const (
	minShared = 2
	minShare  = 0.5
)

// commonWords are set aside: the words nearly every question is made of.
var commonWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and for you your yours was were did does doing done what why how when where who whom
		which that this these those with have had has are about from there their they them then than just any all can could
		would should will been being not but our ours out she her hers him his its ever also really tell told know knew mean
		meant because into onto over again very much more most some such only own same too yes now here still ago
		didn doesn don wasn isn aren weren couldn wouldn shouldn haven hasn hadn won`) {
		commonWords[w] = true
	}
}

// Words returns the words of s that the rule compares, lower-cased, each once, in order.
func Words(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) < 3 || commonWords[w] {
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
			w = strings.TrimSuffix(w, "s")
		}
		if commonWords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// Similar reports whether questions a and b are alike by the rule above.
func Similar(a, b string) bool {
	wa, wb := Words(a), Words(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	in := map[string]bool{}
	for _, w := range wb {
		in[w] = true
	}
	shared := 0
	for _, w := range wa {
		if in[w] {
			shared++
		}
	}
	return shared >= minShared && float64(shared) >= minShare*float64(len(wa))
}

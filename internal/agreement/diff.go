package agreement

import (
	"strings"
	"unicode"
)

// Diff operations.
const (
	OpEqual  = "equal"
	OpInsert = "ins"
	OpDelete = "del"
)

// Segment is one run of a word-level diff: text that stayed, was inserted or was deleted.
// Templates render it as text inside <ins> or <del>, so html/template escapes it.
type Segment struct {
	Op   string
	Text string
}

// maxDiffCells bounds the work of one diff; beyond it the changed middle is shown as replaced whole.
const maxDiffCells = 2 << 20

// tokens splits s into runs of whitespace and runs of everything else.
func tokens(s string) []string {
	var out []string
	start := 0
	prevSpace := false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if i > 0 && sp != prevSpace {
			out = append(out, s[start:i])
			start = i
		}
		prevSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// WordDiff returns a readable word-level diff turning old into new.
func WordDiff(old, new string) []Segment {
	a, b := tokens(old), tokens(new)
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	q := 0
	for q < len(a)-p && q < len(b)-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	ops := make([]Segment, 0, len(a)+len(b))
	for _, t := range a[:p] {
		ops = append(ops, Segment{OpEqual, t})
	}
	ops = append(ops, middle(a[p:len(a)-q], b[p:len(b)-q])...)
	for _, t := range a[len(a)-q:] {
		ops = append(ops, Segment{OpEqual, t})
	}
	return tidy(ops)
}

// middle diffs two token lists with a longest-common-subsequence table.
func middle(a, b []string) []Segment {
	n, m := len(a), len(b)
	var out []Segment
	if n == 0 || m == 0 || (n+1)*(m+1) > maxDiffCells {
		for _, t := range a {
			out = append(out, Segment{OpDelete, t})
		}
		for _, t := range b {
			out = append(out, Segment{OpInsert, t})
		}
		return out
	}
	w := m + 1
	lcs := make([]uint16, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
				lcs[i*w+j] = lcs[(i+1)*w+j]
			default:
				lcs[i*w+j] = lcs[i*w+j+1]
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, Segment{OpEqual, a[i]})
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			out = append(out, Segment{OpDelete, a[i]})
			i++
		default:
			out = append(out, Segment{OpInsert, b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, Segment{OpDelete, a[i]})
	}
	for ; j < m; j++ {
		out = append(out, Segment{OpInsert, b[j]})
	}
	return out
}

// tidy folds lone unchanged spaces between changes into the change, then writes each changed stretch
// as one deletion followed by one insertion, so "<del>a b</del><ins>x y</ins>" reads as a phrase.
func tidy(ops []Segment) []Segment {
	for k := 1; k+1 < len(ops); k++ {
		if ops[k].Op == OpEqual && strings.TrimSpace(ops[k].Text) == "" && ops[k-1].Op != OpEqual && ops[k+1].Op != OpEqual {
			ops[k].Op = "both"
		}
	}
	var out []Segment
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			out = append(out, Segment{OpDelete, del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, Segment{OpInsert, ins.String()})
		}
		del.Reset()
		ins.Reset()
	}
	for _, s := range ops {
		switch s.Op {
		case OpDelete:
			del.WriteString(s.Text)
		case OpInsert:
			ins.WriteString(s.Text)
		case "both":
			del.WriteString(s.Text)
			ins.WriteString(s.Text)
		default:
			flush()
			if n := len(out); n > 0 && out[n-1].Op == OpEqual {
				out[n-1].Text += s.Text
			} else {
				out = append(out, s)
			}
		}
	}
	flush()
	return out
}

// Changed reports whether a diff contains any insertion or deletion.
func Changed(d []Segment) bool {
	for _, s := range d {
		if s.Op != OpEqual {
			return true
		}
	}
	return false
}

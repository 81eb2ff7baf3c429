package bench

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mendhq/mend/internal/config"
)

// table is a header row and body rows of cells.
type table struct {
	head []string
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// text writes t with aligned columns.
func (t *table) text(w io.Writer) {
	width := make([]int, len(t.head))
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	line := func(r []string) {
		for i, c := range r {
			pad := width[i] - len([]rune(c))
			if i == 0 {
				fmt.Fprint(w, c+strings.Repeat(" ", pad))
			} else {
				fmt.Fprint(w, "  "+strings.Repeat(" ", pad)+c)
			}
		}
		fmt.Fprintln(w)
	}
	line(t.head)
	for _, r := range t.rows {
		line(r)
	}
}

// markdown writes t as a Markdown table.
func (t *table) markdown(w io.Writer) {
	fmt.Fprintln(w, "| "+strings.Join(t.head, " | ")+" |")
	sep := make([]string, len(t.head))
	for i := range sep {
		sep[i] = "---:"
	}
	sep[0] = "---"
	fmt.Fprintln(w, "|"+strings.Join(sep, "|")+"|")
	for _, r := range t.rows {
		fmt.Fprintln(w, "| "+strings.Join(r, " | ")+" |")
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// mb formats bytes in megabytes of 10^6 bytes, the unit the goals are stated in.
func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// ceilingMix returns the ceiling's figures for sc's mix of reads and writes: throughput as the
// harmonic mix of the ceiling's read and insert throughputs, and the ceiling measurement whose
// latencies and costs are compared (reads for read-only and mixed scenarios, inserts for writes).
func (r *Report) ceilingMix(sc *Scenario) (rps float64, like *Result) {
	read, ins := r.Ceiling["ceiling-read"], r.Ceiling["ceiling-insert"]
	if read == nil || ins == nil {
		return 0, nil
	}
	fr, fw := sc.shares()
	rps = 1 / (fr/read.Max.RPS + fw/ins.Max.RPS)
	if fr == 0 {
		return rps, ins
	}
	return rps, read
}

// shares returns the fractions of sc's requests that are reads and writes.
func (sc *Scenario) shares() (reads, writes float64) {
	total := 0
	for _, q := range sc.requests {
		total += q.weight
		if q.write {
			writes += float64(q.weight)
		} else {
			reads += float64(q.weight)
		}
	}
	return reads / float64(total), writes / float64(total)
}

// mainTable is the one table of the run: every scenario of the ceiling and of Mend.
func (r *Report) mainTable() *table {
	c := r.Config
	t := &table{head: []string{"scenario", fmt.Sprintf("req/s at %d conns", c.Conns), "× ceiling", "p50", "p99",
		fmt.Sprintf("p99 at %d/s", c.Rate), "errors", "CPU/request", "RSS under load"}}
	for _, key := range []string{"ceiling-read", "ceiling-insert"} {
		if res := r.Ceiling[key]; res != nil {
			t.add(res.Scenario.Name, fmt.Sprintf("%.0f", res.Max.RPS), "1.00×", ms(res.Max.P50), ms(res.Max.P99),
				fixedP99(res.Fixed), errorsOf(res), us(res.Max.CPUPerRequest), mb(max(res.Max.PeakRSS, res.Fixed.PeakRSS)))
		}
	}
	for _, res := range r.Mend {
		crps, like := r.ceilingMix(res.Scenario)
		row := []string{res.Scenario.Name, fmt.Sprintf("%.0f", res.Max.RPS), ratio(res.Max.RPS, crps),
			ms(res.Max.P50), ms(res.Max.P99), fixedP99(res.Fixed), errorsOf(res), us(res.Max.CPUPerRequest),
			mb(max(res.Max.PeakRSS, res.Fixed.PeakRSS))}
		if like != nil {
			row[4] += " (" + ratio(float64(res.Max.P99), float64(like.Max.P99)) + ")"
			if !res.Fixed.Overloaded && !like.Fixed.Overloaded {
				row[5] += " (" + ratio(float64(res.Fixed.P99), float64(like.Fixed.P99)) + ")"
			}
			row[7] += " (" + ratio(float64(res.Max.CPUPerRequest), float64(like.Max.CPUPerRequest)) + ")"
		}
		t.add(row...)
		if _, fw := res.Scenario.shares(); fw > 0 && fw < 1 {
			fr, fw := "–", "–"
			if !res.Fixed.Overloaded {
				fr, fw = ms(res.Fixed.Read.P99), ms(res.Fixed.Write.P99)
			}
			t.add("  · its reads", fmt.Sprintf("%.0f", res.Max.Read.RPS), "", ms(res.Max.Read.P50), ms(res.Max.Read.P99), fr, "", "", "")
			t.add("  · its writes", fmt.Sprintf("%.0f", res.Max.Write.RPS), "", ms(res.Max.Write.P50), ms(res.Max.Write.P99), fw, "", "", "")
		}
	}
	return t
}

// fixedP99 is the p99 at the fixed rate, marked when the server could not keep up with the rate.
func fixedP99(m *Measurement) string {
	if m.Overloaded {
		return fmt.Sprintf("not run: tops out at %.0f/s", m.RPS)
	}
	s := ms(m.P99)
	if m.Load.Rate > 0 && m.RPS < 0.95*float64(m.Load.Rate) {
		s += fmt.Sprintf(" (overloaded: %.0f/s)", m.RPS)
	}
	return s
}

func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond)) }

func errorsOf(res *Result) string {
	n := res.Max.Errors + res.Fixed.Errors
	s := fmt.Sprint(n)
	if l := res.Max.Locked + res.Fixed.Locked; l > 0 {
		s += fmt.Sprintf(" (%d locked)", l)
	}
	return s
}

// factsTable holds the figures that are not per scenario.
func (r *Report) factsTable() *table {
	t := &table{head: []string{"measure", "value"}}
	t.add("machine", r.Machine)
	t.add("engine (Mend and the ceiling)", r.Engine)
	for _, ds := range r.Seeds {
		how := fmt.Sprintf("%d seeded through the services", ds.Seeded)
		if ds.Copies > 1 {
			how += fmt.Sprintf(", in %d keyed copies", ds.Copies)
		}
		if ds.Took > 0 {
			how += ", built in " + ds.Took.Round(100*time.Millisecond).String()
		}
		t.add(fmt.Sprintf("database of %d couples", ds.Shape.Couples), how)
	}
	t.add("binary size", mb(r.BinarySize))
	t.add("start-up to first /healthz, migrated empty database", ms(r.StartUpEmpty))
	if len(r.Seeds) > 0 {
		t.add(fmt.Sprintf("start-up to first /healthz, %d couples", r.Seeds[0].Shape.Couples), ms(r.StartUp))
	}
	t.add("server RSS at idle", mb(r.IdleRSS))
	t.add("dashboard over the wire (page, CSS, JS, icon)", fmt.Sprintf("%.1f KB", float64(r.Page.Bytes)/1000))
	for _, p := range r.Scale {
		t.add(fmt.Sprintf("dashboard p99 at %d/s, %d couples", p.Rate, p.Couples), ms(p.P99))
	}
	t.add("run took", r.Took.Round(time.Second).String())
	return t
}

// engineName is the run's engine as the README names it.
func (r *Report) engineName() string {
	if r.Engine == config.EnginePostgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// Print writes the report as aligned text, under a line that names the engine.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "mend-bench on %s\n\n", r.engineName())
	r.mainTable().text(w)
	fmt.Fprintln(w)
	r.factsTable().text(w)
	fmt.Fprintln(w)
	r.goalsTable().text(w)
	if len(r.SealCost) > 0 {
		fmt.Fprintln(w)
		r.sealCostTable().text(w)
	}
}

// Markdown writes the report as Markdown, under a heading that names the engine (the README shows
// one report per engine).
func (r *Report) Markdown(w io.Writer) {
	fmt.Fprintf(w, "### mend-bench on %s\n\n", r.engineName())
	r.mainTable().markdown(w)
	fmt.Fprintln(w)
	r.factsTable().markdown(w)
	fmt.Fprintln(w)
	r.goalsTable().markdown(w)
	if len(r.SealCost) > 0 {
		fmt.Fprintln(w)
		r.sealCostTable().markdown(w)
	}
}

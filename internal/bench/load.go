package bench

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Load is how a scenario is driven: Rate requests a second (0: as fast as Conns connections go,
// each sending its next request when the last one is answered) for Duration.
type Load struct {
	Rate     int
	Conns    int
	Duration time.Duration
}

// Latencies summarises one class of requests (reads or writes) of a measurement.
type Latencies struct {
	Requests int
	RPS      float64
	P50, P99 time.Duration
}

// Measurement is the outcome of driving one scenario with one Load.
type Measurement struct {
	Load     Load
	Requests int
	// Errors counts transport errors and statuses outside 2xx; Locked counts "database is locked" in the
	// server's log during the measurement.
	Errors      int
	Locked      int
	FirstError  string
	RPS         float64
	P50, P99    time.Duration
	Read, Write Latencies
	// CPUPerRequest is the server's user+system CPU time divided by the requests answered.
	CPUPerRequest time.Duration
	// PeakRSS is the largest VmRSS seen while the load ran, in bytes.
	PeakRSS int64
	// Overloaded marks a fixed-rate measurement that was not run because the server's full-speed
	// throughput is below the rate: the queue would only grow, so its p99 would measure the run's length.
	Overloaded bool
}

// settle waits, up to a minute, until p has used less than a tenth of a CPU over 200 ms: requests that
// outlived the last measurement (a client gives up after 30 s, the server does not) must not run into
// the next one.
func settle(ctx context.Context, p *Process) {
	for i := 0; i < 300; i++ {
		c0, err := p.CPU()
		if err != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
		c1, err := p.CPU()
		if err != nil || c1-c0 < 20*time.Millisecond {
			return
		}
	}
}

// measure drives sc against p with load l after a short unrecorded warm-up.
func measure(ctx context.Context, p *Process, env *targetEnv, sc *Scenario, l Load) (*Measurement, error) {
	settle(ctx, p)
	tr := sc.targeter(env)
	warm := min(time.Second, l.Duration/4)
	if _, err := attack(ctx, tr, Load{Rate: l.Rate, Conns: l.Conns, Duration: warm}, sc.Key, nil); err != nil {
		return nil, err
	}
	cpu0, err := p.CPU()
	if err != nil {
		return nil, err
	}
	locked0 := p.countInLog("database is locked")
	stop := sampleRSS(p)
	m, err := attack(ctx, tr, l, sc.Key, sc.isWrite)
	peak := stop()
	if err != nil {
		return nil, err
	}
	cpu1, err := p.CPU()
	if err != nil {
		return nil, err
	}
	m.PeakRSS = peak
	m.Locked = p.countInLog("database is locked") - locked0
	if m.Requests > 0 {
		m.CPUPerRequest = (cpu1 - cpu0) / time.Duration(m.Requests)
	}
	settle(ctx, p)
	return m, nil
}

// isWrite reports whether a request of sc with this method is one of its writes.
func (sc *Scenario) isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead
}

// attack runs one vegeta attack and summarises it; isWrite (nil: nothing is a write) splits the
// latencies into reads and writes.
func attack(ctx context.Context, tr vegeta.Targeter, l Load, name string, isWrite func(string) bool) (*Measurement, error) {
	opts := []func(*vegeta.Attacker){vegeta.Connections(l.Conns), vegeta.MaxConnections(l.Conns),
		vegeta.Redirects(vegeta.NoFollow), vegeta.MaxBody(0), vegeta.Timeout(30 * time.Second), vegeta.KeepAlive(true)}
	pacer := vegeta.ConstantPacer{Freq: l.Rate, Per: time.Second}
	if l.Rate == 0 {
		opts = append(opts, vegeta.Workers(uint64(l.Conns)), vegeta.MaxWorkers(uint64(l.Conns)))
		pacer = vegeta.ConstantPacer{}
	}
	atk := vegeta.NewAttacker(opts...)
	stopped := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stopped()
	m := &Measurement{Load: l}
	var all, reads, writes []time.Duration
	var first, last time.Time
	for res := range atk.Attack(tr, pacer, l.Duration, name) {
		if first.IsZero() || res.Timestamp.Before(first) {
			first = res.Timestamp
		}
		if end := res.Timestamp.Add(res.Latency); end.After(last) {
			last = end
		}
		m.Requests++
		if res.Error != "" || res.Code < 200 || res.Code > 299 {
			m.Errors++
			if m.FirstError == "" {
				m.FirstError = fmt.Sprintf("%s %s: %d %s", res.Method, res.URL, res.Code, res.Error)
			}
		}
		all = append(all, res.Latency)
		if isWrite != nil && isWrite(res.Method) {
			writes = append(writes, res.Latency)
		} else {
			reads = append(reads, res.Latency)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	secs := last.Sub(first).Seconds()
	if secs <= 0 {
		secs = l.Duration.Seconds()
	}
	m.RPS = float64(m.Requests) / secs
	m.P50, m.P99 = quantile(all, 0.50), quantile(all, 0.99)
	m.Read = summarise(reads, secs)
	m.Write = summarise(writes, secs)
	return m, nil
}

func summarise(d []time.Duration, secs float64) Latencies {
	return Latencies{Requests: len(d), RPS: float64(len(d)) / secs, P50: quantile(d, 0.50), P99: quantile(d, 0.99)}
}

// quantile returns the q-quantile of d (nearest rank); it sorts d.
func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(q*float64(len(d))+0.5) - 1
	return d[max(0, min(i, len(d)-1))]
}

// sampleRSS samples p's VmRSS every 50 ms until the returned function is called, which returns the
// largest value seen.
func sampleRSS(p *Process) func() int64 {
	var mu sync.Mutex
	var peak int64
	done := make(chan struct{})
	finished := make(chan struct{})
	take := func() {
		if rss, _, err := p.RSS(); err == nil {
			mu.Lock()
			peak = max(peak, rss)
			mu.Unlock()
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			take()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(done)
		<-finished
		take()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

package vault

import (
	"sync/atomic"
	"time"
)

// Meter counts what a Vault seals and opens and the time it spends doing so: the benchmark's measure
// of what encryption costs a request. A Vault has none unless Measure is called, and then pays two
// clock reads per sealed value.
type Meter struct {
	seals, opens counter
}

type counter struct {
	n, nanos atomic.Int64
}

func (m *Meter) add(c *counter, start time.Time) {
	c.n.Add(1)
	c.nanos.Add(int64(time.Since(start)))
}

// MeterReading is a Meter's totals: values sealed and opened (plaintext from before encryption,
// which opens as it is, is not counted), and the time spent on each.
type MeterReading struct {
	Seals, Opens       int64
	SealTime, OpenTime time.Duration
}

// Read returns the totals so far.
func (m *Meter) Read() MeterReading {
	return MeterReading{Seals: m.seals.n.Load(), Opens: m.opens.n.Load(),
		SealTime: time.Duration(m.seals.nanos.Load()), OpenTime: time.Duration(m.opens.nanos.Load())}
}

// Measure starts counting v's seals and opens on a new Meter and returns it; Unmeasure stops.
func (v *Vault) Measure() *Meter {
	m := new(Meter)
	v.meter.Store(m)
	return m
}

// Unmeasure stops the counting Measure started.
func (v *Vault) Unmeasure() { v.meter.Store(nil) }

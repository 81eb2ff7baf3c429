package bench

import (
	"fmt"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/vault"
)

// SealCost is what encryption at rest costs one request of a hot path, measured in-process: the
// values the request seals and opens, the time spent in the vault doing so, and the request's whole
// time in the same runs, so the share is of like with like.
type SealCost struct {
	Path                string
	Seals, Opens        float64
	InVault, PerRequest time.Duration
}

// Share is the part of the request's time spent sealing and opening.
func (c SealCost) Share() float64 {
	if c.PerRequest <= 0 {
		return 0
	}
	return float64(c.InVault) / float64(c.PerRequest)
}

// sealCostRuns is how many requests each cost is the mean of.
const sealCostRuns = 200

// sealCostPath is one request whose encryption cost is measured, with its body (nil for a GET).
type sealCostPath struct {
	name string
	req  func(base string, s *Session) (*http.Request, []byte)
}

// sealCostPaths are the alloc paths and the check-in save, whose cost is sealing.
func sealCostPaths() []sealCostPath {
	out := make([]sealCostPath, 0, len(allocPaths)+1)
	for _, p := range allocPaths {
		out = append(out, sealCostPath{p.name, func(base string, s *Session) (*http.Request, []byte) { return p.req(base, s), nil }})
	}
	return append(out, sealCostPath{"PUT /api/v1/checkins/{week}/mine", func(base string, s *Session) (*http.Request, []byte) {
		req, _ := http.NewRequest(http.MethodPut, base+"/api/v1/checkins/"+s.Week+"/mine", nil)
		req.Header = s.apiHeader.Clone()
		return req, s.answer
	}})
}

// measureSealCost serves each seal-cost path sealCostRuns times as s, in-process on one P (as the
// allocation counts are), with v's meter on, and returns each path's cost per request.
func measureSealCost(srv *server.Server, base string, s *Session, v *vault.Vault) ([]SealCost, error) {
	if v == nil {
		return nil, fmt.Errorf("bench: the seal cost needs a database with a vault")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	h := srv.App().Handler()
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40001}
	ctx := new(fasthttp.RequestCtx)
	req := new(fasthttp.Request)
	var out []SealCost
	for _, p := range sealCostPaths() {
		r, body := p.req(base, s)
		toFastHTTP(r, req)
		req.SetBody(body)
		call := func() error {
			ctx.Init(req, remote, nil)
			h(ctx)
			if st := ctx.Response.StatusCode(); st != http.StatusOK {
				return fmt.Errorf("bench: %s in-process: status %d", p.name, st)
			}
			return nil
		}
		if err := call(); err != nil { // warm the key cache, as a running server has it
			return nil, err
		}
		m := v.Measure()
		start := time.Now()
		for i := 0; i < sealCostRuns; i++ {
			if err := call(); err != nil {
				v.Unmeasure()
				return nil, err
			}
		}
		took := time.Since(start)
		v.Unmeasure()
		got := m.Read()
		out = append(out, SealCost{Path: p.name, Seals: float64(got.Seals) / sealCostRuns, Opens: float64(got.Opens) / sealCostRuns,
			InVault: (got.SealTime + got.OpenTime) / sealCostRuns, PerRequest: took / sealCostRuns})
	}
	return out, nil
}

// sealCostTable is the report's table of what encryption costs each hot path.
func (r *Report) sealCostTable() *table {
	t := &table{head: []string{"encryption at rest, in-process", "values sealed / opened per request", "time in the vault", "time per request", "share"}}
	for _, c := range r.SealCost {
		t.add(c.Path, fmt.Sprintf("%.0f / %.0f", c.Seals, c.Opens), fmt.Sprintf("%.1f µs", float64(c.InVault)/1e3),
			fmt.Sprintf("%.0f µs", float64(c.PerRequest)/1e3), fmt.Sprintf("%.1f %%", 100*c.Share()))
	}
	return t
}

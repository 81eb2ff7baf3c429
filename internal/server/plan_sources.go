package server

import (
	"github.com/mendhq/mend/internal/plan"
)

// planSources returns the facts the plan reads from the agreements and check-ins features
// (plan.Sources). Until those services are wired in here, the plan sees no agreements and no
// check-ins: evidence from them stays unticked and progress has no rated weeks.
func (s *Server) planSources() plan.Sources { return plan.NoSources{} }

// SetPlanSources replaces the plan's sources. Only tests use it, to seed a history of check-ins and
// agreements; call it before serving requests.
func (s *Server) SetPlanSources(src plan.Sources) {
	s.plan = plan.NewService(s.db, s.now, src)
}

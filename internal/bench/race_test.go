//go:build race

package bench

// raceDetector is set when the tests run with -race, which makes more allocations (and drops pooled
// values at random, so they are made again): the allocation budgets allow for it.
const raceDetector = true

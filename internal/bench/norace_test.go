//go:build !race

package bench

// raceDetector is set when the tests run with -race (race_test.go).
const raceDetector = false

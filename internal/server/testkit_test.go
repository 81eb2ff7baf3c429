package server_test

import (
	"testing"

	"github.com/mendhq/mend/internal/testutil"
)

// crossCoupleCase is one row of the cross-couple table (SECURITY C2): a member of another couple sends
// Method to the path Setup returns for a resource that belongs to owner; the answer must be 404 and,
// when Check is set, the resource must be unchanged afterwards.
//
// Every feature adds its rows from its own test file with an init function calling addCrossCouple, so
// the table grows without two features editing one file.
type crossCoupleCase struct {
	Name   string
	Method string
	// Route is the Fiber route pattern the row covers, such as "/api/v1/agreements/:id".
	Route string
	// Setup creates owner's resource and returns the concrete path and JSON/form body (nil for none).
	// A body of type testutil.Values is sent as a browser form; anything else as JSON.
	Setup func(t *testing.T, app *testutil.App, owner testutil.Couple) (path string, body any)
	// Check, if set, verifies owner's resource is unchanged after the attempt.
	Check func(t *testing.T, app *testutil.App, owner testutil.Couple)
}

var crossCoupleCases []crossCoupleCase

func addCrossCouple(cases ...crossCoupleCase) { crossCoupleCases = append(crossCoupleCases, cases...) }

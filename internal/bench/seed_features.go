package bench

// featureSeeder writes one feature's history for a seeded couple through that feature's service.
// setup, when set, builds the feature's service over the batch transaction once per batch (the result
// is kept in seedEnv.svc under name); seed runs once per couple, in list order.
type featureSeeder struct {
	name  string
	setup func(e *seedEnv) any
	seed  func(e *seedEnv, c *Couple) error
}

// featureSeeders are the features a seeded couple has, in the order their history is written
// (agreements before check-ins, which ask about them). Add a feature with one line here.
var featureSeeders = []featureSeeder{}

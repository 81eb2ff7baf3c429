//go:build !cgo

package database

// useStablePlans does nothing without cgo, where there is no SQLite to configure.
func useStablePlans() error { return nil }

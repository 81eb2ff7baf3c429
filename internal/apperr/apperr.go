// Package apperr defines the one error type whose message is safe to show users.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an expected failure; the server maps each kind to an HTTP status.
type Kind string

// The kinds of DESIGN §3.2.
const (
	Invalid        Kind = "invalid"
	NotFound       Kind = "not_found"
	Conflict       Kind = "conflict"
	Unauthorized   Kind = "unauthorized"
	Forbidden      Kind = "forbidden"
	RateLimited    Kind = "rate_limited"
	ReauthRequired Kind = "reauth_required"
	TooLarge       Kind = "too_large"
	Unavailable    Kind = "unavailable"
	Internal       Kind = "internal"
)

// Error is an expected failure with a message safe to show users and optional per-field messages.
type Error struct {
	Kind    Kind
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Kind, e.Message) }

// New returns an Error of the given kind.
func New(kind Kind, msg string) *Error { return &Error{Kind: kind, Message: msg} }

// Fields returns an Invalid error carrying per-field messages.
func Fields(fields map[string]string) *Error {
	return &Error{Kind: Invalid, Message: "Please check the highlighted fields.", Fields: fields}
}

// NotFoundf returns the standard not-found error.
func NotFoundf(what string) *Error { return &Error{Kind: NotFound, Message: what + " was not found."} }

// As returns the *Error inside err, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Is reports whether err is an *Error of kind k.
func Is(err error, k Kind) bool {
	e := As(err)
	return e != nil && e.Kind == k
}

// Form collects field errors while validating input.
type Form map[string]string

// Add records msg for field unless one is already recorded.
func (f Form) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns an Invalid error when any field failed, else nil.
func (f Form) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Fields(f)
}

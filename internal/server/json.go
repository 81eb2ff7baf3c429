package server

import (
	"bytes"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
)

// decodeJSON reads a JSON object body into v; anything else is a 422 naming the body (SECURITY F2).
func decodeJSON(c *fiber.Ctx, v any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if !utf8.Valid(body) {
		return apperr.Fields(map[string]string{"body": "Send valid UTF-8 text."})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		msg := "Send a JSON object."
		if te, ok := err.(*json.UnmarshalTypeError); ok && te.Field != "" {
			return apperr.Fields(map[string]string{te.Field: "Has the wrong type."})
		}
		return apperr.Fields(map[string]string{"body": msg})
	}
	if dec.More() {
		return apperr.Fields(map[string]string{"body": "Send a single JSON object."})
	}
	return nil
}

// sendJSON answers with status and v.
func sendJSON(c *fiber.Ctx, status int, v any) error {
	return c.Status(status).JSON(v)
}

// rfc3339 is how every time reads in the API and the export: UTC, to the second.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// rfc3339OrNull is rfc3339 for an instant that may be missing: nil is sent as null.
func rfc3339OrNull(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := rfc3339(*t)
	return &s
}

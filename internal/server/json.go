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

// jsonTime writes an instant as the API sends every instant: RFC 3339 in UTC.
func jsonTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// jsonTimeOrNull is jsonTime for an instant that may be missing: nil is sent as null.
func jsonTimeOrNull(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := jsonTime(*t)
	return &s
}

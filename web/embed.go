// Package web holds Mend's templates, static files and guidance text, embedded in the binary.
package web

import "embed"

// FS holds templates/, static/ and guidance/.
//
//go:embed templates static guidance
var FS embed.FS

package server

import (
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// guardHTTPLayer fixes two things fasthttp does before any route runs.
//
// A connection that sends nothing is closed after the read timeout. With ReduceMemoryUsage, fasthttp
// waits for a new connection's first byte with no deadline at all, so a pre-opened or abandoned
// connection stayed open (and held a goroutine) until the client went away.
//
// A request fasthttp refuses while reading its headers (too large: 431, too slow: 408, malformed: 400)
// keeps its path, so handleError answers /api/ with the JSON envelope and pages with the error page.
// fasthttp forgets the request line before it reports the error; the error's text still quotes the
// start of the request, and the path is taken back from there.
func guardHTTPLayer(fs *fasthttp.Server) {
	fs.ConnState = func(c net.Conn, st fasthttp.ConnState) {
		if st == fasthttp.StateNew && fs.ReadTimeout > 0 {
			_ = c.SetReadDeadline(time.Now().Add(fs.ReadTimeout))
		}
	}
	next := fs.ErrorHandler
	fs.ErrorHandler = func(ctx *fasthttp.RequestCtx, err error) {
		if p := refusedPath(err.Error()); p != "" {
			ctx.Request.SetRequestURI(p)
		}
		next(ctx, err)
	}
}

// refusedPath returns the path of the request line quoted in a fasthttp header error
// (`... contents: "GET /api/v1/me HTTP/1.1\r\nHost: …"`), without its query, or "" when msg quotes none.
func refusedPath(msg string) string {
	_, quoted, ok := strings.Cut(msg, "contents: ")
	if !ok {
		return ""
	}
	q, err := strconv.QuotedPrefix(quoted)
	if err != nil {
		return ""
	}
	start, err := strconv.Unquote(q)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(start, "\n")
	_, target, ok := strings.Cut(line, " ")
	if !ok {
		return ""
	}
	target, _, _ = strings.Cut(target, " ")
	target, _, _ = strings.Cut(target, "?")
	if !strings.HasPrefix(target, "/") {
		return ""
	}
	return target
}

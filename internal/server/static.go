package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
)

// The compression rule (SECURITY N1): only static assets (stylesheets, scripts, SVG images) are ever
// compressed, once each, on the first request for it (compressing every file at start cost a third of
// a second of each start-up), and kept. Pages and JSON are never compressed: a page carries a CSRF token and
// session-bound data beside text the partner wrote, which is exactly what a compression side channel
// (BREACH) reads out. No compression middleware stands in front of them, and TestOnlyStaticFilesAreCompressed
// checks both halves of the rule.

// asset is one static file under its content-hashed URL, with its compressed forms where they help.
type asset struct {
	url, ctype string
	body       []byte
	compress   bool // the file type is one that is compressed
	once       sync.Once
	// gzip and brotli are made by encoded; nil where compression would not shrink the file.
	gzip, brotli []byte
}

// encoded returns the file's gzip and Brotli forms (nil for either that would not shrink it), made on
// the first call and kept. A file that fails to compress is served as it is.
func (f *asset) encoded() (gz, br []byte) {
	f.once.Do(func() {
		var err error
		if f.gzip, err = shrink(f.body, gzipWriter); err != nil {
			f.gzip = nil
		}
		if f.brotli, err = shrink(f.body, brotliWriter); err != nil {
			f.brotli = nil
		}
	})
	return f.gzip, f.brotli
}

// assets are the static files, by logical path (css/app.css) and by URL.
type assets struct {
	byPath map[string]*asset
	byURL  map[string]*asset
}

// compressed lists the file types that are compressed.
var compressed = map[string]bool{".css": true, ".js": true, ".svg": true}

// loadAssets reads every file under static/ in fsys, gives each a content-hashed URL, compresses those
// whose type is in compressed, and builds css/bundle.css, the concatenation of every stylesheet in
// static/css (app.css first), so each page loads one stylesheet.
func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byPath: map[string]*asset{}, byURL: map[string]*asset{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return a.add(strings.TrimPrefix(p, "static/"), b)
	})
	if err != nil {
		return nil, err
	}
	sheets, err := fs.Glob(fsys, "static/css/*.css")
	if err != nil {
		return nil, err
	}
	var bundle bytes.Buffer
	for _, first := range []bool{true, false} {
		for _, p := range sheets {
			if (path.Base(p) == "app.css") != first {
				continue
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return nil, err
			}
			bundle.Write(b)
			bundle.WriteByte('\n')
		}
	}
	return a, a.add("css/bundle.css", bundle.Bytes())
}

func (a *assets) add(logical string, b []byte) error {
	sum := sha256.Sum256(b)
	ext := path.Ext(logical)
	f := &asset{url: "/static/" + hex.EncodeToString(sum[:])[:12] + "/" + logical, ctype: contentType(ext), body: b,
		compress: compressed[ext]}
	a.byPath[logical] = f
	a.byURL[f.url] = f
	return nil
}

// url is the content-hashed URL of a static file (the templates' "static" function).
func (a *assets) url(logical string) (string, error) {
	f, ok := a.byPath[logical]
	if !ok {
		return "", fmt.Errorf("no static file %q", logical)
	}
	return f.url, nil
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".txt":
		return fiber.MIMETextPlainCharsetUTF8
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return fiber.MIMEOctetStream
}

// shrink compresses b with the writer open makes; nil when that would not make it smaller.
func shrink(b []byte, open func(io.Writer) (io.WriteCloser, error)) ([]byte, error) {
	var out bytes.Buffer
	w, err := open(&out)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if out.Len() >= len(b) {
		return nil, nil
	}
	return out.Bytes(), nil
}

func gzipWriter(w io.Writer) (io.WriteCloser, error) {
	return gzip.NewWriterLevel(w, gzip.BestCompression)
}

// brotliWriter compresses with a small window: the files are a few kilobytes, and the default 4 MiB
// window made each one cost megabytes of hash tables at start, for the same output size.
func brotliWriter(w io.Writer) (io.WriteCloser, error) {
	return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brotliQuality, LGWin: brotliWindowBits}), nil
}

// brotliQuality is Brotli's best: each file is compressed once, on first use.
const brotliQuality = brotli.BestCompression

// brotliWindowBits is the brotli window, 2^18 bytes (256 KiB): larger than any static file Mend has.
const brotliWindowBits = 18

// accepts reports whether an Accept-Encoding header value accepts coding (a q of 0 refuses it).
func accepts(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// serveStatic answers content-hashed URLs with a long cache lifetime, compressed with Brotli or gzip
// when the file type is compressed and the browser accepts it.
func (s *Server) serveStatic(c *fiber.Ctx) error {
	f, ok := s.views.assets.byURL[c.Path()]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, f.ctype)
	if !f.compress {
		return c.Send(f.body)
	}
	gz, br := f.encoded()
	if gz == nil && br == nil {
		return c.Send(f.body)
	}
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	ae := c.Get(fiber.HeaderAcceptEncoding)
	switch {
	case br != nil && accepts(ae, "br"):
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(br)
	case gz != nil && accepts(ae, "gzip"):
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(gz)
	}
	return c.Send(f.body)
}

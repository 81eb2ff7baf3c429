package server

import (
	"bytes"
	"io"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/mendhq/mend/web"
)

// TestStaticFilesCompressOnFirstUse: loading the static files compresses none of them (that work cost a
// third of a second of every start-up); the first request for a file compresses it once, and its
// Brotli form opens to the file itself.
func TestStaticFilesCompressOnFirstUse(t *testing.T) {
	a, err := loadAssets(web.FS)
	if err != nil {
		t.Fatal(err)
	}
	f := a.byPath["css/bundle.css"]
	if f == nil || !f.compress {
		t.Fatalf("the bundle is not a compressed type: %+v", f)
	}
	for logical, g := range a.byPath {
		if g.gzip != nil || g.brotli != nil {
			t.Errorf("%s was compressed at load", logical)
		}
	}
	gz, br := f.encoded()
	if gz == nil || br == nil || len(br) >= len(f.body) {
		t.Fatalf("the bundle's forms: gzip %d bytes, brotli %d bytes, of %d", len(gz), len(br), len(f.body))
	}
	if _, again := f.encoded(); &again[0] != &br[0] {
		t.Error("the bundle was compressed a second time")
	}
	plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
	if err != nil || !bytes.Equal(plain, f.body) {
		t.Errorf("the Brotli form does not open to the bundle (%v)", err)
	}
}

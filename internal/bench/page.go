package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// PageWeight is what the signed-in dashboard costs over the wire, as a browser asking for gzip and
// brotli receives it: the page and every stylesheet, script and icon it links, headers included.
type PageWeight struct {
	Bytes int64
	// Parts are the resources, each as "path: bytes (encoding)".
	Parts []string
}

var subresource = regexp.MustCompile(`<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"`)

// browser is a client that receives compressed bodies as they are sent.
var browser = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// pageWeight fetches the dashboard as s and adds up what it and its subresources weigh.
func pageWeight(ctx context.Context, base string, s *Session) (PageWeight, error) {
	var w PageWeight
	page, err := fetchWire(ctx, base+"/dashboard", s.Cookie, &w)
	if err != nil {
		return w, err
	}
	if page == nil {
		// A compressed page: read its links from a plain copy, which is not counted.
		if page, err = fetchWire(ctx, base+"/dashboard", s.Cookie, nil); err != nil {
			return w, err
		}
	}
	for _, m := range subresource.FindAllSubmatch(page, -1) {
		if _, err := fetchWire(ctx, base+string(m[1]), "", &w); err != nil {
			return w, err
		}
	}
	return w, nil
}

// fetchWire fetches u and adds its weight to w; it returns the body when it came uncompressed. With
// w nil it asks for an uncompressed body and counts nothing.
func fetchWire(ctx context.Context, u, cookie string, w *PageWeight) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	if w == nil {
		req.Header.Set("Accept-Encoding", "identity")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := browser.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("bench: %s: status %d", req.URL.Path, resp.StatusCode)
	}
	if w == nil {
		return body, nil
	}
	var hdr bytes.Buffer
	_ = resp.Header.Write(&hdr)
	n := int64(hdr.Len() + len(body) + len(resp.Proto) + 8)
	w.Bytes += n
	enc := resp.Header.Get("Content-Encoding")
	if enc == "" {
		enc = "not compressed"
	}
	w.Parts = append(w.Parts, fmt.Sprintf("%s: %d B (%s)", req.URL.Path, n, enc))
	if enc != "not compressed" {
		return nil, nil
	}
	return body, nil
}

// machine describes the computer the run is on: processors and CPU model.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%d × %s, %s/%s", runtime.NumCPU(), model, runtime.GOOS, runtime.GOARCH)
}

// Package browsertest drives a real Mend server with headless Chromium (chromedp) and checks pages with axe-core.
package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/server"
	"github.com/mendhq/mend/internal/testutil"
)

//go:embed testdata/axe.min.js
var axeSource string

// Server is a real Mend server on 127.0.0.1 for browser tests.
type Server struct {
	URL    string
	Server *server.Server
	Logs   *testutil.LogBuffer
}

// Start serves a fresh Mend on 127.0.0.1:0 until the test ends.
func Start(t *testing.T, mutate ...func(*config.Config)) *Server {
	t.Helper()
	return StartWith(t, server.Deps{}, mutate...)
}

// StartWith is Start with extra server dependencies (such as Deps.PlanFacts); Config, DB and Log are
// filled in as Start fills them.
func StartWith(t *testing.T, deps server.Deps, mutate ...func(*config.Config)) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	db, cfg := newStore(t)
	cfg.Addr = ln.Addr().String()
	cfg.BaseURL = "http://" + cfg.Addr
	cfg.TrustedProxies = nil
	for _, m := range mutate {
		m(&cfg)
	}
	logs := &testutil.LogBuffer{}
	deps.Config, deps.DB, deps.Log = cfg, db, slog.New(slog.NewJSONHandler(logs, nil))
	srv, err := server.New(deps)
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
		database.Close(db)
	})
	return &Server{URL: cfg.BaseURL, Server: srv, Logs: logs}
}

// newStore returns a fresh, migrated database on the engine MEND_TEST_ENGINE names, and the test
// configuration that goes with it (its data dir, and on PostgreSQL its URL).
func newStore(t *testing.T) (*gorm.DB, config.Config) {
	t.Helper()
	if testutil.Engine(t) == config.EnginePostgres {
		db, u := testutil.NewPostgresDB(t)
		cfg := testutil.TestConfig(t.TempDir())
		cfg.DatabaseURL = u
		return db, cfg
	}
	db, path := testutil.NewDB(t)
	return db, testutil.TestConfig(filepath.Dir(path))
}

// ChromiumPath finds Chromium; the test fails (never skips) without it: the README's test command installs it.
func ChromiumPath(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("MEND_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Fatal("Chromium not found: run the README's test command (it installs Debian's chromium), or set MEND_CHROMIUM")
	return ""
}

// Viewports used by the tests.
var (
	Phone   = [2]int64{390, 844}
	Desktop = [2]int64{1280, 900}
)

// NewBrowser starts a separate headless Chromium (its own profile: a separate person) with the viewport.
func NewBrowser(t *testing.T, viewport [2]int64) context.Context {
	t.Helper()
	// The profile is not a t.TempDir: Chromium's helper processes can still write to it for a moment after
	// the browser exits, which makes TempDir's cleanup fail the test. It is removed with a few retries.
	profile, err := os.MkdirTemp("", "mend-chromium-")
	if err != nil {
		t.Fatalf("profile dir: %v", err)
	}
	opts := append([]chromedp.ExecAllocatorOption{},
		chromedp.ExecPath(ChromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(int(viewport[0]), int(viewport[1])),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(50 * time.Millisecond)
		}
	})
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(viewport[0], viewport[1])); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Run runs chromedp actions, failing the test on error.
func Run(t testing.TB, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// SubmitAndLoad clicks sel, which submits a form, and waits until the page the submission leads to has
// loaded and ready (a script expression) is true on it. The page being left is marked first, so a save
// that redirects to the address it came from is not mistaken for the page it left; the wait is a loop of
// short evaluations from here, because a wait running inside the page ends with the page it ran in.
func SubmitAndLoad(sel, ready string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := chromedp.Evaluate(`window.mendLeftBehind = true`, nil).Do(ctx); err != nil {
			return err
		}
		// In the middle of the screen: Chromium's own scrolling stops once the button is inside the
		// viewport, which on a phone can be under the fixed tab bar, where the click would land on a tab.
		quoted, _ := json.Marshal(sel)
		if err := chromedp.Evaluate(`document.querySelector(`+string(quoted)+`).scrollIntoView({block: "center"})`, nil).Do(ctx); err != nil {
			return err
		}
		if err := chromedp.Click(sel, chromedp.ByQuery).Do(ctx); err != nil {
			return err
		}
		check := `!window.mendLeftBehind && document.readyState === "complete" && (` + ready + `)`
		for {
			var done bool
			if err := chromedp.Evaluate(check, &done).Do(ctx); err == nil && done {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("after clicking %s: no loaded page where %s: %w", sel, ready, ctx.Err())
			case <-time.After(25 * time.Millisecond):
			}
		}
	})
}

// Screenshot saves a full-page PNG under the test's temp dir (and MEND_SCREENSHOTS when set) and returns its path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	var png []byte
	Run(t, ctx, chromedp.FullScreenshot(&png, 100))
	if len(png) < 1000 {
		t.Fatalf("screenshot %s is empty", name)
	}
	dir := t.TempDir()
	if d := os.Getenv("MEND_SCREENSHOTS"); d != "" {
		dir = d
		_ = os.MkdirAll(dir, 0o755)
	}
	file := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return file
}

type axeResult struct {
	Violations []struct {
		ID          string `json:"id"`
		Impact      string `json:"impact"`
		Description string `json:"description"`
		Nodes       []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
}

// Axe runs axe-core on the current page and fails the test on any violation.
func Axe(t testing.TB, ctx context.Context) {
	t.Helper()
	var raw string
	script := axeSource + `;axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify({violations: r.violations}))`
	err := chromedp.Run(ctx, chromedp.Evaluate(script, &raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	}))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	var res axeResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatalf("axe result: %v", err)
	}
	var loc string
	_ = chromedp.Run(ctx, chromedp.Location(&loc))
	for _, v := range res.Violations {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprint(n.Target)+" "+n.HTML)
		}
		t.Errorf("axe on %s: %s (%s): %s\n  %s", loc, v.ID, v.Impact, v.Description, strings.Join(nodes, "\n  "))
	}
}

// Visit navigates to url, checks the page with axe and returns the page's text.
func Visit(t testing.TB, ctx context.Context, url string) string {
	t.Helper()
	var text string
	Run(t, ctx, chromedp.Navigate(url), chromedp.WaitReady("body"), chromedp.Text("body", &text, chromedp.ByQuery))
	Axe(t, ctx)
	return text
}

package browsertest

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/guidance"
	"github.com/mendhq/mend/internal/server"
)

// startWithFeatures serves Mend like Start, plus stand-ins for the feature pages the guide links to, so the
// pages show their "Practise this" links whichever features have landed.
func startWithFeatures(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	db, cfg := newStore(t)
	cfg.Addr, cfg.BaseURL, cfg.TrustedProxies = ln.Addr().String(), "http://"+ln.Addr().String(), nil
	stubs := func(r fiber.Router) {
		for _, p := range []string{"/acknowledgment", "/agreements/new", "/checkins", "/plan", "/moments", "/progress"} {
			r.Get(p, func(c *fiber.Ctx) error { return c.SendString("feature") })
		}
	}
	srv, err := server.New(server.Deps{Config: cfg, DB: db, Log: slog.New(slog.DiscardHandler), ExtraRoutes: stubs})
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done; database.Close(db) })
	return cfg.BaseURL
}

func TestGuidanceInBrowser(t *testing.T) {
	base := startWithFeatures(t)
	for name, viewport := range map[string][2]int64{"phone": Phone, "desktop": Desktop} {
		t.Run(name, func(t *testing.T) {
			ctx := NewBrowser(t, viewport)
			text := Visit(t, ctx, base+"/guide/rebuild-trust")
			for _, want := range []string{"On this page", "Step 1", "Step 6", "Action plan checklist", "Practise this"} {
				if !strings.Contains(text, want) {
					t.Errorf("page text lacks %q", want)
				}
			}
			var overflow bool
			Run(t, ctx, chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow))
			if overflow {
				t.Error("the page scrolls sideways")
			}
			Screenshot(t, ctx, "rebuild-trust")

			// The table of contents jumps to a step, and the step's heading is then on screen below the
			// sticky quick-exit bar.
			var top float64
			Run(t, ctx, chromedp.Click(`nav.toc a[href="#step-4-agreements"]`, chromedp.ByQuery),
				chromedp.Evaluate(`document.getElementById("step-4-agreements").getBoundingClientRect().top`, &top))
			var bar float64
			Run(t, ctx, chromedp.Evaluate(`document.querySelector(".quick-exit-bar").getBoundingClientRect().bottom`, &bar))
			if top < bar || top > float64(viewport[1])/2 {
				t.Errorf("after the jump, step 4's heading is at %.0fpx (quick-exit bar ends at %.0fpx)", top, bar)
			}

			for _, p := range guidance.Paths() {
				if p == "/guide/rebuild-trust" {
					continue
				}
				if text := Visit(t, ctx, base+p); !strings.Contains(text, "Leave quickly") {
					t.Errorf("%s: no quick exit", p)
				}
			}
		})
	}
}

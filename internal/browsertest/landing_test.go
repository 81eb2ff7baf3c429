package browsertest

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestLandingPageInBrowser(t *testing.T) {
	srv := Start(t)
	ctx := NewBrowser(t, Phone)
	text := Visit(t, ctx, srv.URL+"/")
	if !strings.Contains(text, "rebuild trust") {
		t.Errorf("landing page does not say what Mend is: %q", text)
	}
	var first string
	Run(t, ctx, chromedp.Evaluate(`document.querySelector('a[href], button, input, select, textarea').id`, &first))
	if first != "quick-exit" {
		t.Errorf("first focusable element of the page is %q, want the quick-exit control", first)
	}
	shot := Screenshot(t, ctx, "landing")
	if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
		t.Fatalf("screenshot not saved: %v", err)
	}
}

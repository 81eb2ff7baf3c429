package proof

import (
	"net/http"
	"sort"
	"strings"

	"github.com/mendhq/mend/internal/checkin"
	"github.com/mendhq/mend/internal/testutil"
)

// notCrawled are GET routes the sweeps do not fetch, and why.
var notCrawled = map[string]string{
	"/static/*": "content-hashed CSS, JS and images, fixed at build time; no user text",
}

// getPaths returns, for every GET route of the app (pages when api is false, /api/v1 otherwise), the
// concrete paths the sweeps fetch, with parameters filled from what the journey made, and the routes
// whose parameters it cannot fill (a new route with a parameter must be taught here, or the sweep fails).
func (j *journey) getPaths(api bool) (paths, unresolved []string) {
	prevWeek := ""
	if w, ok := checkin.ParseWeek(j.week); ok {
		prevWeek = w.Prev().String()
	}
	fill := map[string][]string{
		":week":  {j.week, prevWeek},
		":token": nil,
		":id":    nil,
	}
	seen := map[string]bool{}
	for _, rt := range j.app.Server.App().GetRoutes(true) {
		if rt.Method != http.MethodGet || seen[rt.Path] || strings.HasPrefix(rt.Path, "/api/") != api {
			continue
		}
		seen[rt.Path] = true
		if _, skip := notCrawled[rt.Path]; skip {
			continue
		}
		switch {
		case !strings.Contains(rt.Path, ":"):
			paths = append(paths, rt.Path)
		case strings.HasSuffix(rt.Path, "/agreements/:id") || strings.HasSuffix(rt.Path, "/agreements/:id/edit"):
			for _, id := range j.agreements {
				p := strings.Replace(rt.Path, ":id", id, 1)
				paths = append(paths, p)
				if !api && !strings.HasSuffix(p, "/edit") {
					paths = append(paths, p+"?version=1", p+"?version=2")
				}
			}
		case strings.HasPrefix(rt.Path, "/triggers/:id/"):
			for _, id := range j.triggers {
				paths = append(paths, strings.Replace(rt.Path, ":id", id, 1))
			}
		case rt.Path == "/join/:token":
			paths = append(paths, "/join/"+j.invite, "/join/no-such-invite-0123456789")
		case rt.Path == "/reset/:token":
			paths = append(paths, "/reset/no-such-reset-0123456789")
			if j.reset != "" {
				paths = append(paths, "/reset/"+j.reset)
			}
		case rt.Path == "/confirm-email/:token":
			paths = append(paths, "/confirm-email/no-such-link-0123456789")
		case rt.Path == "/calendar/:token.ics":
			// The live feed is text/calendar for calendar apps; TestMessagesAndFeedsCarryNoPersonalText reads it.
			paths = append(paths, "/calendar/no-such-feed-0123456789.ics")
		case strings.Count(rt.Path, ":") == 1 && strings.Contains(rt.Path, ":week"):
			for _, w := range fill[":week"] {
				paths = append(paths, strings.Replace(rt.Path, ":week", w, 1))
			}
		default:
			unresolved = append(unresolved, rt.Path)
		}
	}
	sort.Strings(paths)
	return paths, unresolved
}

// crawl fetches every page (and, with api, every GET API route) as A, B and an anonymous visitor,
// keeping every answer in the journey's exchanges; it fails the test for routes it cannot fill.
func (j *journey) crawl(api bool) {
	j.t.Helper()
	pages, unresolved := j.getPaths(false)
	for _, p := range unresolved {
		j.t.Errorf("the sweep cannot fill the parameters of GET %s: teach getPaths about it", p)
	}
	anon := j.app.Client()
	for _, cl := range []*testutil.Client{j.A, j.B, anon} {
		for _, p := range pages {
			j.keep(exchange{j.whoAnon(cl, anon), http.MethodGet, p, cl.Get(p)})
		}
	}
	if !api {
		return
	}
	apis, unresolved := j.getPaths(true)
	for _, p := range unresolved {
		j.t.Errorf("the sweep cannot fill the parameters of GET %s: teach getPaths about it", p)
	}
	for _, cl := range []*testutil.Client{j.A, j.B} {
		for _, p := range apis {
			j.keep(exchange{j.who(cl), http.MethodGet, p, cl.JSON(http.MethodGet, p, nil)})
		}
	}
}

func (j *journey) whoAnon(cl, anon *testutil.Client) string {
	if cl == anon {
		return "anonymous"
	}
	return j.who(cl)
}

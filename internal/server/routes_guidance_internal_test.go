package server

import "testing"

func TestRouteMatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"/", "/", true},
		{"/plan", "/plan", true},
		{"/plan", "/plans", false},
		{"/plan", "/plan/items", false},
		{"/agreements/:id", "/agreements/new", true},
		{"/agreements/:id", "/agreements", false},
		{"/agreements/:id?", "/agreements", true},
		{"/checkins/:week/edit", "/checkins/2026-W48/edit", true},
		{"/checkins/:week/edit", "/checkins/2026-W48", false},
		{"/static/*", "/static/abc/css/bundle.css", true},
		{"/static/*", "/plan", false},
		{"/guide/rebuild-trust", "/guide", false},
	}
	for _, tc := range cases {
		if got := routeMatches(tc.pattern, tc.path); got != tc.want {
			t.Errorf("routeMatches(%q, %q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}

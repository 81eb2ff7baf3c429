package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/config"
)

// Theme colours of the installed app, the stylesheet's background in light and dark mode.
const (
	themeLight = "#fbfaf7"
	themeDark  = "#161a19"
)

// appName is the name an installed Mend shows (MEND_APP_NAME), neutral by default.
func (s *Server) appName() string {
	if s.cfg.AppName == "" {
		return config.DefaultAppName
	}
	return s.cfg.AppName
}

// manifestJSON is the web app manifest: a neutral name and icon, so that an installed Mend on a
// phone's home screen does not say what it is for.
type manifestJSON struct {
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons"`
}

type manifestIcon struct {
	Src   string `json:"src"`
	Sizes string `json:"sizes"`
	Type  string `json:"type"`
}

// manifest serves /manifest.webmanifest (public: a browser fetches it without credentials).
func (s *Server) manifest(c *fiber.Ctx) error {
	icon, err := s.views.assets.url("img/icon.svg")
	if err != nil {
		return err
	}
	return c.JSON(manifestJSON{Name: s.appName(), ShortName: s.appName(), StartURL: "/dashboard", Scope: "/",
		Display: "standalone", BackgroundColor: themeLight, ThemeColor: themeLight,
		Icons: []manifestIcon{{Src: icon, Sizes: "any", Type: "image/svg+xml"}}}, "application/manifest+json; charset=utf-8")
}

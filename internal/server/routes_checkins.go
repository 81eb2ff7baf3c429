package server

import "github.com/gofiber/fiber/v2"

// routesCheckins registers the checkins pages and API (not built yet).
func (s *Server) routesCheckins(pages, api fiber.Router) {}

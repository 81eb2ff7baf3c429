package server

import "github.com/gofiber/fiber/v2"

// routesPlan registers the plan pages and API (not built yet).
func (s *Server) routesPlan(pages, api fiber.Router) {}

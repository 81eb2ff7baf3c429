package server

import "github.com/gofiber/fiber/v2"

// routesGuidance registers the public guidance pages (not built yet).
func (s *Server) routesGuidance(app fiber.Router) {}

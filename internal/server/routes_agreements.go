package server

import "github.com/gofiber/fiber/v2"

// routesAgreements registers the agreements pages and API (not built yet).
func (s *Server) routesAgreements(pages, api fiber.Router) {}

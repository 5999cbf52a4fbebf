package web

import "net/http"

// The incident log's import (guide 2.9): the pages and API of
// supplier_import.go for the incident log. Imported incidents are triaged
// incidents, so the import is offered to those who triage.

func (s *Server) incidentImportRoutes(mux *http.ServeMux) { s.regImportRoutes(mux, incImportKind) }

func (s *Server) supplierImportRoutes(mux *http.ServeMux) { s.regImportRoutes(mux, supImportKind) }

package web

import (
	"net/http"
)

// compMatrixPage shows the competence matrix: each role's needs against
// its holders, the roles without needs, the needs no holder meets, and
// the competences that have expired or soon will.
func (s *Server) compMatrixPage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.Competence.CompetenceMatrix(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.comp_matrix")
	p.Data = m
	s.render(w, http.StatusOK, "competence_matrix", p)
	return nil
}

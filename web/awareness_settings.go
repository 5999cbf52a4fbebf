package web

import (
	"context"
	"net/http"

	"github.com/ismsdk/isms"
)

// The organisation's awareness settings (guide 2.6): the reach threshold
// checklist question 4.6 measures against, and whether staff acknowledge
// the behaviour policy.

func (s *Server) awarenessSettingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAwarenessSettings(w, r, s.newPage(r, "title.awp_settings"), http.StatusOK)
}

func (s *Server) renderAwarenessSettings(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	set, err := s.AwarenessParticipation.AwarenessSettings(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p.Data = set
	s.render(w, status, "awareness_settings", p)
	return nil
}

func settingsInputFromForm(r *http.Request) (isms.AwarenessSettings, error) {
	var v isms.Validation
	f := r.PostForm
	in := isms.AwarenessSettings{ReachThreshold: formInt(&v, "reach_threshold", f.Get("reach_threshold"), 0),
		AcknowledgementWanted: f.Get("acknowledgement_wanted") == "yes", Version: parseVersion(f.Get("version"))}
	return in, v.Err()
}

func (s *Server) awarenessSettingsSubmit(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	return saveForm(s, w, r, settingsInputFromForm, func(ctx context.Context, in isms.AwarenessSettings) (*isms.AwarenessSettings, error) {
		return s.AwarenessParticipation.UpdateAwarenessSettings(ctx, org.ID, in)
	}, func(*isms.AwarenessSettings) string { return "/awareness/settings" }, func(_ isms.AwarenessSettings, err error) error {
		return s.formRefused(r, err, s.newPage(r, "title.awp_settings"), func() int64 {
			if cur, x := s.AwarenessParticipation.AwarenessSettings(r.Context(), org.ID); x == nil {
				return cur.Version
			}
			return 0
		}, func(p *page, status int) error { return s.renderAwarenessSettings(w, r, p, status) })
	})
}

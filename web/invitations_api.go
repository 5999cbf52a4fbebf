package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// The invitations API: the operations are listed in routes.go; these
// are the parts that do more than pass through.

var invitationQuery = []apiParam{{"state", "string", "pending, accepted, revoked or expired"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

const inviteSummary = "Invite a person by e-mail to a role (administrators). The link is mailed when the server has SMTP, else returned " +
	"in url this once; it expires after 7 days. The answer is the same whether or not the address has an account"

// invitationFilterFrom reads the invitation list's filter.
func invitationFilterFrom(r *http.Request) (isms.InvitationFilter, error) {
	f := isms.InvitationFilter{State: isms.InvitationState(r.URL.Query().Get("state"))}
	var err error
	f.Offset, f.Limit, err = pageFrom(r, 100)
	return f, err
}

// inviteAPI invites as the page does: the link mailed, or answered once.
func (s *Server) inviteAPI(r *http.Request) (any, error) {
	org, in, err := orgBody[isms.InvitationInput](r)
	if err != nil {
		return nil, err
	}
	sent, err := s.invite(r, org, in)
	if err != nil {
		return nil, err
	}
	return &InvitationCreated{Invitation: sent.Invitation, Mailed: sent.Mailed, URL: sent.URL}, nil
}

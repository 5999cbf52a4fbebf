package web

import (
	"net/http"

	"github.com/ismsdk/isms"
)

// The accounts API (site administrators): the operations are listed in
// routes.go; these are the parts that do more than pass through.

var userQuery = []apiParam{{"q", "string", "text in the name or e-mail address"}, {"state", "string", "active or deactivated"},
	{"site_admin", "boolean", "only site administrators"}, {"sort", "string", "name, email, created; prefix - for descending"},
	{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

const updateUserSummary = "Change a user's name or site administrator right, or deactivate (active false: sessions and API tokens end at once) " +
	"or reactivate them (site administrators; send only what changes and the version you read). The last active site administrator cannot be demoted or deactivated"

// usersAPI answers a page of the site's accounts (not an organisation's,
// so not a listRoute).
func (s *Server) usersAPI(r *http.Request) (any, error) {
	f, err := userFilterFrom(r, 100)
	if err != nil {
		return nil, err
	}
	users, total, err := s.Accounts.Users(r.Context(), f)
	if err != nil {
		return nil, err
	}
	return listResponse[*isms.User]{Items: nonNil(users), Total: total, Offset: f.Offset, Limit: f.Limit}, nil
}

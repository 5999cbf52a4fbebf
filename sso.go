package isms

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Single sign-on through OpenID Connect. Danish authorities sign their
// staff in through their own identity provider (Microsoft Entra ID,
// OS2faktor, the municipal context handler); the product then trusts the
// provider's verified ID token instead of a local password, and the
// provider is responsible for the second factor.
//
// A person is known to the product by the provider's issuer and subject,
// never by the e-mail address alone: addresses are reused and renamed,
// the subject is not. The first login links the subject to an account
// once, by an e-mail address the provider says it verified, or through a
// pending invitation to that address; otherwise the person is refused,
// unless the site administrator lets that provider create accounts just
// in time.
//
// Group or role claims can give memberships: a site administrator keeps a
// table of claim value → organisation and role, applied at every login.
// The memberships a mapping gave are marked as managed by single sign-on:
// the next login changes or removes them as the claims changed, while a
// membership given by hand is left alone.

// SSOLoginLifetime is how long a login begun at the provider may take to
// come back: the state, nonce and PKCE verifier are forgotten after it.
const SSOLoginLifetime = 10 * time.Minute

// SSOPendingLogin is a login sent to a provider and not yet back. It is
// stored under the hash of its state and taken once, so a replayed
// callback finds nothing.
type SSOPendingLogin struct {
	Provider     string
	Nonce        string
	CodeVerifier string
	// Next is the product's path to return to after the login.
	Next string
	// Invitation is the secret of an invitation link the login accepts
	// (the person opened the link and chose the provider), "" for none;
	// the store keeps only its hash, which TakeSSOLogin returns in
	// InvitationHash.
	Invitation     string
	InvitationHash string
	ExpiresAt      time.Time
}

// SSOSignIn is what the product takes from a provider's verified ID token
// for one login.
type SSOSignIn struct {
	Provider string // the provider's name in the configuration
	Issuer   string
	Subject  string
	Email    string
	// EmailVerified is the provider's email_verified claim, or the
	// operator's word that the provider only issues addresses it owns
	// (trust-email, for providers that send no such claim).
	EmailVerified bool
	Name          string
	// Groups are the values of the provider's group or role claim;
	// HasGroups says the provider is configured to send one, so mapped
	// memberships are applied (an absent claim then means no groups).
	Groups    []string
	HasGroups bool
	// CreateAccounts lets this provider create an account just in time for
	// a person the product does not know.
	CreateAccounts bool
	// InvitationHash names an invitation the login accepts: a person the
	// product does not know gets an account for the invited address.
	InvitationHash string
}

// SSOIdentity is one provider subject linked to an account.
type SSOIdentity struct {
	ID          int64     `json:"id"`
	UserID      int64     `json:"user_id"`
	UserName    string    `json:"user_name"`
	Provider    string    `json:"provider"`
	Issuer      string    `json:"issuer"`
	Subject     string    `json:"subject"`
	Email       string    `json:"email"`
	CreatedAt   time.Time `json:"created_at"`
	LastLoginAt time.Time `json:"last_login_at"`
}

// SSORoleMapping gives everyone whose group or role claim holds
// ClaimValue the role in the organisation, at each login through the
// provider (Provider "" means through any provider).
type SSORoleMapping struct {
	ID               int64     `json:"id"`
	Provider         string    `json:"provider"`
	ClaimValue       string    `json:"claim_value"`
	OrganisationID   int64     `json:"organisation_id"`
	OrganisationName string    `json:"organisation_name"`
	Role             Role      `json:"role"`
	CreatedAt        time.Time `json:"created_at"`
}

// SSORoleMappingInput is a new mapping as the site administrator makes it.
type SSORoleMappingInput struct {
	Provider       string `json:"provider"`
	ClaimValue     string `json:"claim_value"`
	OrganisationID int64  `json:"organisation_id"`
	Role           Role   `json:"role"`
}

// Validate checks a mapping's fields; the store checks that the
// organisation exists.
func (in *SSORoleMappingInput) Validate() error {
	in.Provider = strings.TrimSpace(in.Provider)
	in.ClaimValue = strings.TrimSpace(in.ClaimValue)
	var v Validation
	if len(in.Provider) > 100 {
		v.Add("provider", "err.too_long", 100)
	}
	if in.ClaimValue == "" {
		v.Add("claim_value", "err.required")
	} else if len(in.ClaimValue) > 300 {
		v.Add("claim_value", "err.too_long", 300)
	}
	if in.OrganisationID <= 0 {
		v.Add("organisation_id", "err.required")
	}
	if !in.Role.Valid() {
		v.Add("role", "err.choice")
	}
	return v.Err()
}

// MappedRoles works out the role in each organisation that a login's
// claims give through the mappings: the mappings of the login's provider
// (or of any provider) whose claim value the person holds. Where several
// give roles in one organisation, the first in Roles wins: administrator
// before coordinator before contributor, management, auditor and reader,
// so a person in two groups gets the broader right.
func MappedRoles(mappings []*SSORoleMapping, provider string, groups []string) map[int64]Role {
	out := map[int64]Role{}
	for _, m := range mappings {
		if m.Provider != "" && m.Provider != provider {
			continue
		}
		if !slices.Contains(groups, m.ClaimValue) {
			continue
		}
		if have, ok := out[m.OrganisationID]; !ok || slices.Index(Roles, m.Role) < slices.Index(Roles, have) {
			out[m.OrganisationID] = m.Role
		}
	}
	return out
}

// SSOService keeps what single sign-on needs: the logins under way, the
// linked subjects, the sessions they started, and the role mappings.
type SSOService interface {
	// BeginSSOLogin stores a login sent to a provider under its state.
	BeginSSOLogin(ctx context.Context, state string, p SSOPendingLogin) error
	// TakeSSOLogin returns the login stored under state and forgets it, so
	// a state is good once; an unknown, used or expired state is refused.
	TakeSSOLogin(ctx context.Context, state string) (*SSOPendingLogin, error)

	// SignInSSO finds (or links, or creates) the account of a verified
	// login and applies the role mappings to its memberships.
	SignInSSO(ctx context.Context, in SSOSignIn) (*User, error)
	// CreateSSOSession starts a session for a login through a provider and
	// keeps the ID token, for the provider's end-session endpoint.
	CreateSSOSession(ctx context.Context, userID int64, provider, idToken string) (string, error)
	// SSOSession tells which provider started a session and its ID token;
	// ENotFound for a session with a password.
	SSOSession(ctx context.Context, sessionToken string) (provider, idToken string, err error)

	// The site administrators' view and mapping table.
	SSOIdentities(ctx context.Context) ([]*SSOIdentity, error)
	SSORoleMappings(ctx context.Context) ([]*SSORoleMapping, error)
	CreateSSORoleMapping(ctx context.Context, in SSORoleMappingInput) (*SSORoleMapping, error)
	DeleteSSORoleMapping(ctx context.Context, id int64) error
}

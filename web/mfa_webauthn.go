package web

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/ismsdk/isms"
)

// Passkeys and security keys (WebAuthn) with go-webauthn/webauthn. The
// relying party is the product's own address: --base-url when set (its
// host name is the RP ID, its scheme and host the one origin allowed),
// otherwise the address the request came to. Browsers allow WebAuthn only
// over HTTPS, or on http://localhost.
//
// The ceremonies' challenges live in the database (a passkey registration
// under a token of its own, a login's assertion in its pending login), so
// any instance may finish what another began.

// maxWebAuthnBody caps the JSON a browser sends back from a ceremony.
const maxWebAuthnBody = 64 << 10

// relyingParty configures the library for this request's address.
func (s *Server) relyingParty(r *http.Request) (*webauthn.WebAuthn, error) {
	base, err := url.Parse(s.baseURL(r))
	if err != nil {
		return nil, err
	}
	return webauthn.New(&webauthn.Config{
		RPID:          base.Hostname(),
		RPDisplayName: "ISMS",
		RPOrigins:     []string{base.Scheme + "://" + base.Host},
	})
}

// passkeyUser is a person as the WebAuthn library sees them. The user
// handle is the account's id, eight bytes: never the e-mail address.
type passkeyUser struct {
	u     *isms.User
	creds []webauthn.Credential
}

func (p passkeyUser) WebAuthnID() []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(p.u.ID))
	return b
}
func (p passkeyUser) WebAuthnName() string                       { return p.u.Email }
func (p passkeyUser) WebAuthnDisplayName() string                { return p.u.Name }
func (p passkeyUser) WebAuthnCredentials() []webauthn.Credential { return p.creds }

// newPasskeyUser reads the stored credentials (JSON, as the library
// marshals them).
func newPasskeyUser(u *isms.User, stored [][]byte) (passkeyUser, error) {
	p := passkeyUser{u: u}
	for _, b := range stored {
		var c webauthn.Credential
		if err := json.Unmarshal(b, &c); err != nil {
			return p, err
		}
		p.creds = append(p.creds, c)
	}
	return p, nil
}

// readCeremonyBody reads what the browser's script posts back.
func readCeremonyBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebAuthnBody))
	if err != nil {
		return nil, isms.Errorf(isms.EInvalid, "err.passkey_refused")
	}
	return b, nil
}

// passkeyRegisterOptions begins a registration: the options for
// navigator.credentials.create and the token that finishes it.
func (s *Server) passkeyRegisterOptions(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		if err := r.ParseForm(); err != nil {
			return isms.Errorf(isms.EInvalid, "err.invalid")
		}
		u := userFrom(r.Context())
		stored, err := s.SecondFactors.PasskeyCredentials(r.Context())
		if err != nil {
			return err
		}
		pu, err := newPasskeyUser(u, stored)
		if err != nil {
			return err
		}
		wa, err := s.relyingParty(r)
		if err != nil {
			return err
		}
		var exclude []protocol.CredentialDescriptor
		for _, c := range pu.creds {
			exclude = append(exclude, c.Descriptor())
		}
		creation, session, err := wa.BeginRegistration(pu, webauthn.WithExclusions(exclude),
			webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementPreferred))
		if err != nil {
			return err
		}
		data, err := json.Marshal(session)
		if err != nil {
			return err
		}
		token, err := s.SecondFactors.BeginPasskey(r.Context(), r.PostForm.Get("name"), data)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"token": token, "options": creation})
		return nil
	}()
	if err != nil {
		s.jsonError(w, r, err)
	}
}

// passkeyRegister finishes a registration with the browser's attestation.
func (s *Server) passkeyRegister(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		body, err := readCeremonyBody(w, r)
		if err != nil {
			return err
		}
		wa, err := s.relyingParty(r)
		if err != nil {
			return err
		}
		u := userFrom(r.Context())
		stored, err := s.SecondFactors.PasskeyCredentials(r.Context())
		if err != nil {
			return err
		}
		pu, err := newPasskeyUser(u, stored)
		if err != nil {
			return err
		}
		pk, err := s.SecondFactors.FinishPasskey(r.Context(), r.URL.Query().Get("token"), func(_ string, challenge []byte) ([]byte, []byte, error) {
			var session webauthn.SessionData
			if err := json.Unmarshal(challenge, &session); err != nil {
				return nil, nil, err
			}
			parsed, err := protocol.ParseCredentialCreationResponseBody(bytes.NewReader(body))
			if err != nil {
				return nil, nil, err
			}
			cred, err := wa.CreateCredential(pu, session, parsed)
			if err != nil {
				s.log.Info("passkey registration refused", "user", u.ID, "err", err)
				return nil, nil, err
			}
			b, err := json.Marshal(cred)
			return cred.ID, b, err
		})
		if err != nil {
			return err
		}
		s.mailSecondFactorChange(r, u, "mfa.mail.passkey_added")
		writeJSON(w, http.StatusCreated, pk)
		return nil
	}()
	if err != nil {
		s.jsonError(w, r, err)
	}
}

// passkeyLoginOptions begins the assertion of a pending login.
func (s *Server) passkeyLoginOptions(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		c, err := r.Cookie(pendingCookie)
		if err != nil {
			return isms.Errorf(isms.EUnauthorized, "err.login_expired")
		}
		p, err := s.SecondFactors.PendingLogin(r.Context(), c.Value)
		if err != nil {
			return err
		}
		pu, err := newPasskeyUser(p.User, p.Credentials)
		if err != nil {
			return err
		}
		if len(pu.creds) == 0 {
			return isms.Errorf(isms.EConflict, "err.no_passkey")
		}
		wa, err := s.relyingParty(r)
		if err != nil {
			return err
		}
		assertion, session, err := wa.BeginLogin(pu)
		if err != nil {
			return err
		}
		data, err := json.Marshal(session)
		if err != nil {
			return err
		}
		if err := s.SecondFactors.SetPendingChallenge(r.Context(), c.Value, data); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"options": assertion})
		return nil
	}()
	if err != nil {
		s.jsonError(w, r, err)
	}
}

// passkeyLogin finishes a pending login with the browser's assertion; the
// answer says where to go.
func (s *Server) passkeyLogin(w http.ResponseWriter, r *http.Request) {
	err := func() error {
		c, err := r.Cookie(pendingCookie)
		if err != nil {
			return isms.Errorf(isms.EUnauthorized, "err.login_expired")
		}
		body, err := readCeremonyBody(w, r)
		if err != nil {
			return err
		}
		wa, err := s.relyingParty(r)
		if err != nil {
			return err
		}
		p, err := s.SecondFactors.PendingLogin(r.Context(), c.Value)
		if err != nil {
			return err
		}
		_, session, err := s.SecondFactors.CompleteWithPasskey(r.Context(), c.Value, s.clientAddr(r), func(challenge []byte, stored [][]byte) ([]byte, []byte, error) {
			var sd webauthn.SessionData
			if err := json.Unmarshal(challenge, &sd); err != nil {
				return nil, nil, err
			}
			pu, err := newPasskeyUser(p.User, stored)
			if err != nil {
				return nil, nil, err
			}
			parsed, err := protocol.ParseCredentialRequestResponseBody(bytes.NewReader(body))
			if err != nil {
				return nil, nil, err
			}
			cred, err := wa.ValidateLogin(pu, sd, parsed)
			if err != nil {
				s.log.Info("passkey assertion refused", "user", p.User.ID, "err", err)
				return nil, nil, err
			}
			b, err := json.Marshal(cred)
			return cred.ID, b, err
		})
		if err != nil {
			return err
		}
		s.sessionStarted(w, session)
		writeJSON(w, http.StatusOK, map[string]string{"next": safeNext(p.Next)})
		return nil
	}()
	if err != nil {
		s.jsonError(w, r, err)
	}
}

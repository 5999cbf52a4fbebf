package web

import (
	"net/url"
	"time"

	"github.com/ismsdk/isms"
)

// tokenLimits reads the account page's limits of a new API token: the
// read-only box and the last day it works.
func tokenLimits(f url.Values, now time.Time) (isms.APITokenLimits, error) {
	l := isms.APITokenLimits{ReadOnly: f.Get("read_only") == "on"}
	exp, err := isms.ParseTokenExpiry(f.Get("expires"), now)
	if err != nil {
		return l, &isms.Error{Code: isms.EInvalid, Key: "err.invalid", Fields: []isms.FieldError{{Field: "expires", Key: "err.token_expiry"}}}
	}
	l.ExpiresAt = exp
	return l, nil
}

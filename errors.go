// Package isms holds the domain of the information security management
// system: the organisations, people and roles that run it, the elements of
// the Danish Agency for Digital Government's guide (one file per element),
// the error codes every layer speaks, and the service interfaces that the
// storage implements and the web layer serves.
package isms

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error codes. The web layer maps each to an HTTP status; the message key
// is looked up in the message catalogue in the user's language.
const (
	EInvalid      = "invalid"      // bad input; Fields says which
	ENotFound     = "not_found"    // no such record (or not visible to the caller)
	EForbidden    = "forbidden"    // the caller's role does not allow this
	EUnauthorized = "unauthorized" // not logged in
	EConflict     = "conflict"     // a stale version or a duplicate
	ETooMany      = "too_many"     // throttled
	EUnavailable  = "unavailable"  // busy for now (e.g. every upload slot taken); try again shortly
	EInternal     = "internal"     // a fault of ours; detail is logged, not shown
)

// FieldError names one field of the input and what is wrong with it.
type FieldError struct {
	Field string `json:"field"`
	Key   string `json:"-"` // message catalogue key
	Args  []any  `json:"-"`
}

// Error is the one error type that crosses package boundaries. Key is a
// message catalogue key (so the user reads it in their language); Args fill
// its placeholders.
type Error struct {
	Code   string
	Key    string
	Args   []any
	Fields []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v (fields: %v)", e.Code, e.Key, e.Args, e.Fields)
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Key, e.Args)
}

// Errorf makes a domain error with a catalogue key.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// ErrorCode returns the code of a domain error, EInternal for anything else.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// AsError returns the domain error inside err, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Validation collects field errors; Err returns nil when there are none.
type Validation struct{ fields []FieldError }

// Add records a problem with a field.
func (v *Validation) Add(field, key string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Key: key, Args: args})
}

// Has reports whether a field already has a problem.
func (v *Validation) Has(field string) bool {
	for _, f := range v.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// RequireText records a problem when a required text is blank, too long
// (more than max characters) or not valid UTF-8.
func (v *Validation) RequireText(field, s string, max int) {
	if strings.TrimSpace(s) == "" {
		v.Add(field, "err.required")
		return
	}
	v.CheckText(field, s, max)
}

// CheckText records a problem when an optional text is too long or not
// valid UTF-8.
func (v *Validation) CheckText(field, s string, max int) {
	if !utf8.ValidString(s) {
		v.Add(field, "err.bad_text")
	} else if utf8.RuneCountInString(s) > max {
		v.Add(field, "err.too_long", max)
	}
}

// Err returns the collected problems as one EInvalid error, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Key: "err.invalid", Fields: v.fields}
}

// HasNUL reports whether s holds a NUL character (U+0000). It is valid
// UTF-8 and SQLite stores it, but PostgreSQL's text cannot hold it, so no
// text holding one is accepted on either database: a SQLite database
// could otherwise no longer move to PostgreSQL.
func HasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// NULError refuses text holding a NUL character: in the named fields, or
// in the input as a whole when none is named.
func NULError(fields ...string) *Error {
	if len(fields) == 0 {
		return &Error{Code: EInvalid, Key: "err.nul_character"}
	}
	e := &Error{Code: EInvalid, Key: "err.invalid"}
	for _, f := range fields {
		e.Fields = append(e.Fields, FieldError{Field: f, Key: "err.nul_character"})
	}
	return e
}

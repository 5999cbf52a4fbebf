package sqlstore

import (
	"database/sql"
	"reflect"
	"time"

	"github.com/ismsdk/isms"
)

// Text the databases can hold. PostgreSQL refuses a NUL character
// (U+0000) in text with a driver error ("invalid byte sequence for
// encoding UTF8: 0x00", SQLSTATE 22021); SQLite stores it, and a SQLite
// database holding one could no longer move to PostgreSQL. The web layer
// refuses NUL where text comes in, naming the field; this is the backstop
// under every statement, writes and reads (searches) alike, so that no
// path reaches either database with one: a statement whose text
// arguments hold a NUL is not run, and the caller gets the domain's
// EInvalid error instead of a driver error. Binary arguments ([]byte,
// the files of documents) may hold NUL bytes and are not looked at.

// textArgs refuses a statement's arguments when a text among them holds a
// NUL character.
func textArgs(args []any) error {
	for _, a := range args {
		switch v := a.(type) {
		case nil, int, int64, bool, float64, []byte, time.Time:
		case string:
			if isms.HasNUL(v) {
				return isms.NULError()
			}
		default:
			if textArgHasNUL(reflect.ValueOf(a)) {
				return isms.NULError()
			}
		}
	}
	return nil
}

// textArgHasNUL looks into the arguments of other types: strings of a
// named type, pointers to strings, null strings.
func textArgHasNUL(v reflect.Value) bool {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return isms.HasNUL(v.String())
	}
	if s, ok := v.Interface().(sql.NullString); ok {
		return s.Valid && isms.HasNUL(s.String)
	}
	return false
}

// refusedRow is what queryRow returns for arguments it refuses: its Scan
// reports the refusal.
type refusedRow struct{ err error }

func (r refusedRow) Scan(...any) error { return r.err }

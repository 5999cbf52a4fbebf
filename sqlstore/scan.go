package sqlstore

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/ismsdk/isms"
)

// Reading rows. A record's scan function takes a scanner, so the same
// function reads one row (queryRow) and each row of a list (collect).
// Timestamps and dates are TEXT on both databases (db.go); the scan types
// below read them into their Go types as the row is scanned, in place of a
// string parsed by hand afterwards.

// scanner is a row to read: *sql.Row, *sql.Rows, or queryRow's refusal of
// its arguments.
type scanner interface{ Scan(dest ...any) error }

// collect reads every row with scan, closes the rows and reports the first
// error, the iteration's included.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// queryAll runs a query and collects its rows with scan.
func queryAll[T any](tx *Tx, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scan)
}

// scanInt64 reads a row of one integer, such as an id.
func scanInt64(row scanner) (int64, error) {
	var n int64
	err := row.Scan(&n)
	return n, err
}

// scanString reads a row of one text.
func scanString(row scanner) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}

// columnText is a TEXT column's value as the drivers give it: a string, or
// bytes; ok is false for NULL.
func columnText(src any) (s string, ok bool, err error) {
	switch v := src.(type) {
	case nil:
		return "", false, nil
	case string:
		return v, true, nil
	case []byte:
		return string(v), true, nil
	case time.Time:
		// Neither driver turns TEXT into a time, but a column typed
		// otherwise by a later migration would still read.
		return v.UTC().Format(time.RFC3339Nano), true, nil
	}
	return "", false, fmt.Errorf("scan time or date: unexpected %T", src)
}

// scanTime reads an RFC 3339 timestamp; NULL, empty or unreadable text is
// the zero time, as the columns that are never NULL have always read.
type scanTime struct{ t *time.Time }

func (s scanTime) Scan(src any) error {
	text, _, err := columnText(src)
	if err != nil {
		return err
	}
	*s.t, _ = time.Parse(time.RFC3339Nano, text)
	return nil
}

// scanTimePtr reads a timestamp that may be missing: NULL or empty text is
// nil.
type scanTimePtr struct{ t **time.Time }

func (s scanTimePtr) Scan(src any) error {
	text, ok, err := columnText(src)
	if err != nil {
		return err
	}
	*s.t = nil
	if ok && text != "" {
		t, _ := time.Parse(time.RFC3339Nano, text)
		*s.t = &t
	}
	return nil
}

// scanDatePtr reads a YYYY-MM-DD date that may be missing: NULL, empty or
// unreadable text is nil.
type scanDatePtr struct{ d **isms.Date }

func (s scanDatePtr) Scan(src any) error {
	text, ok, err := columnText(src)
	if err != nil {
		return err
	}
	*s.d = nil
	if ok && text != "" {
		if d, err := isms.ParseDate(text); err == nil {
			*s.d = &d
		}
	}
	return nil
}

// scanDate reads a date that is always there; NULL, empty or unreadable
// text is the zero date.
type scanDate struct{ d *isms.Date }

func (s scanDate) Scan(src any) error {
	text, _, err := columnText(src)
	if err != nil {
		return err
	}
	*s.d = isms.Date{}
	if d, err := isms.ParseDate(text); err == nil {
		*s.d = d
	}
	return nil
}

// queryMap runs a query and reads each row into a key and its value; a
// later row with the same key replaces an earlier one. The map is empty,
// not nil, when no row matches.
func queryMap[K comparable, V any](tx *Tx, scan func(scanner) (K, V, error), q string, args ...any) (map[K]V, error) {
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[K]V{}
	for rows.Next() {
		k, v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// querySet runs a query of one column and reports which values it holds.
func querySet[K comparable](tx *Tx, q string, args ...any) (map[K]bool, error) {
	return queryMap(tx, func(row scanner) (K, bool, error) {
		var k K
		err := row.Scan(&k)
		return k, true, err
	}, q, args...)
}

// queryEach runs a query and hands each row to fn, for rows that fill in
// records read before (their people, links, approvals); it closes the rows
// and reports the first error, the iteration's included.
func (tx *Tx) queryEach(q string, args []any, fn func(row scanner) error) error {
	rows, err := tx.query(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanPair reads a row of two columns, such as a key and its value for
// queryMap.
func scanPair[K, V any](row scanner) (K, V, error) {
	var k K
	var v V
	err := row.Scan(&k, &v)
	return k, v, err
}

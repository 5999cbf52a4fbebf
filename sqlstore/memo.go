package sqlstore

import (
	"fmt"

	"github.com/ismsdk/isms"
)

// remember returns what f computed for key earlier in this transaction
// when the transaction keeps a memo, and computes and keeps it otherwise.
// Only reads use it, so the answer cannot change within the transaction.
func remember[T any](tx *Tx, key string, f func() (T, error)) (T, error) {
	if tx.memo == nil {
		return f()
	}
	if v, ok := tx.memo[key]; ok {
		return v.(T), nil
	}
	v, err := f()
	if err == nil {
		tx.memo[key] = v
	}
	return v, err
}

// soaLines reads the SoA's lines, once per checklist for the whole list
// (rules 3.2 and 6.2 both read it).
func (tx *Tx) soaLines(orgID int64, env soaEnv, only int64, full bool) ([]*isms.SoAControl, error) {
	if only != 0 || full {
		return tx.readSoALines(orgID, env, only, full)
	}
	return remember(tx, fmt.Sprint("soaLines", orgID), func() ([]*isms.SoAControl, error) {
		return tx.readSoALines(orgID, env, only, full)
	})
}

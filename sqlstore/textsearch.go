package sqlstore

import (
	"strings"
	"unicode/utf8"
)

// A register's text search is a substring match: the rows whose text
// holds the words as typed, in any case. Both databases find the rows
// through a trigram index (migration 0150), so a search reads the rows
// that match, not the organisation's register:
//
//   - PostgreSQL's pg_trgm index serves the LIKE '%words%' itself;
//   - SQLite's FTS5 trigram table is asked first for the rows holding
//     the words, and the LIKE then keeps the matches it always kept (the
//     table folds case in full Unicode, the LIKE as the register always
//     did). Words of fewer than three characters have no trigram, so such
//     a search reads the register as before.
//
// The words are matched literally: % and _ are characters, not LIKE's
// wildcards.

// textSearch is the condition that a row matches the search q. texts are
// the SQL expressions searched (in lower case: q is lowered to meet them);
// on SQLite, index is the FTS5 table over the same texts, keyed by id.
//
// byIndex says that the condition asks SQLite's text index. The caller
// then writes its organisation's term as +x.organisation_id = ?, which
// keeps SQLite from using the term to pick an index: SQLite keeps no
// statistics (see RefreshStatistics), so it takes an equality on an index
// for a few rows, and would walk the organisation's whole register in the
// order of the sort, asking the text index about each row, where starting
// from the text index's matches reads only those. PostgreSQL weighs the
// two by its statistics, and starts from the text index when the words
// are rarer than the other conditions.
func textSearch(d Dialect, q, id, index string, texts ...string) (cond string, args []any, byIndex bool) {
	q = strings.ToLower(q)
	like := "%" + likeEscaper.Replace(q) + "%"
	var conds []string
	for _, t := range texts {
		conds = append(conds, t+` LIKE ? ESCAPE '\'`)
		args = append(args, like)
	}
	cond = "(" + strings.Join(conds, " OR ") + ")"
	if d == SQLite && utf8.RuneCountInString(q) >= 3 {
		// One phrase: the trigrams of q, one after another.
		cond = id + " IN (SELECT rowid FROM " + index + " WHERE " + index + " MATCH ?) AND " + cond
		args = append([]any{`"` + strings.ReplaceAll(q, `"`, `""`) + `"`}, args...)
		byIndex = true
	}
	return cond, args, byIndex
}

// likeEscaper makes LIKE's wildcards, and its escape, plain characters.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

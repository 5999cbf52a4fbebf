package sqlstore

import "strings"

// postgresDSN adds the product's session settings to a PostgreSQL URL,
// unless the URL sets them itself.
//
// jit=off: PostgreSQL compiles a query to machine code when its estimated
// cost passes jit_above_cost (100,000 by default). The product's queries
// are short and run once per request; over a large register some of them
// pass that estimate (checklist question 3.1 over 5,000 assets, the heat
// map over 20,000 risks) and compiling took 50–90 ms of a query that runs
// in 15 ms — more than the whole page should take. JIT pays off for long
// analytical queries, which the product does not run.
func postgresDSN(dsn string) string {
	if strings.Contains(dsn, "jit=") {
		return dsn
	}
	if strings.Contains(dsn, "?") {
		return dsn + "&jit=off"
	}
	return dsn + "?jit=off"
}

package loadgen_test

import (
	"context"
	"testing"

	"github.com/ismsdk/isms/loadgen"
	"github.com/ismsdk/isms/sqlstore"
)

// Checks of the elements that are not in the product yet; they fill in as
// the elements land.

func checkRisks(t *testing.T, db *sqlstore.DB, ctx context.Context, res *loadgen.Result, cfg loadgen.Config) {
}

func checkSoA(t *testing.T, db *sqlstore.DB, ctx context.Context, res *loadgen.Result) {}

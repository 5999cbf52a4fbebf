package sqlstore

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"testing"
)

// TestSoARiskPrintSameInSQLAndGo runs the SoA's risk print as SQL on both
// databases and as Go (soaPrintOf) over the same ids, including ids large
// enough that the products overflow 32 bits, so the two cannot drift. Ids
// stay below 3,474,613,177, above which id × soaMixMul leaves 64 bits and
// PostgreSQL refuses the query: far beyond any organisation's risks.
func TestSoARiskPrintSameInSQLAndGo(t *testing.T) {
	ids := []int64{1, 2, 3, 17, 65_537, 2_147_483_647, 3_000_000_000}
	want := soaPrintOf(ids)
	q := `SELECT COUNT(*), CAST(SUM(id) AS BIGINT), CAST(SUM((id * ` + strconv.Itoa(soaMixMul) + `) % ` + strconv.Itoa(soaMixMod) + `) AS BIGINT) FROM print_ids`
	check := func(t *testing.T, driver, dsn, create string) {
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		conn, err := db.Conn(ctx) // a temporary table lives on one connection
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, create); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if _, err := conn.ExecContext(ctx, "INSERT INTO print_ids (id) VALUES ("+strconv.FormatInt(id, 10)+")"); err != nil {
				t.Fatal(err)
			}
		}
		var got soaRiskPrint
		if err := conn.QueryRowContext(ctx, q).Scan(&got.count, &got.sum, &got.mix); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: SQL print %+v, Go print %+v", driver, got, want)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		check(t, "sqlite", ":memory:", "CREATE TEMP TABLE print_ids (id INTEGER NOT NULL)")
	})
	t.Run("postgres", func(t *testing.T) {
		url := os.Getenv("ISMS_TEST_POSTGRES")
		if url == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("ISMS_TEST_POSTGRES is not set; CI runs every store test on PostgreSQL")
			}
			t.Skip("ISMS_TEST_POSTGRES is not set")
		}
		check(t, "pgx", url, "CREATE TEMP TABLE print_ids (id BIGINT NOT NULL)")
	})
}

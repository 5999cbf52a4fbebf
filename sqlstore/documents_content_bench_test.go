package sqlstore_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// BenchmarkLargeFile stores and reads a 36 MiB file on each database:
// "store" is AddDocumentVersion of a file already spooled to a temporary
// file, which is how long the organisation's write lock (and on SQLite the
// single writer) is held for such an upload; "read" opens the content and
// reads it to the end, as a download does. -benchmem shows the memory each
// asks for, which does not grow with the file.
//
//	ISMS_TEST_POSTGRES=postgres://… go test -bench LargeFile -benchmem -run '^$' ./sqlstore/
func BenchmarkLargeFile(b *testing.B) {
	const size = 36 << 20
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var db *sqlstore.DB
			if dialect == "sqlite" {
				db = sqltest.OpenSQLite(b)
			} else {
				db = sqltest.OpenPostgres(b)
			}
			org, ctx := benchOrgFor(b, db)
			up := spool(b, bigPDF(size, 1))
			var docs []*isms.Document
			b.Run("store", func(b *testing.B) {
				b.SetBytes(size)
				for i := 0; b.Loop(); i++ {
					b.StopTimer()
					d, err := db.CreateDocument(ctx, org.ID, isms.DocumentInput{Kind: isms.DocProcedure, Title: fmt.Sprintf("Stor %d-%d", len(docs), i)})
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if _, err := db.AddDocumentVersion(ctx, org.ID, d.ID, isms.VersionInput{FileName: "Stor.pdf", File: up, Version: d.Version}); err != nil {
						b.Fatal(err)
					}
					docs = append(docs, d)
				}
			})
			b.Run("read", func(b *testing.B) {
				b.SetBytes(size)
				for i := 0; b.Loop(); i++ {
					c, err := db.DocumentContent(ctx, org.ID, docs[i%len(docs)].ID, 1)
					if err != nil {
						b.Fatal(err)
					}
					if n, err := io.Copy(io.Discard, c.Body); err != nil || n != size {
						b.Fatal(n, err)
					}
					c.Body.Close()
				}
			})
		})
	}
}

// benchOrgFor makes an organisation and its coordinator, acting as whom
// the benchmark works.
func benchOrgFor(b *testing.B, db *sqlstore.DB) (*isms.Organisation, context.Context) {
	o, err := db.CreateOrganisation(asSystem(), isms.OrganisationInput{Name: "Målekommune"})
	if err != nil {
		b.Fatal(err)
	}
	u, err := db.CreateUser(asSystem(), "maaler@bench.example", "Måler", "correct horse battery", false)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.AddMembership(asSystem(), o.ID, isms.MembershipInput{Email: u.Email, Role: isms.RoleCoordinator}); err != nil {
		b.Fatal(err)
	}
	return o, as(u)
}

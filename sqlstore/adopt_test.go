package sqlstore_test

import (
	"testing"

	"github.com/ismsdk/isms"
)

// A business-critical entry is an asset from the write that creates it,
// and its asset's copy of the name follows a rename in the same write; a
// read of the register writes nothing. AdoptAssets, the daily catch-up,
// adopts what an older version left for the register's first reading.
func TestAssetsAdoptedWhenEntriesChange(t *testing.T) {
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		w := newRiskWorld(t, db.DB)
		assets := func() int64 {
			return db.int(t, "SELECT COUNT(*) FROM assets WHERE organisation_id = ? AND entry_id IS NOT NULL", w.org.ID)
		}
		if n := assets(); n != 3 {
			t.Fatalf("%d assets after three entries were created", n)
		}
		in := isms.OverviewEntryInput{Kind: w.system.Kind, Name: "ESDH 2", Status: isms.StatusActive, Requirements: w.system.Requirements, Version: w.system.Version}
		if _, err := db.UpdateOverviewEntry(as(w.coord), w.org.ID, w.system.ID, in); err != nil {
			t.Fatal(err)
		}
		if n := db.int(t, "SELECT COUNT(*) FROM assets WHERE entry_id = ? AND name = 'ESDH 2'", w.system.ID); n != 1 {
			t.Fatal("the asset's copy of the name did not follow the rename")
		}
		// As an older version left it: an entry without its asset.
		db.exec(t, "DELETE FROM assets WHERE entry_id = ?", w.info.ID)
		if _, _, err := db.Assets(as(w.reader), w.org.ID, isms.AssetFilter{}); err != nil {
			t.Fatal(err)
		}
		if n := assets(); n != 2 {
			t.Fatalf("reading the register wrote: %d assets", n)
		}
		n, err := db.AdoptAssets(asSystem())
		if err != nil || n != 1 {
			t.Fatalf("AdoptAssets = %d, %v", n, err)
		}
		if n := assets(); n != 3 {
			t.Fatalf("%d assets after the catch-up", n)
		}
		if n, err := db.AdoptAssets(asSystem()); err != nil || n != 0 {
			t.Fatalf("second AdoptAssets = %d, %v", n, err)
		}
	})
}

package demo_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// The demo municipality's supplier register: the critical suppliers have
// their agreements, dependencies and outsourced controls; the ESDH
// vendor's two ISAE 3402 statements leave a gap and the second, with
// remarks, was followed up; the data centre's planned audit is overdue;
// and the next supervisions are on the annual wheel's calendar.
func TestFillRegistersSuppliersAndSupervision(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		reader := d.As(isms.RoleReader)
		sups, n, err := db.Suppliers(reader, d.Org.ID, isms.SupplierFilter{})
		if err != nil || n < 6 || n > 8 {
			t.Fatalf("suppliers %v %d", err, n)
		}
		byName := map[string]*isms.Supplier{}
		for _, s := range sups {
			byName[s.Name] = s
			if s.Criticality == isms.CriticalityCritical && (len(s.Dependencies) == 0 || len(s.Controls) == 0) {
				t.Errorf("%s: a critical supplier without dependencies or controls", s.Name)
			}
		}
		esdh := byName["Arkivo Sagssystemer A/S"]
		if esdh == nil {
			t.Fatal("no ESDH vendor")
		}
		svs, err := db.Supervisions(reader, d.Org.ID, esdh.ID)
		if err != nil || len(svs) != 2 {
			t.Fatalf("ESDH supervisions %v %d", err, len(svs))
		}
		if svs[0].Result != isms.ResultRemarks || len(svs[0].Findings) != 2 || !svs[0].FollowUpDone {
			t.Errorf("the statement with remarks %+v", svs[0])
		}
		if gaps := isms.StatementGaps(svs); len(gaps) != 1 {
			t.Errorf("gaps between the ESDH statements: %+v", gaps)
		}
		ags, err := db.SupplierAgreements(reader, d.Org.ID, esdh.ID)
		if err != nil || len(ags) != 2 {
			t.Fatalf("ESDH agreements %v %d", err, len(ags))
		}
		over, _, err := db.Suppliers(reader, d.Org.ID, isms.SupplierFilter{Overdue: true})
		if err != nil || len(over) != 1 || over[0].Name != "Nordhavn Datacenter ApS" {
			t.Fatalf("overdue %v %+v", err, over)
		}
		all, err := db.SupplierAgreements(reader, d.Org.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		expiring := 0
		for _, a := range all {
			if a.Expiring(d.Today) {
				expiring++
			}
		}
		if expiring == 0 {
			t.Error("no agreement is shown as expiring")
		}
		items, err := db.ScheduledItems(reader, d.Org.ID, d.Today, d.Today.AddDays(365))
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, it := range items {
			if it.Kind == "sup.schedule_supervision" {
				seen++
			}
		}
		if seen < 4 {
			t.Errorf("supervisions on the calendar: %d", seen)
		}
	})
}

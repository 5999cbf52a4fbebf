package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

var supTables = []string{"suppliers", "supplier_links", "supplier_agreements", "supplier_supervisions"}

func supInput(owner *int64, deps ...int64) isms.SupplierInput {
	return isms.SupplierInput{Name: "Nordhavn Hosting A/S", CVR: "DK 1234 5674", Contact: "drift@nordhavn.example", Delivers: "Drift af ESDH-serverne",
		Criticality: isms.CriticalityCritical, Status: isms.SupplierActive, OwnerID: owner, Dependencies: deps}
}

// A supplier is registered with its dependencies and controls, checked
// field by field with nothing written on refusal; its agreements and
// supervisions follow; the next supervision follows the criticality; the
// calendar and the audit trail see it; contributors edit only their own,
// readers only read, and another organisation sees nothing.
func TestSuppliersRegisterAndSupervision(t *testing.T) {
	t.Parallel()
	forEachRawDB(t, func(t *testing.T, db *rawDB) {
		f := newLeadFixture(t, db.DB, "Leverandor")
		ctx := as(f.coord)
		start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return start }
		control := db.int(t, "SELECT id FROM controls WHERE ref = '5.22' AND organisation_id IS NULL")

		good := supInput(&f.contrib.ID, f.system.ID, f.process.ID)
		good.Controls = []int64{control}
		unknown := int64(999999)
		for _, c := range []struct {
			name       string
			change     func(in *isms.SupplierInput)
			field, key string
		}{
			{"no name", func(in *isms.SupplierInput) { in.Name = " " }, "name", "err.required"},
			{"bad CVR check digit", func(in *isms.SupplierInput) { in.CVR = "12345678" }, "cvr", "sup.err.cvr"},
			{"CVR not digits", func(in *isms.SupplierInput) { in.CVR = "1234567A" }, "cvr", "sup.err.cvr"},
			{"bad criticality", func(in *isms.SupplierInput) { in.Criticality = "vital" }, "criticality", "err.choice"},
			{"bad status", func(in *isms.SupplierInput) { in.Status = "paused" }, "status", "err.choice"},
			{"active without owner", func(in *isms.SupplierInput) { in.OwnerID = nil }, "owner_id", "sup.err.owner_required"},
			{"owner not a member", func(in *isms.SupplierInput) { in.OwnerID = &f.outside.ID }, "owner_id", "err.not_member"},
			{"unknown entry", func(in *isms.SupplierInput) { in.Dependencies = []int64{unknown} }, "dependencies", "err.unknown_reference"},
			{"unknown control", func(in *isms.SupplierInput) { in.Controls = []int64{unknown} }, "controls", "err.unknown_reference"},
			{"unknown risk", func(in *isms.SupplierInput) { in.Risks = []int64{unknown} }, "risks", "err.unknown_reference"},
		} {
			in := good
			c.change(&in)
			leadUnchanged(t, db, f.org.ID, supTables, func() error {
				_, err := db.CreateSupplier(ctx, f.org.ID, in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		// A contributor may register a supplier only as its owner; a reader not at all.
		if _, err := db.CreateSupplier(as(f.contrib), f.org.ID, supInput(&f.coord.ID)); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("contributor registers another's supplier: %v", err)
		}
		if _, err := db.CreateSupplier(as(f.reader), f.org.ID, supInput(&f.reader.ID)); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader registers: %v", err)
		}
		s, err := db.CreateSupplier(as(f.contrib), f.org.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if s.CVR != "12345674" || len(s.Dependencies) != 2 || len(s.Controls) != 1 || s.Controls[0].Localised("en") != "5.22 Monitoring, review and change management of supplier services" {
			t.Fatalf("new supplier %+v", s)
		}
		// Never supervised, a critical supplier is due from the day it was registered.
		if s.NextSupervision == nil || s.NextSupervision.String() != "2026-03-01" {
			t.Fatalf("next supervision %v", s.NextSupervision)
		}

		// Agreements: checked, listed, expiring seen.
		leadUnchanged(t, db, f.org.ID, supTables, func() error {
			_, err := db.AddSupplierAgreement(ctx, f.org.ID, s.ID, isms.SupplierAgreementInput{Kind: isms.AgreementDPA, Title: "Databehandleraftale",
				StartsOn: dp("2026-01-01"), EndsOn: dp("2025-12-31")})
			return err
		}, func(err error) { leadWantField(t, err, "ends_on", "sup.err.ends_before_start") })
		if _, err := db.AddSupplierAgreement(as(f.reader), f.org.ID, s.ID, isms.SupplierAgreementInput{Kind: isms.AgreementContract, Title: "x"}); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("reader adds agreement: %v", err)
		}
		a, err := db.AddSupplierAgreement(as(f.contrib), f.org.ID, s.ID, isms.SupplierAgreementInput{Kind: isms.AgreementContract, Title: "Driftskontrakt",
			StartsOn: dp("2023-01-01"), EndsOn: dp("2026-05-01")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddSupplierAgreement(ctx, f.org.ID, s.ID, isms.SupplierAgreementInput{Kind: isms.AgreementDPA, Title: "Databehandleraftale",
			StartsOn: dp("2023-01-01"), ReviewOn: dp("2027-01-01")}); err != nil {
			t.Fatal(err)
		}
		ags, err := db.SupplierAgreements(as(f.reader), f.org.ID, s.ID)
		today := isms.DateOf(start)
		if err != nil || len(ags) != 2 || ags[0].ID != a.ID || !ags[0].Expiring(today) || ags[1].Expiring(today) {
			t.Fatalf("agreements %v %+v", err, ags)
		}

		// Supervisions: checked field by field.
		for _, c := range []struct {
			name       string
			in         isms.SupervisionInput
			field, key string
		}{
			{"bad method", isms.SupervisionInput{Method: "guess", PlannedOn: dp("2026-04-01")}, "method", "err.choice"},
			{"no planned day", isms.SupervisionInput{Method: isms.SupervisionAudit}, "planned_on", "err.required"},
			{"done without result", isms.SupervisionInput{Method: isms.SupervisionAudit, PlannedOn: dp("2026-02-01"), DoneOn: dp("2026-02-01")}, "result", "sup.err.result_required"},
			{"result before done", isms.SupervisionInput{Method: isms.SupervisionAudit, PlannedOn: dp("2026-02-01"), Result: isms.ResultSatisfactory}, "done_on", "sup.err.done_required"},
			{"half period", isms.SupervisionInput{Method: isms.SupervisionISAE3402, PlannedOn: dp("2026-02-01"), PeriodFrom: dp("2025-01-01")}, "period_to", "sup.err.period_whole"},
			{"period reversed", isms.SupervisionInput{Method: isms.SupervisionISAE3402, PlannedOn: dp("2026-02-01"), PeriodFrom: dp("2025-12-31"), PeriodTo: dp("2025-01-01")}, "period_to", "sup.err.period_order"},
			{"period without statement", isms.SupervisionInput{Method: isms.SupervisionAudit, PlannedOn: dp("2026-02-01"), PeriodFrom: dp("2025-01-01"), PeriodTo: dp("2025-12-31")}, "period_from", "sup.err.period_statement"},
			{"follow-up due without text", isms.SupervisionInput{Method: isms.SupervisionAudit, PlannedOn: dp("2026-02-01"), FollowUpDue: dp("2026-06-01")}, "follow_up", "sup.err.follow_up_required"},
		} {
			leadUnchanged(t, db, f.org.ID, supTables, func() error {
				_, err := db.CreateSupervision(ctx, f.org.ID, s.ID, c.in)
				return err
			}, func(err error) { leadWantField(t, err, c.field, c.key) })
		}
		// Two ISAE 3402 statements with a gap between their periods, the second with remarks.
		if _, err := db.CreateSupervision(as(f.contrib), f.org.ID, s.ID, isms.SupervisionInput{Method: isms.SupervisionISAE3402, PlannedOn: dp("2025-03-01"),
			DoneOn: dp("2025-03-10"), Result: isms.ResultSatisfactory, PeriodFrom: dp("2024-01-01"), PeriodTo: dp("2024-12-31")}); err != nil {
			t.Fatal(err)
		}
		v, err := db.CreateSupervision(as(f.contrib), f.org.ID, s.ID, isms.SupervisionInput{Method: isms.SupervisionISAE3402, PlannedOn: dp("2026-02-01"),
			DoneOn: dp("2026-02-10"), Result: isms.ResultRemarks, Findings: []string{"Logning af administratoradgang mangler\n", " ", "Backup-test ikke dokumenteret"},
			PeriodFrom: dp("2025-04-01"), PeriodTo: dp("2025-12-31"), FollowUp: "Bed om handlingsplan", FollowUpDue: dp("2026-04-15")})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Findings) != 2 || v.Findings[1] != "Backup-test ikke dokumenteret" {
			t.Fatalf("findings %q", v.Findings)
		}
		all, err := db.Supervisions(as(f.reader), f.org.ID, s.ID)
		if err != nil || len(all) != 2 {
			t.Fatalf("supervisions %v %d", err, len(all))
		}
		if gaps := isms.StatementGaps(all); len(gaps) != 1 || gaps[0].From.String() != "2025-01-01" || gaps[0].To.String() != "2025-03-31" {
			t.Fatalf("gaps %+v", gaps)
		}
		// The next supervision is a year after the last one done.
		if s, _ = db.Supplier(ctx, f.org.ID, s.ID); s.NextSupervision.String() != "2027-02-10" || s.SupervisionOverdue(today) {
			t.Fatalf("next %v", s.NextSupervision)
		}
		// The follow-up and the next supervision are on the calendar.
		items, err := db.ScheduledItems(as(f.reader), f.org.ID, mustDate("2026-01-01"), mustDate("2027-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]string{}
		for _, it := range items {
			if it.Evidence.RecordType == "supplier" || it.Evidence.RecordType == "supplier_supervision" {
				kinds[it.Kind] = it.Day.String()
			}
		}
		if kinds["sup.schedule_supervision"] != "2027-02-10" || kinds["sup.schedule_follow_up"] != "2026-04-15" {
			t.Fatalf("calendar %v", kinds)
		}
		// A planned supervision in the past makes the supplier overdue.
		if _, err := db.CreateSupervision(ctx, f.org.ID, s.ID, isms.SupervisionInput{Method: isms.SupervisionQuestionnaire, PlannedOn: dp("2026-02-20")}); err != nil {
			t.Fatal(err)
		}
		over, n, err := db.Suppliers(as(f.reader), f.org.ID, isms.SupplierFilter{Overdue: true})
		if err != nil || n != 1 || over[0].ID != s.ID {
			t.Fatalf("overdue %v %d", err, n)
		}
		if _, n, _ := db.Suppliers(as(f.reader), f.org.ID, isms.SupplierFilter{Criticality: isms.CriticalityLow}); n != 0 {
			t.Fatalf("low: %d", n)
		}
		// An update: stale versions refused; a contributor cannot give the supplier away.
		in := good
		in.Criticality, in.Version = isms.CriticalityHigh, s.Version
		if _, err := db.UpdateSupplier(as(f.contrib), f.org.ID, s.ID, func() isms.SupplierInput { x := in; x.OwnerID = &f.coord.ID; return x }()); isms.ErrorCode(err) != isms.EForbidden {
			t.Fatalf("contributor gives away: %v", err)
		}
		if s, err = db.UpdateSupplier(as(f.contrib), f.org.ID, s.ID, in); err != nil || s.Criticality != isms.CriticalityHigh {
			t.Fatal(err)
		}
		if _, err := db.UpdateSupplier(ctx, f.org.ID, s.ID, in); isms.ErrorCode(err) != isms.EConflict {
			t.Fatalf("stale update: %v", err)
		}

		// Another organisation sees nothing.
		g := newLeadFixture(t, db.DB, "Andenkommune")
		if _, err := db.Supplier(as(g.coord), f.org.ID, s.ID); err == nil {
			t.Fatal("another organisation's coordinator reads the supplier")
		}
		if _, err := db.Supplier(as(g.coord), g.org.ID, s.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("through own organisation: %v", err)
		}
		if _, err := db.Supervision(as(g.coord), g.org.ID, v.ID); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("supervision through own organisation: %v", err)
		}
		if _, err := db.CreateSupervision(as(g.coord), g.org.ID, s.ID, isms.SupervisionInput{Method: isms.SupervisionAudit, PlannedOn: dp("2026-05-01")}); isms.ErrorCode(err) != isms.ENotFound {
			t.Fatalf("supervision of another's supplier: %v", err)
		}
		if _, err := db.CreateSupplier(as(g.coord), g.org.ID, isms.SupplierInput{Name: "X", Criticality: isms.CriticalityLow, OwnerID: &g.coord.ID,
			Dependencies: []int64{f.system.ID}}); isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("link to another organisation's entry: %v", err)
		}

		// Deleting the supplier takes its agreements, supervisions and links, each audited.
		events := auditCount(t, db.DB, f.org.ID)
		if err := db.DeleteSupplier(as(f.contrib), f.org.ID, s.ID, s.Version); err != nil {
			t.Fatal(err)
		}
		for _, tb := range supTables {
			if n := db.int(t, "SELECT COUNT(*) FROM "+tb+" WHERE organisation_id = "+fmt.Sprint(f.org.ID)); n != 0 {
				t.Errorf("%s: %d rows left", tb, n)
			}
		}
		if n := auditCount(t, db.DB, f.org.ID); n != events+6 {
			t.Errorf("audit events for the delete: %d", n-events)
		}
	})
}

// Concurrent changes of the same version of a supplier: one wins, the
// others are told of the conflict, on both databases and two instances.
func TestSupplierConcurrentUpdates(t *testing.T) {
	t.Parallel()
	forEachInstances(t, func(t *testing.T, raw *rawDB, in instances) {
		f := newLeadFixture(t, raw.DB, "Samtidig"+in.name)
		s, err := raw.CreateSupplier(as(f.coord), f.org.ID, supInput(&f.coord.ID))
		if err != nil {
			t.Fatal(err)
		}
		errs := together(in, 6, func(i int, db *sqlstore.DB) error {
			x := supInput(&f.coord.ID)
			x.Note, x.Version = fmt.Sprint("skrevet af ", i), s.Version
			_, err := db.UpdateSupplier(as(f.coord), f.org.ID, s.ID, x)
			return err
		})
		if got := outcomes(errs); got[""] != 1 || got[isms.EConflict] != 5 {
			t.Fatalf("outcomes %v", got)
		}
		if cur, _ := raw.Supplier(as(f.coord), f.org.ID, s.ID); cur.Version != s.Version+1 {
			t.Fatalf("version %d", cur.Version)
		}
		wantIntactChain(t, raw.DB)
	})
}

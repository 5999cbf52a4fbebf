package demo

import (
	"fmt"
	"strings"

	"github.com/ismsdk/isms"
)

// Suppliers and their supervision (guide 2.9): Solbjerg Kommune's main
// suppliers — the ESDH vendor, the data centre, the payroll system, IT
// support, print and mail, cloud e-mail — each with its contract and data
// processing agreement, the systems, information and processes that depend
// on it, the Annex A controls it carries, and the supervision: ISAE 3402
// statements with their periods, one with remarks followed up, and one
// supervision overdue.

func init() { addStep(710, "suppliers and supervision", fillSuppliers) }

type demoAgreement struct {
	kind              isms.AgreementKind
	title             string
	start, end, renew int // days from today; 0 is none
}

type demoSupervision struct {
	method        isms.SupervisionMethod
	planned, done int // days from today; done 0 is not done
	result        isms.SupervisionResult
	from, to      int // an ISAE statement's period, days from today
	findings      []string
	followUp      string
	followUpDue   int
	followUpDone  bool
}

type demoSupplier struct {
	in           isms.SupplierInput
	owner        isms.Role
	entries      []string
	controls     []string // Annex A refs
	agreements   []demoAgreement
	supervisions []demoSupervision
}

var demoSuppliers = []demoSupplier{
	{owner: contributor, entries: []string{"sys.esdh", "info.journal", "proc.journal"}, controls: []string{"5.21", "8.13", "8.15"},
		in: isms.SupplierInput{Name: "Arkivo Sagssystemer A/S", CVR: "31245672", Contact: "Kundeservice, support@arkivo.example, 70 20 30 40",
			Delivers: "ESDH-systemet som SaaS: drift, vedligehold, backup og support.", Criticality: isms.CriticalityCritical},
		agreements: []demoAgreement{{isms.AgreementContract, "Driftsaftale om ESDH som SaaS", -1100, 360, 270},
			{isms.AgreementDPA, "Databehandleraftale ESDH (standardaftale)", -1100, 0, 60}},
		supervisions: []demoSupervision{
			{method: isms.SupervisionISAE3402, planned: -420, done: -400, result: isms.ResultSatisfactory, from: -850, to: -485},
			{method: isms.SupervisionISAE3402, planned: -60, done: -45, result: isms.ResultRemarks, from: -455, to: -90,
				findings: []string{"Periodisk gennemgang af privilegerede brugere er ikke dokumenteret for 2. halvår.", "Gendannelsestest af backup er kun udført én gang i perioden."},
				followUp: "Leverandøren sender handlingsplan; opfølgning på kvartalsmøde.", followUpDue: -10, followUpDone: true}}},
	{owner: administrator, entries: []string{"sys.fag", "sys.oekonomi", "sys.netvaerk"}, controls: []string{"7.5", "7.11", "8.14"},
		in: isms.SupplierInput{Name: "Nordhavn Datacenter ApS", CVR: "38112236", Contact: "Driftscenter, drift@nordhavn-dc.example",
			Delivers: "Hosting af kommunens servere i to datacentre, strøm, køling og fysisk sikring.", Criticality: isms.CriticalityCritical},
		agreements: []demoAgreement{{isms.AgreementContract, "Hostingkontrakt", -2000, 60, 0},
			{isms.AgreementDPA, "Databehandleraftale hosting", -2000, 0, 200}},
		supervisions: []demoSupervision{
			{method: isms.SupervisionISAE3402, planned: -380, done: -370, result: isms.ResultSatisfactory, from: -800, to: -435},
			{method: isms.SupervisionAudit, planned: -20, findings: nil}}},
	{owner: administrator, entries: []string{"sys.loen", "info.personale", "proc.loen"}, controls: []string{"5.34", "8.24"},
		in: isms.SupplierInput{Name: "Kommunale Lønsystemer I/S", Contact: "Fællesskabets servicedesk, loen@kl-systemer.example",
			Delivers: "Løn- og personalesystem drevet af kommunernes fællesskab.", Criticality: isms.CriticalityHigh},
		agreements: []demoAgreement{{isms.AgreementContract, "Tilslutningsaftale til lønsystemet", -3000, 0, 120},
			{isms.AgreementDPA, "Databehandleraftale løn", -3000, 0, 120}},
		supervisions: []demoSupervision{
			{method: isms.SupervisionISAE3000, planned: -200, done: -190, result: isms.ResultSatisfactory, from: -600, to: -235}}},
	{owner: administrator, entries: []string{"sys.netvaerk"}, controls: []string{"5.22", "8.8"},
		in: isms.SupplierInput{Name: "Solbjerg IT-Service ApS", CVR: "29876541", Contact: "Servicedesk, 86 00 11 22",
			Delivers: "Anden-linje support på klienter og netværk, patchning efter aftale.", Criticality: isms.CriticalityMedium},
		agreements: []demoAgreement{{isms.AgreementContract, "Serviceaftale om IT-support", -700, 30, 0}},
		supervisions: []demoSupervision{
			{method: isms.SupervisionQuestionnaire, planned: -500, done: -480, result: isms.ResultSatisfactory}}},
	{owner: coordinator, entries: []string{"info.cpr", "proc.borgerservice"}, controls: []string{"5.14"},
		in: isms.SupplierInput{Name: "Trykt & Sendt A/S", CVR: "25313763", Contact: "Ordrekontoret, ordre@trykt-sendt.example",
			Delivers: "Print, kuvertering og forsendelse af breve til borgere uden Digital Post.", Criticality: isms.CriticalityMedium},
		agreements: []demoAgreement{{isms.AgreementContract, "Rammeaftale om print og forsendelse", -400, 330, 0},
			{isms.AgreementDPA, "Databehandleraftale print og forsendelse", -400, 0, 0}}},
	{owner: administrator, entries: []string{"sys.m365", "info.sociale"}, controls: []string{"5.23", "8.12"},
		in: isms.SupplierInput{Name: "Skyhaven Cloud Nordic", Contact: "Partnerportal og aftalt forhandler",
			Delivers: "E-mail, samarbejde og fillagring i skyen.", Criticality: isms.CriticalityHigh},
		agreements: []demoAgreement{{isms.AgreementContract, "Licens- og abonnementsaftale", -900, 120, 90},
			{isms.AgreementDPA, "Databehandlertillæg (leverandørens standard)", -900, 0, 0}},
		supervisions: []demoSupervision{
			{method: isms.SupervisionISAE3402, planned: -300, done: -290, result: isms.ResultSatisfactory, from: -700, to: -335},
			{method: isms.SupervisionISAE3402, planned: 40}}},
	{owner: coordinator, entries: []string{"proc.borgerservice"},
		in: isms.SupplierInput{Name: "Kaffe og Kantine ApS", Contact: "kantine@kaffe.example",
			Delivers: "Kantinedrift på rådhuset; ingen adgang til kommunens systemer.", Criticality: isms.CriticalityLow, Status: isms.SupplierActive}},
}

func fillSuppliers(d *Demo) error {
	ctx := d.As(isms.RoleCoordinator)
	choices, err := d.DB.SupplierChoices(ctx, d.Org.ID)
	if err != nil {
		return err
	}
	controls := map[string]int64{}
	for _, c := range choices.Controls {
		ref, _, _ := strings.Cut(c.Label, " ")
		if _, ok := controls[ref]; !ok {
			controls[ref] = c.ID
		}
	}
	var supplierRisks []int64
	for _, r := range choices.Risks {
		if strings.Contains(strings.ToLower(r.Label), "leverandør") {
			supplierRisks = append(supplierRisks, r.ID)
		}
	}
	for i, s := range demoSuppliers {
		in := s.in
		in.OwnerID = d.UserID(s.owner)
		if in.Dependencies, err = d.EntryIDs(s.entries...); err != nil {
			return err
		}
		for _, ref := range s.controls {
			id, ok := controls[ref]
			if !ok {
				return fmt.Errorf("supplier %q: no control %s", in.Name, ref)
			}
			in.Controls = append(in.Controls, id)
		}
		if i < 2 && len(supplierRisks) > 0 {
			in.Risks = supplierRisks[:1]
		}
		sup, err := d.DB.CreateSupplier(ctx, d.Org.ID, in)
		if err != nil {
			return fmt.Errorf("supplier %q: %w", in.Name, err)
		}
		day := func(n int) *isms.Date {
			if n == 0 {
				return nil
			}
			return d.Day(n)
		}
		for _, a := range s.agreements {
			if _, err := d.DB.AddSupplierAgreement(ctx, d.Org.ID, sup.ID, isms.SupplierAgreementInput{Kind: a.kind, Title: a.title,
				StartsOn: day(a.start), EndsOn: day(a.end), ReviewOn: day(a.renew)}); err != nil {
				return fmt.Errorf("agreement %q: %w", a.title, err)
			}
		}
		for _, v := range s.supervisions {
			vin := isms.SupervisionInput{Method: v.method, PlannedOn: d.Day(v.planned), DoneOn: day(v.done), Result: v.result,
				Findings: v.findings, FollowUp: v.followUp, FollowUpDue: day(v.followUpDue), FollowUpDone: v.followUpDone}
			if v.from != 0 {
				vin.PeriodFrom, vin.PeriodTo = d.Day(v.from), d.Day(v.to)
			}
			if _, err := d.DB.CreateSupervision(ctx, d.Org.ID, sup.ID, vin); err != nil {
				return fmt.Errorf("supervision of %q: %w", in.Name, err)
			}
		}
	}
	return nil
}

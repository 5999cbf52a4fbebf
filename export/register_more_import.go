package export

import (
	"github.com/ismsdk/isms"
)

// Reading the registers a coordinator keeps in spreadsheets before the
// product: the asset list and the threat catalogue of the risk assessment
// (guide 2.3), the list of staff and their roles (guide 2.2), and the
// business overview's registers (guide 2.1). Each goes through the shared
// sheet reader (sheet_reader.go) with its own headings in Danish and
// English; the cells are returned as text for the store to check.

// Limits of an imported register of these kinds.
const (
	MoreSheetMaxBytes = 4 << 20
	MoreSheetMaxRows  = 5000
)

// The CIA headings every register with levels shares.
var levelHeadings = map[string]string{
	"confidentiality": "confidentiality", "fortrolighed": "confidentiality", "fortrolighedsbehov": "confidentiality",
	"kravtilfortrolighed": "confidentiality", "c": "confidentiality", "f": "confidentiality", "k": "confidentiality",
	"konfidentialitet": "confidentiality", "needconfidentiality": "confidentiality", "confidentialityneed": "confidentiality",
	"integrity": "integrity", "integritet": "integrity", "integritetsbehov": "integrity", "kravtilintegritet": "integrity", "i": "integrity",
	"needintegrity": "integrity", "integrityneed": "integrity", "uændrethed": "integrity",
	"availability": "availability", "tilgængelighed": "availability", "tilgængelighedsbehov": "availability", "a": "availability",
	"t": "availability", "kravtiltilgængelighed": "availability", "needavailability": "availability", "availabilityneed": "availability",
	"oppetid": "availability",
}

var ownerHeadings = map[string]string{
	"owner": "owner", "ejer": "owner", "owneremail": "owner", "ejeremail": "owner", "ansvarlig": "owner", "ansvarligemail": "owner",
	"systemejer": "owner", "aktivejer": "owner", "assetowner": "owner", "forretningsejer": "owner", "businessowner": "owner",
	"procesejer": "owner", "processowner": "owner", "dataejer": "owner", "informationsejer": "owner", "dataowner": "owner",
	"systemowner": "owner", "ansvarligperson": "owner", "responsible": "owner", "ejerskab": "owner",
}

var statusHeadings = map[string]string{"status": "status", "state": "status", "tilstand": "status", "stade": "status"}

var descriptionHeadings = map[string]string{
	"description": "description", "beskrivelse": "description", "detaljer": "description", "details": "description",
	"uddybning": "description", "formål": "description", "purpose": "description", "bemærkning": "description",
	"bemærkninger": "description", "note": "description", "noter": "description", "notes": "description", "kommentar": "description",
	"comment": "description", "comments": "description",
}

// merged is a heading map of its own and the shared ones.
func merged(own map[string]string, shared ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range shared {
		for k, v := range m {
			out[k] = v
		}
	}
	for k, v := range own {
		out[k] = v
	}
	return out
}

// The asset list.

var assetHeadings = merged(map[string]string{
	"name": "name", "navn": "name", "aktiv": "name", "aktivnavn": "name", "asset": "name", "assetname": "name",
	"informationsaktiv": "name", "aktiver": "name", "assets": "name", "betegnelse": "name", "aktivets navn": "name",

	"kind": "kind", "type": "kind", "aktivtype": "kind", "assettype": "kind", "kategori": "kind", "category": "kind", "art": "kind",
	"assetkind": "kind", "aktivkategori": "kind", "assetcategory": "kind", "klasse": "kind",

	"criticality": "criticality", "kritikalitet": "criticality", "kritiskhed": "criticality", "vigtighed": "criticality",
	"forretningskritikalitet": "criticality", "businesscriticality": "criticality", "værdi": "criticality", "value": "criticality",
	"assetvalue": "criticality", "aktivværdi": "criticality",

	"supports": "supports", "understøtter": "supports", "primæraktiver": "supports", "primaryassets": "supports",
	"bruges af": "supports", "brugesaf": "supports", "usedby": "supports", "supportedassets": "supports", "understøtteraktiver": "supports",
}, levelHeadings, ownerHeadings, statusHeadings, descriptionHeadings)

// AssetHeadingField is the field an asset list's heading fills, "" when
// not recognised.
func AssetHeadingField(h string) string { return assetHeadings[NormalizeImportHeading(h)] }

var assetSpec = sheetSpec{maxBytes: MoreSheetMaxBytes, maxRows: MoreSheetMaxRows, field: AssetHeadingField,
	isHeader: func(f map[string]bool) bool {
		return f["name"] && (f["kind"] || f["owner"] || f["criticality"] || f["confidentiality"] || f["description"])
	}, errFamily: "rimp"}

// ReadAssets reads an asset list from an XLSX or CSV file.
func ReadAssets(filename string, data []byte) (*isms.RegisterSheet, error) {
	return readRegister(isms.ImportAssets, assetSpec, filename, data)
}

var assetExportHeadings = map[string][2]string{
	"name": {"Aktiv", "Asset"}, "kind": {"Type", "Type"}, "description": {"Beskrivelse", "Description"}, "owner": {"Ejer", "Owner"},
	"status": {"Status", "Status"}, "criticality": {"Kritikalitet (1-4)", "Criticality (1-4)"},
	"confidentiality": {"Fortrolighed (1-4)", "Confidentiality (1-4)"}, "integrity": {"Integritet (1-4)", "Integrity (1-4)"},
	"availability": {"Tilgængelighed (1-4)", "Availability (1-4)"}, "supports": {"Understøtter", "Supports"},
}

// The threat catalogue.

var threatHeadings = merged(map[string]string{
	"name": "name", "navn": "name", "trussel": "name", "threat": "name", "threatname": "name", "trusselsnavn": "name",
	"trusler": "name", "threats": "name", "navndansk": "name", "danskNavn": "name", "dansknavn": "name", "trusseldansk": "name",
	"trusselsbeskrivelse": "description",

	"nameen": "name_en", "engelsknavn": "name_en", "englishname": "name_en", "nameenglish": "name_en", "navnengelsk": "name_en",
	"trusselengelsk": "name_en", "threatenglish": "name_en",

	"group": "group", "gruppe": "group", "trusselsgruppe": "group", "threatgroup": "group", "kategori": "group", "category": "group",
	"type": "group", "trusseltype": "group", "threattype": "group", "kilde": "group", "source": "group", "trusselskilde": "group",
	"threatsource": "group",

	"descriptionen": "description_en", "engelskbeskrivelse": "description_en", "englishdescription": "description_en",
	"beskrivelseengelsk": "description_en", "descriptionenglish": "description_en",

	"affects": "affects", "rammer": "affects", "påvirker": "affects", "cia": "affects", "fit": "affects", "kit": "affects",
	"affectedproperties": "affects", "berørteegenskaber": "affects", "sikkerhedsegenskaber": "affects", "securityproperties": "affects",
	"rammerfit": "affects", "påvirkerfit": "affects", "affectscia": "affects",

	"assetkinds": "asset_kinds", "aktivtyper": "asset_kinds", "aktivtype": "asset_kinds", "assettypes": "asset_kinds",
	"assettype": "asset_kinds", "gælderfor": "asset_kinds", "appliesto": "asset_kinds", "relevantfor": "asset_kinds",

	"catalogue": "catalogue", "katalog": "catalogue", "trusselskatalog": "catalogue", "threatcatalogue": "catalogue",
	"catalog": "catalogue", "threatcatalog": "catalogue",
}, statusHeadings, descriptionHeadings)

// ThreatHeadingField is the field a threat catalogue's heading fills.
func ThreatHeadingField(h string) string { return threatHeadings[NormalizeImportHeading(h)] }

var threatSpec = sheetSpec{maxBytes: MoreSheetMaxBytes, maxRows: MoreSheetMaxRows, field: ThreatHeadingField,
	isHeader: func(f map[string]bool) bool {
		return f["name"] && (f["group"] || f["affects"] || f["description"] || f["name_en"] || f["asset_kinds"])
	}, errFamily: "rimp"}

// ReadThreats reads a threat catalogue from an XLSX or CSV file.
func ReadThreats(filename string, data []byte) (*isms.RegisterSheet, error) {
	return readRegister(isms.ImportThreats, threatSpec, filename, data)
}

var threatExportHeadings = map[string][2]string{
	"name": {"Trussel", "Threat"}, "name_en": {"Engelsk navn", "English name"}, "group": {"Gruppe", "Group"},
	"description": {"Beskrivelse", "Description"}, "description_en": {"Engelsk beskrivelse", "English description"},
	"affects": {"Rammer (F/I/T)", "Affects (C/I/A)"}, "asset_kinds": {"Aktivtyper", "Asset kinds"}, "status": {"Status", "Status"},
	"catalogue": {"Katalog", "Catalogue"},
}

// The members and their roles.

var memberHeadings = map[string]string{
	"email": "email", "e-mail": "email", "mail": "email", "emailadresse": "email", "mailadresse": "email", "emailaddress": "email",
	"epost": "email", "login": "email", "brugernavn": "email", "username": "email", "arbejdsmail": "email", "workemail": "email",

	"name": "name", "navn": "name", "fuldtnavn": "name", "fullname": "name", "medarbejder": "name", "employee": "name",
	"person": "name", "medlem": "name", "member": "name", "medarbejdernavn": "name", "initialer": "", "staff": "name",

	"role": "role", "rolle": "role", "ismsrolle": "role", "rolleiisms": "role", "rolleiismset": "role", "roleintheisms": "role",
	"ismsrole": "role", "adgang": "role", "access": "role", "adgangsniveau": "role", "accesslevel": "role", "rettighed": "role",
	"rettigheder": "role", "permissions": "role", "brugerrolle": "role", "userrole": "role", "medlemsrolle": "role",

	"securityroles": "security_roles", "sikkerhedsroller": "security_roles", "sikkerhedsrolle": "security_roles",
	"securityrole": "security_roles", "funktion": "security_roles", "funktioner": "security_roles", "ansvarsområde": "security_roles",
	"ansvarsområder": "security_roles", "roller": "security_roles", "roles": "security_roles", "stilling": "security_roles",
	"title": "security_roles", "titel": "security_roles", "jobtitle": "security_roles", "informationssikkerhedsroller": "security_roles",
	"ansvar": "security_roles", "responsibilities": "security_roles", "holder": "security_roles", "indehaver": "security_roles",

	"deputyroles": "deputy_roles", "deputyfor": "deputy_roles", "stedfortræderfor": "deputy_roles", "stedfortræder": "deputy_roles",
	"deputy": "deputy_roles", "suppleant": "deputy_roles", "backup": "deputy_roles", "stedfortræderroller": "deputy_roles",
}

// MemberHeadingField is the field a list of members' heading fills.
func MemberHeadingField(h string) string { return memberHeadings[NormalizeImportHeading(h)] }

var memberSpec = sheetSpec{maxBytes: MoreSheetMaxBytes, maxRows: MoreSheetMaxRows, field: MemberHeadingField,
	isHeader: func(f map[string]bool) bool {
		return f["email"] && (f["name"] || f["role"] || f["security_roles"] || f["deputy_roles"])
	}, errFamily: "rimp"}

// ReadMembers reads a list of people and their roles from an XLSX or CSV
// file.
func ReadMembers(filename string, data []byte) (*isms.RegisterSheet, error) {
	return readRegister(isms.ImportMembers, memberSpec, filename, data)
}

var memberExportHeadings = map[string][2]string{
	"email": {"E-mail", "E-mail"}, "name": {"Navn", "Name"}, "role": {"Rolle i ISMS'et", "Role in the ISMS"},
	"security_roles": {"Sikkerhedsroller", "Security roles"}, "deputy_roles": {"Stedfortræder for", "Deputy for"},
}

// The business overview.

var overviewHeadings = merged(map[string]string{
	"kind": "kind", "register": "kind", "type": "kind", "art": "kind", "posttype": "kind", "entrykind": "kind", "entrytype": "kind",
	"område": "kind", "area": "kind", "oversigt": "kind", "registertype": "kind",

	"name": "name", "navn": "name", "betegnelse": "name", "titel": "name", "title": "name", "post": "name", "entry": "name",
	// A register of one kind names its entries by what they are.
	"proces": "name", "processer": "name", "process": "name", "processes": "name", "arbejdsgang": "name", "forretningsproces": "name",
	"businessprocess": "name", "system": "name", "systemer": "name", "itsystem": "name", "itsystemer": "name", "systemnavn": "name",
	"systems": "name", "itsystems": "name", "information": "name", "informationer": "name", "informationstype": "name",
	"informationtype": "name", "data": "name", "datatype": "name", "kompetence": "name", "kompetencer": "name", "competence": "name",
	"competences": "name", "interessent": "name", "interessenter": "name", "stakeholder": "name", "stakeholders": "name",
	"lov": "name", "lovkrav": "name", "forhold": "name", "eksterntforhold": "name", "externalfactor": "name",

	"category": "category", "kategori": "category", "faktortype": "category", "factorcategory": "category", "kravtype": "category",

	"nextreview": "next_review", "næstegennemgang": "next_review", "gennemgås": "next_review", "reviewdate": "next_review",
	"revisionsdato": "next_review", "næsterevision": "next_review", "reviewed": "next_review", "nextreviewdate": "next_review",
	"genbesøges": "next_review", "opfølgningsdato": "next_review",

	"requirements": "requirements", "krav": "requirements", "kravbegrundet": "requirements", "begrundelse": "requirements",
	"kravtekst": "requirements", "requirementsinwords": "requirements", "requirementtext": "requirements", "reasoning": "requirements",
	"sikkerhedskrav": "requirements", "securityrequirements": "requirements",
}, levelHeadings, ownerHeadings, statusHeadings, descriptionHeadings)

// overviewImpliedKinds are headings of the name column that say which
// register every row is in ("IT-system" over a list of systems).
var overviewImpliedKinds = map[string]isms.EntryKind{
	"proces": isms.KindProcess, "processer": isms.KindProcess, "process": isms.KindProcess, "processes": isms.KindProcess,
	"arbejdsgang": isms.KindProcess, "forretningsproces": isms.KindProcess, "businessprocess": isms.KindProcess,
	"system": isms.KindSystem, "systemer": isms.KindSystem, "itsystem": isms.KindSystem, "itsystemer": isms.KindSystem,
	"systemnavn": isms.KindSystem, "systems": isms.KindSystem, "itsystems": isms.KindSystem,
	"information": isms.KindInformation, "informationer": isms.KindInformation, "informationstype": isms.KindInformation,
	"informationtype": isms.KindInformation, "data": isms.KindInformation, "datatype": isms.KindInformation,
	"kompetence": isms.KindCompetence, "kompetencer": isms.KindCompetence, "competence": isms.KindCompetence,
	"competences": isms.KindCompetence, "lov": isms.KindExternalFactor, "lovkrav": isms.KindExternalFactor,
	"eksterntforhold": isms.KindExternalFactor, "externalfactor": isms.KindExternalFactor,
}

// OverviewHeadingField is the field a business overview's heading fills.
func OverviewHeadingField(h string) string { return overviewHeadings[NormalizeImportHeading(h)] }

var overviewSpec = sheetSpec{maxBytes: MoreSheetMaxBytes, maxRows: MoreSheetMaxRows, field: OverviewHeadingField,
	isHeader: func(f map[string]bool) bool {
		return f["name"] && (f["kind"] || f["owner"] || f["description"] || f["confidentiality"] || f["next_review"] || f["category"])
	}, errFamily: "rimp"}

// ReadOverview reads entries of the business overview from an XLSX or CSV
// file: a sheet of several registers with a column naming each row's, or
// one register's sheet whose name column says which ("IT-system").
func ReadOverview(filename string, data []byte) (*isms.RegisterSheet, error) {
	s, err := readRegister(isms.ImportOverview, overviewSpec, filename, data)
	if err != nil {
		return nil, err
	}
	return overviewImplied(s), nil
}

// overviewImplied gives each row of a sheet without a register column the
// register its name column's heading names.
func overviewImplied(s *isms.RegisterSheet) *isms.RegisterSheet {
	if s.Has("kind") {
		return s
	}
	for _, c := range s.Columns {
		if k, ok := overviewImpliedKinds[NormalizeImportHeading(c.Header)]; ok && c.Field == "name" {
			for _, r := range s.Rows {
				r.Cells["kind"] = string(k)
			}
		}
	}
	return s
}

var overviewExportHeadings = map[string][2]string{
	"kind": {"Register", "Register"}, "name": {"Navn", "Name"}, "category": {"Kategori", "Category"},
	"description": {"Beskrivelse", "Description"}, "owner": {"Ejer", "Owner"}, "status": {"Status", "Status"},
	"next_review": {"Næste gennemgang", "Next review"}, "confidentiality": {"Fortrolighed (1-4)", "Confidentiality (1-4)"},
	"integrity": {"Integritet (1-4)", "Integrity (1-4)"}, "availability": {"Tilgængelighed (1-4)", "Availability (1-4)"},
	"requirements": {"Krav begrundet", "Requirements in words"},
}

// registerKind is what the pages and the API need of a register's file.
type registerKind struct {
	fields   []string
	headings map[string][2]string
	maxBytes int
	maxRows  int
	read     func(filename string, data []byte) (*isms.RegisterSheet, error)
}

var registerKinds = map[string]registerKind{
	isms.ImportSuppliers: {isms.SupplierSheetFields, supplierExportHeadings, SupplierSheetMaxBytes, SupplierSheetMaxRows, ReadSuppliers},
	isms.ImportIncidents: {isms.IncidentSheetFields, incidentExportHeadings, IncidentSheetMaxBytes, IncidentSheetMaxRows, ReadIncidents},
	isms.ImportAssets:    {isms.AssetSheetFields, assetExportHeadings, MoreSheetMaxBytes, MoreSheetMaxRows, ReadAssets},
	isms.ImportThreats:   {isms.ThreatSheetFields, threatExportHeadings, MoreSheetMaxBytes, MoreSheetMaxRows, ReadThreats},
	isms.ImportMembers:   {isms.MemberSheetFields, memberExportHeadings, MoreSheetMaxBytes, MoreSheetMaxRows, ReadMembers},
	isms.ImportOverview:  {isms.OverviewSheetFields, overviewExportHeadings, MoreSheetMaxBytes, MoreSheetMaxRows, ReadOverview},
}

func registerKindOf(kind string) registerKind {
	if k, ok := registerKinds[kind]; ok {
		return k
	}
	return registerKinds[isms.ImportSuppliers]
}

// RegisterSheetFields are the fields of a register's file.
func RegisterSheetFields(kind string) []string { return registerKindOf(kind).fields }

// RegisterHeading is the heading of a register's field in a language; the
// register's reader recognises every one of them, so an export written
// with them imports again.
func RegisterHeading(kind, field, lang string) string {
	return registerHeading(registerKindOf(kind).headings, field, lang)
}

// RegisterMaxBytes is the largest file a register's import reads.
func RegisterMaxBytes(kind string) int { return registerKindOf(kind).maxBytes }

// RegisterMaxRows is the most data rows a register's file may have.
func RegisterMaxRows(kind string) int { return registerKindOf(kind).maxRows }

// ReadRegister reads a register's file.
func ReadRegister(kind, filename string, data []byte) (*isms.RegisterSheet, error) {
	return registerKindOf(kind).read(filename, data)
}

// registerSpecs are the registers' readers, for reading with a mapping.
var registerSpecs = map[string]sheetSpec{isms.ImportSuppliers: supplierSpec, isms.ImportIncidents: incidentSpec,
	isms.ImportAssets: assetSpec, isms.ImportThreats: threatSpec, isms.ImportMembers: memberSpec, isms.ImportOverview: overviewSpec}

// ReadRegisterMapped reads a register's file with a saved mapping's
// choice of fields for its headings (nil reads as ReadRegister does).
func ReadRegisterMapped(kind, filename string, data []byte, m *isms.ImportMapping) (*isms.RegisterSheet, error) {
	sp, ok := registerSpecs[kind]
	if !ok || m == nil {
		return ReadRegister(kind, filename, data)
	}
	s, err := readRegisterMapped(kind, sp, filename, data, m)
	if err != nil || kind != isms.ImportOverview {
		return s, err
	}
	return overviewImplied(s), nil
}

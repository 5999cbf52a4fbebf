package demo

import "github.com/ismsdk/isms"

// The business overview (guide 2.1): Solbjerg Kommune's critical
// information, systems, processes and competences, its internal and
// external stakeholders and the external factors it must respect, each
// with what it requires of confidentiality, integrity and availability.
// Entries are listed so that links point to entries made before them.

func init() { addStep(100, "business overview", fillOverview) }

func fillOverview(d *Demo) error {
	for _, s := range overviewEntries {
		if err := d.addEntry(s); err != nil {
			return err
		}
	}
	return nil
}

const (
	coordinator   = isms.RoleCoordinator
	contributor   = isms.RoleContributor
	management    = isms.RoleManagement
	administrator = isms.RoleAdministrator
)

var overviewEntries = []entrySpec{
	// Forretningskritiske informationer.
	{key: "info.cpr", kind: isms.KindInformation, name: "CPR-data og stamoplysninger om borgere", owner: coordinator, review: 120,
		c: 4, i: 4, a: 3,
		description: "Navn, adresse, CPR-nummer, civilstand og familierelationer for kommunens borgere, hentet fra CPR-registeret og brugt i næsten al sagsbehandling og borgerbetjening.",
		req: `Fortrolighed: meget høj. CPR-nummeret er fortroligt efter databeskyttelsesloven § 11, og misbrug kan føre til identitetstyveri.
Integritet: meget høj. Forkerte stamdata giver forkerte afgørelser, breve til forkerte modtagere og fejl i udbetalinger.
Tilgængelighed: høj. Sagsbehandling og borgerservice står stille uden opslag, men kan klare et afbrud på nogle timer.`},
	{key: "info.helbred", kind: isms.KindInformation, name: "Helbreds- og sundhedsoplysninger", owner: coordinator, review: 120,
		c: 4, i: 4, a: 2,
		description: "Oplysninger om borgeres helbred, handicap, misbrug og behandling i sager om sygedagpenge, hjælpemidler, hjemmepleje, rehabilitering og beskæftigelsesindsats.",
		req: `Fortrolighed: meget høj. Følsomme oplysninger efter databeskyttelsesforordningens artikel 9; et brud rammer borgerne hårdt og skal anmeldes.
Integritet: meget høj. Afgørelser om ydelser og pleje bygger direkte på oplysningerne.
Tilgængelighed: middel. Oplysningerne bruges i planlagt sagsbehandling; hjemmeplejens akutte behov dækkes af plejeplanen i fagsystemet.`},
	{key: "info.sociale", kind: isms.KindInformation, name: "Sagsakter i børne-, unge- og voksensager", owner: coordinator, review: 150,
		c: 4, i: 4, a: 3,
		description: "Underretninger, børnefaglige undersøgelser, handleplaner, afgørelser og korrespondance i sager efter serviceloven og barnets lov.",
		req: `Fortrolighed: meget høj. Oplysninger om strafbare forhold, sociale problemer og børns forhold er særligt beskyttede.
Integritet: meget høj. Sagens akter skal være fuldstændige og uændrede af hensyn til retssikkerhed og klageadgang.
Tilgængelighed: høj. Underretninger skal vurderes inden for 24 timer.`},
	{key: "info.oekonomi", kind: isms.KindInformation, name: "Økonomi- og betalingsoplysninger", owner: coordinator, review: 90,
		c: 3, i: 4, a: 3,
		description: "Kommunens bogføring, budget og regnskab, kreditor- og debitoroplysninger samt borgeres og virksomheders NemKonto-oplysninger til udbetalinger.",
		req: `Fortrolighed: høj. Kontooplysninger og borgeres økonomiske forhold må kun ses af dem, der skal bruge dem.
Integritet: meget høj. En ændret kontooplysning eller faktura kan sende penge til en forkert modtager (fakturasvindel, CEO-svindel).
Tilgængelighed: høj. Udbetalinger har faste frister; et afbrud ud over en arbejdsdag giver forsinkede ydelser.`},
	{key: "info.personale", kind: isms.KindInformation, name: "Personale- og lønoplysninger", owner: administrator, review: 180,
		c: 3, i: 3, a: 2,
		description: "Ansættelsesforhold, løn, fravær, sygesamtaler og personalesager for kommunens ca. 4.200 medarbejdere.",
		req: `Fortrolighed: høj. Personalesager og fravær indeholder følsomme oplysninger om medarbejderne.
Integritet: høj. Lønnen skal være korrekt.
Tilgængelighed: middel. Lønkørslen er månedlig og kan flyttes nogle dage.`},
	{key: "info.journal", kind: isms.KindInformation, name: "Journaliserede dokumenter og afgørelser", owner: coordinator, review: 200,
		c: 3, i: 4, a: 2,
		description: "Kommunens journaliserede sager, dokumenter og afgørelser på tværs af forvaltningerne, herunder dem der skal bevares og afleveres til arkiv.",
		req: `Fortrolighed: høj. Mange sager indeholder personoplysninger og tavshedsbelagte oplysninger.
Integritet: meget høj. Journalen er dokumentation for myndighedsudøvelsen og skal kunne danne grundlag for aktindsigt og arkivering.
Tilgængelighed: middel. Der kan arbejdes videre i fagsystemerne ved kortere afbrud.`},

	// Forretningskritiske IT-systemer.
	{key: "sys.esdh", kind: isms.KindSystem, name: "ESDH-system (elektronisk sags- og dokumenthåndtering)", owner: contributor, review: 100,
		c: 4, i: 4, a: 3, links: []string{"info.journal", "info.cpr", "info.sociale"},
		description: "Fælles sags- og dokumentsystem for alle forvaltninger: journalisering, sagsforløb, skabeloner og aktindsigt. Driftes som cloudløsning hos leverandøren.",
		req: `Fortrolighed: meget høj, fordi systemet rummer sagsakter med følsomme oplysninger; adgang styres efter sagsområde og logges.
Integritet: meget høj; journalen må ikke kunne ændres uden spor.
Tilgængelighed: høj; leverandøren garanterer 99,5 % oppetid i åbningstiden.`},
	{key: "sys.fag", kind: isms.KindSystem, name: "Fagsystem for sociale ydelser og beskæftigelse", owner: contributor, review: 100,
		c: 4, i: 4, a: 3, links: []string{"info.cpr", "info.helbred", "info.sociale", "info.oekonomi"},
		description: "Fælleskommunale fagsystemer til kontanthjælp, sygedagpenge, boligstøtte-sager, hjælpemidler og børne- og ungeområdet, integreret med CPR, Ydelsesindeks og økonomisystemet.",
		req: `Fortrolighed: meget høj (følsomme personoplysninger).
Integritet: meget høj; beregninger og afgørelser skal være korrekte og sporbare.
Tilgængelighed: høj; udbetalingskørsler har faste datoer.`},
	{key: "sys.oekonomi", kind: isms.KindSystem, name: "Økonomisystem", owner: contributor, review: 90,
		c: 3, i: 4, a: 4, links: []string{"info.oekonomi"},
		description: "Bogføring, budget, kreditor- og debitorstyring og betalinger via NemKonto. Driftes hos leverandør.",
		req: `Fortrolighed: høj.
Integritet: meget høj; ændring af kreditoroplysninger kræver to personer (funktionsadskillelse).
Tilgængelighed: meget høj omkring betalingsdatoer og regnskabsafslutning.`},
	{key: "sys.loen", kind: isms.KindSystem, name: "Løn- og personalesystem", owner: administrator, review: 180,
		c: 3, i: 4, a: 3, links: []string{"info.personale", "info.oekonomi"},
		description: "Løn, ansættelser, fravær og personaleadministration.",
		req:         `Fortrolighed: høj. Integritet: meget høj, fordi lønnen skal være korrekt. Tilgængelighed: høj i ugen op til lønkørslen.`},
	{key: "sys.m365", kind: isms.KindSystem, name: "Microsoft 365 (e-mail, Teams, OneDrive og SharePoint)", owner: administrator, review: 60,
		c: 3, i: 3, a: 3, links: []string{"info.personale", "info.journal"},
		description: "Kommunens e-mail, møder, samarbejde og fildeling for alle medarbejdere. Data ligger i EU-datacentre.",
		req: `Fortrolighed: høj; e-mail og filer kan indeholde personoplysninger, derfor krypteret mail og klassificering.
Integritet: høj; beskyttelse mod phishing og kompromitterede konti (MFA).
Tilgængelighed: høj; e-mail og Teams er den daglige kommunikationskanal.`},
	{key: "sys.borger", kind: isms.KindSystem, name: "Selvbetjening, MitID-login og Digital Post", owner: contributor, review: 150,
		c: 3, i: 4, a: 3, links: []string{"info.cpr"},
		description: "Kommunens selvbetjeningsløsninger på hjemmesiden, login med MitID og afsendelse og modtagelse af breve via Digital Post.",
		req: `Fortrolighed: høj. Integritet: meget høj; borgeren skal kunne stole på, at ansøgninger og breve kommer uændret frem.
Tilgængelighed: høj; selvbetjening er den primære indgang for borgerne.`},
	{key: "sys.netvaerk", kind: isms.KindSystem, name: "Netværk, identitetsstyring og klienter", owner: administrator, review: 60,
		c: 3, i: 4, a: 4,
		description: "Kommunens netværk, firewalls, brugerkatalog og adgangsstyring, pc'er og mobile enheder.",
		req: `Alle andre systemer afhænger af netværk og identiteter.
Fortrolighed: høj. Integritet: meget høj; en kompromitteret administratorkonto giver adgang til alt.
Tilgængelighed: meget høj.`},

	// Forretningskritiske processer.
	{key: "proc.ydelser", kind: isms.KindProcess, name: "Sagsbehandling af sociale ydelser", owner: coordinator, review: 150,
		c: 4, i: 4, a: 3, links: []string{"info.cpr", "info.helbred", "info.sociale", "sys.fag", "sys.esdh"},
		description: "Modtagelse, oplysning og afgørelse af ansøgninger om fx kontanthjælp, sygedagpenge, hjælpemidler og enkeltydelser efter aktivloven, sygedagpengeloven og serviceloven.",
		req:         `Processen behandler følsomme oplysninger (fortrolighed meget høj), afgørelserne skal være korrekte og kunne efterprøves (integritet meget høj), og borgerne venter på svar inden for lovens frister (tilgængelighed høj).`},
	{key: "proc.udbetaling", kind: isms.KindProcess, name: "Udbetaling af ydelser og betaling af regninger", owner: coordinator, review: 90,
		c: 3, i: 4, a: 4, links: []string{"info.oekonomi", "info.cpr", "sys.oekonomi", "sys.fag"},
		description: "Beregning og udbetaling af ydelser til borgere via NemKonto samt betaling af kreditorfakturaer.",
		req:         `Integritet: meget høj, fordi fejl eller svindel flytter penge. Tilgængelighed: meget høj, fordi borgerne er afhængige af ydelsen på udbetalingsdagen. Fortrolighed: høj.`},
	{key: "proc.borgerservice", kind: isms.KindProcess, name: "Borgerservice", owner: coordinator, review: 120,
		c: 3, i: 3, a: 3, links: []string{"info.cpr", "sys.borger", "sys.esdh"},
		description: "Personlig, telefonisk og digital betjening af borgere: pas, kørekort, folkeregister, sundhedskort, pension og vejledning om selvbetjening.",
		req:         `Borgerservice slår op i CPR og sager (fortrolighed og integritet høj) og skal kunne betjene borgerne i åbningstiden (tilgængelighed høj). Identiteten på den, der henvender sig, skal altid kontrolleres.`},
	{key: "proc.boern", kind: isms.KindProcess, name: "Børne- og ungesager (myndighed)", owner: coordinator, review: 150,
		c: 4, i: 4, a: 4, links: []string{"info.sociale", "info.helbred", "sys.fag", "sys.esdh"},
		description: "Modtagelse og vurdering af underretninger, børnefaglige undersøgelser og afgørelser om særlig støtte til børn og unge.",
		req:         `Fortrolighed og integritet meget høj (børns forhold). Tilgængelighed meget høj: en underretning om et barn i fare skal kunne modtages og vurderes inden for 24 timer, også ved systemnedbrud (nødprocedure på papir).`},
	{key: "proc.loen", kind: isms.KindProcess, name: "Løn og personaleadministration", owner: administrator, review: 180,
		c: 3, i: 4, a: 3, links: []string{"info.personale", "sys.loen"},
		description: "Ansættelse, lønindberetning, fravær og fratrædelse.",
		req:         `Fortrolighed høj (personaleoplysninger), integritet meget høj (korrekt løn), tilgængelighed høj omkring lønkørslen.`},
	{key: "proc.journal", kind: isms.KindProcess, name: "Journalisering, aktindsigt og arkivering", owner: coordinator, review: 200,
		c: 3, i: 4, a: 2, links: []string{"info.journal", "sys.esdh"},
		description: "Journalisering af sager og dokumenter, behandling af anmodninger om aktindsigt og aflevering af bevaringsværdige data til arkiv.",
		req:         `Integritet meget høj: journalen skal være fuldstændig og uændret. Fortrolighed høj ved aktindsigt (tavshedsbelagte oplysninger skal udelades). Tilgængelighed middel; fristen for aktindsigt er 7 arbejdsdage.`},

	// Forretningskritiske medarbejderkompetencer.
	{key: "comp.jura", kind: isms.KindCompetence, name: "Socialfaglig og forvaltningsretlig sagsbehandling", owner: coordinator, review: 240,
		c: 3, i: 4, a: 3, links: []string{"proc.ydelser", "proc.boern"},
		description: "Kendskab til forvaltningsloven, serviceloven og databeskyttelsesreglerne hos sagsbehandlere og faglige ledere.",
		req:         `Sagsbehandlerne skal kende tavshedspligten og reglerne for videregivelse (fortrolighed), træffe korrekte afgørelser (integritet) og kunne afløse hinanden ved fravær (tilgængelighed).`},
	{key: "comp.drift", kind: isms.KindCompetence, name: "Drift af IT-infrastruktur og Microsoft 365", owner: administrator, review: 240,
		c: 3, i: 4, a: 4, links: []string{"sys.netvaerk", "sys.m365"},
		description: "Administration af netværk, brugerkatalog, sikkerhedsopdateringer, backup og Microsoft 365 i Digitalisering og IT.",
		req:         `Få medarbejdere har administratoradgang (fortrolighed og integritet meget vigtige). Kompetencen skal være dækket af mindst to personer og en beredskabsaftale med leverandøren (tilgængelighed meget høj).`},
	{key: "comp.sikkerhed", kind: isms.KindCompetence, name: "Informationssikkerhed og databeskyttelse", owner: coordinator, review: 240,
		description: "Informationssikkerhedskoordinatorens og databeskyttelsesrådgiverens viden om ISO/IEC 27001, risikovurdering, håndtering af sikkerhedshændelser og databeskyttelsesreglerne.",
		c:           3, i: 3, a: 3,
		req: `Uden kompetencen kan brud ikke vurderes og anmeldes inden for 72 timer, og risikovurderingerne bliver ikke holdt ved lige. Der skal være en udpeget stedfortræder.`},
	{key: "comp.oekonomi", kind: isms.KindCompetence, name: "Bogholderi og udbetalingskontrol", owner: coordinator, review: 240,
		c: 3, i: 4, a: 3, links: []string{"proc.udbetaling", "sys.oekonomi"},
		description: "Viden om bogføring, attestation og godkendelse, og om at genkende forsøg på faktura- og CEO-svindel.",
		req:         `Integritet meget høj: medarbejderne er den vigtigste kontrol mod svindel med kontooplysninger. Tilgængelighed høj omkring betalingsdatoer.`},

	// Interne interessenter.
	{key: "int.byraad", kind: isms.KindInternalStakeholder, name: "Kommunalbestyrelsen og Økonomiudvalget", owner: management, review: 300,
		c: 2, i: 3, a: 2,
		description: "Den politiske ledelse, der fastlægger serviceniveau og budget og skal orienteres om informationssikkerheden og alvorlige hændelser.",
		req:         `Forventer, at kommunen overholder lovgivningen og ikke mister borgernes tillid; skal have korrekte og rettidige oplysninger om alvorlige brud (integritet) og årlig afrapportering.`},
	{key: "int.direktion", kind: isms.KindInternalStakeholder, name: "Direktionen", owner: management, review: 300,
		c: 3, i: 3, a: 3,
		description: "Kommunens øverste ledelse: ejer ISMS'et, godkender politik, omfang og risikoaccept og følger op i ledelsens evaluering.",
		req:         `Har brug for et retvisende billede af risici og status (integritet) og beslutningsgrundlag, der er fortroligt, til de sikkerhedsforhold der ikke må blive kendt udadtil.`},
	{key: "int.medarbejdere", kind: isms.KindInternalStakeholder, name: "Medarbejdere og ledere i forvaltningerne", owner: coordinator, review: 300,
		c: 3, i: 3, a: 3,
		description: "Ca. 4.200 medarbejdere, som håndterer informationerne i det daglige og skal kende retningslinjerne.",
		req:         `Forventer systemer, der virker (tilgængelighed), og klare regler for håndtering af fortrolige oplysninger; deres egne personaleoplysninger skal beskyttes (fortrolighed).`},
	{key: "int.med", kind: isms.KindInternalStakeholder, name: "Hovedudvalget (MED-organisationen)", owner: management, review: 300,
		c: 2, i: 2, a: 2,
		description: "Medarbejdernes repræsentation, som skal høres om retningslinjer, der påvirker arbejdsforholdene (fx logning og kontrol).",
		req:         `Forventer, at kontrolforanstaltninger over for medarbejdere er proportionale og kendte, og at personaleoplysninger behandles fortroligt.`},
	{key: "int.it", kind: isms.KindInternalStakeholder, name: "Digitalisering og IT", owner: administrator, review: 300,
		c: 3, i: 4, a: 4, links: []string{"sys.netvaerk", "sys.m365"},
		description: "Den interne IT-afdeling, der driver infrastrukturen, styrer leverandørerne og implementerer de tekniske sikringsforanstaltninger.",
		req:         `Har brug for klare krav til tilgængelighed og genetablering fra systemejerne og ressourcer til at holde systemerne opdaterede.`},
	{key: "int.dpo", kind: isms.KindInternalStakeholder, name: "Databeskyttelsesrådgiveren (DPO)", owner: coordinator, review: 300,
		c: 4, i: 3, a: 2, links: []string{"comp.sikkerhed"},
		description: "Rådgiver om og kontrollerer overholdelsen af databeskyttelsesreglerne og er kontaktpunkt for Datatilsynet.",
		req:         `Skal inddrages rettidigt i brud og nye behandlinger og have adgang til de oplysninger, der skal til for at vurdere dem.`},

	// Eksterne forhold.
	{key: "ext.gdpr", kind: isms.KindExternalFactor, category: "law", name: "Databeskyttelsesforordningen (GDPR)", owner: coordinator, review: 330,
		c: 4, i: 4, a: 3, links: []string{"info.cpr", "info.helbred", "info.sociale", "int.dpo"},
		description: "Europa-Parlamentets og Rådets forordning (EU) 2016/679 om beskyttelse af personoplysninger.",
		req:         `Behandlingssikkerhed efter artikel 32 (fortrolighed, integritet, tilgængelighed og robusthed), databeskyttelse gennem design (artikel 25), fortegnelse (artikel 30), anmeldelse af brud til Datatilsynet inden 72 timer (artikel 33) og underretning af borgerne ved høj risiko (artikel 34).`},
	{key: "ext.dbl", kind: isms.KindExternalFactor, category: "law", name: "Databeskyttelsesloven", owner: coordinator, review: 330,
		c: 4, i: 3, a: 2, links: []string{"ext.gdpr", "info.cpr"},
		description: "Lov nr. 502 af 23. maj 2018 med de danske supplerende regler til forordningen.",
		req:         `Særlige regler for behandling af CPR-numre (§ 11) og oplysninger om strafbare forhold (§ 8); krav til fortroligheden af disse oplysninger.`},
	{key: "ext.fvl", kind: isms.KindExternalFactor, category: "law", name: "Forvaltningsloven og offentlighedsloven", owner: coordinator, review: 330,
		c: 3, i: 4, a: 2, links: []string{"proc.ydelser", "proc.journal", "info.journal"},
		description: "Regler for sagsbehandling, tavshedspligt, aktindsigt og notatpligt i den offentlige forvaltning.",
		req:         `Tavshedspligt (forvaltningsloven § 27) kræver fortrolighed; notat- og journaliseringspligt kræver fuldstændige og uændrede sagsakter (integritet); aktindsigt skal kunne gives inden for fristen.`},
	{key: "ext.arkiv", kind: isms.KindExternalFactor, category: "law", name: "Arkivloven", owner: coordinator, review: 330,
		c: 2, i: 4, a: 2, links: []string{"proc.journal", "info.journal"},
		description: "Regler for bevaring og kassation af offentlige arkivalier og aflevering af bevaringsværdige data fra IT-systemer.",
		req:         `Bevaringsværdige data skal bevares uændrede og afleveres i godkendt format (integritet); kassationsfrister skal overholdes, så data ikke gemmes længere end tilladt.`},
	{key: "ext.nis2", kind: isms.KindExternalFactor, category: "law", name: "NIS2-direktivet og den danske NIS2-lovgivning", owner: coordinator, review: 200,
		c: 3, i: 4, a: 4, links: []string{"sys.netvaerk"},
		description: "Direktiv (EU) 2022/2555 om foranstaltninger til et højt fælles cybersikkerhedsniveau og den danske gennemførelse. Gælder direkte for kommunens forsyningsselskab og en række af kommunens leverandører.",
		req:         `Krav om risikostyring, hændelsesrapportering og leverandørstyring hos de omfattede enheder; kommunen stiller tilsvarende krav i kontrakter og følger dem selv som god praksis for tilgængelighed og robusthed.`},
	{key: "ext.dba", kind: isms.KindExternalFactor, category: "supplier_agreement", name: "Databehandleraftaler med leverandører", owner: contributor, review: 180,
		c: 4, i: 4, a: 3, links: []string{"sys.esdh", "sys.fag", "sys.oekonomi", "sys.m365", "ext.gdpr"},
		description: "Databehandleraftaler med leverandørerne af ESDH, fagsystemer, økonomisystem og Microsoft 365 efter forordningens artikel 28.",
		req:         `Leverandørerne skal leve op til kommunens krav til sikkerhed, underrette om brud uden unødig forsinkelse, bruge godkendte underdatabehandlere og kunne revideres (årlige revisionserklæringer).`},
	{key: "ext.kontrakt", kind: isms.KindExternalFactor, category: "contract", name: "Fælleskommunale rammeaftaler og driftskontrakter", owner: administrator, review: 180,
		c: 3, i: 3, a: 4, links: []string{"sys.fag", "sys.netvaerk"},
		description: "Kontrakter indgået gennem fælleskommunale indkøb og rammeaftaler samt driftskontrakten med kommunens IT-driftsleverandør.",
		req:         `Servicemål for oppetid (99,5 %), genetableringstid og sikkerhedsopdateringer; krav om logning og adgangsstyring hos leverandøren.`},
	{key: "ext.overfoersel", kind: isms.KindExternalFactor, category: "international_agreement", name: "Overførsel af personoplysninger til tredjelande (EU–USA-rammen)", owner: coordinator, review: 150,
		c: 4, i: 3, a: 2, links: []string{"sys.m365", "ext.gdpr"},
		description: "EU-Kommissionens afgørelse om tilstrækkeligt beskyttelsesniveau for EU–USA-databeskyttelsesrammen og standardkontraktbestemmelser for leverandører uden for EU.",
		req:         `Personoplysninger må kun overføres til leverandører uden for EU med et gyldigt overførselsgrundlag; det skal vurderes for hver cloudtjeneste.`},
	{key: "ext.strategi", kind: isms.KindExternalFactor, category: "other", name: "Fællesoffentlig digitaliseringsstrategi og ISO/IEC 27001", owner: management, review: 300,
		c: 2, i: 3, a: 3,
		description: "Kommunerne har gennem den fællesoffentlige strategi forpligtet sig til at følge principperne i ISO/IEC 27001 og de fælleskommunale sikkerhedsanbefalinger.",
		req:         `Informationssikkerheden skal styres efter ISO/IEC 27001 med et ledelsesforankret ISMS, risikovurderinger og en SoA.`},

	// Eksterne interessenter.
	{key: "xs.borgere", kind: isms.KindExternalStakeholder, name: "Borgere og virksomheder", owner: coordinator, review: 300,
		c: 4, i: 4, a: 3, links: []string{"proc.ydelser", "proc.borgerservice", "sys.borger"},
		description: "Kommunens ca. 48.000 borgere og de lokale virksomheder, som kommunen behandler oplysninger om og leverer service til.",
		req:         `Forventer, at deres oplysninger behandles fortroligt, at afgørelser og udbetalinger er korrekte, og at de kan komme i kontakt med kommunen og bruge selvbetjeningen.`},
	{key: "xs.datatilsynet", kind: isms.KindExternalStakeholder, name: "Datatilsynet", owner: coordinator, review: 300,
		c: 3, i: 4, a: 2, links: []string{"ext.gdpr", "ext.dbl", "int.dpo"},
		description: "Tilsynsmyndighed for databeskyttelse, som modtager anmeldelser af brud og kan gennemføre tilsyn.",
		req:         `Forventer anmeldelse af brud inden 72 timer og dokumentation for passende sikkerhed; kan udstede påbud og bøder.`},
	{key: "xs.leverandoerer", kind: isms.KindExternalStakeholder, name: "IT-leverandører og databehandlere", owner: contributor, review: 180,
		c: 3, i: 3, a: 4, links: []string{"ext.dba", "ext.kontrakt", "sys.esdh", "sys.fag"},
		description: "Leverandørerne af kommunens fagsystemer, ESDH, økonomisystem, drift og cloudtjenester.",
		req:         `Skal kende kommunens sikkerhedskrav og have adgang nok til at drive systemerne, men ikke mere; kommunen er afhængig af deres tilgængelighed og hændelseshåndtering.`},
	{key: "xs.kl", kind: isms.KindExternalStakeholder, name: "KL og de fælleskommunale organisationer", owner: management, review: 300,
		c: 2, i: 3, a: 3, links: []string{"ext.kontrakt", "ext.strategi"},
		description: "Kommunernes Landsforening og de fælleskommunale selskaber, som står for fælles systemer, rammeaftaler og anbefalinger om informationssikkerhed.",
		req:         `Forventer, at kommunen følger de fælleskommunale sikkerhedskrav og samarbejder om hændelser, der rammer fælles systemer.`},
	{key: "xs.digst", kind: isms.KindExternalStakeholder, name: "Digitaliseringsstyrelsen", owner: coordinator, review: 300,
		c: 3, i: 4, a: 3, links: []string{"sys.borger", "ext.strategi"},
		description: "Ansvarlig for MitID, Digital Post og NemKonto og for vejledningen om ISMS efter ISO/IEC 27001.",
		req:         `Stiller sikkerhedskrav til tilslutning til de fællesoffentlige løsninger (MitID, Digital Post, NemKonto), blandt andet om logning og håndtering af certifikater.`},
	{key: "xs.revision", kind: isms.KindExternalStakeholder, name: "Kommunens eksterne revision", owner: management, review: 300,
		c: 3, i: 4, a: 2, links: []string{"proc.udbetaling", "sys.oekonomi"},
		description: "Den revision, kommunalbestyrelsen har valgt, og som reviderer regnskabet og de generelle IT-kontroller.",
		req:         `Forventer dokumenterede IT-kontroller (adgangsstyring, funktionsadskillelse, logning og ændringsstyring) omkring økonomi og udbetalinger.`},
}

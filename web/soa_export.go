package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// The SoA as coordinators and auditors know it: a workbook with one row
// per control, the themes as sections, and a sheet saying which state it
// is (the current one, or a frozen version with its approval and
// checksum); and a plain page to print.

// soaSource is the state an export or a print shows.
type soaSource struct {
	Version  *isms.SoAVersion // nil for the current state
	Controls []*isms.SoAControl
}

// soaLoadSource reads the current state, or the version named by {id}.
func (s *Server) soaLoadSource(r *http.Request) (*soaSource, error) {
	org := orgFrom(r.Context())
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		v, err := s.SoA.SoAVersion(r.Context(), org.ID, id)
		if err != nil {
			return nil, err
		}
		return &soaSource{Version: v, Controls: v.Snapshot.Controls}, nil
	}
	snap, err := s.SoA.SoASnapshotNow(r.Context(), org.ID)
	if err != nil {
		return nil, err
	}
	return &soaSource{Controls: snap.Controls}, nil
}

// soaRisksInCell caps the risks named in one cell: a spreadsheet cell
// holds at most 32,767 characters, and a control may treat thousands.
const soaRisksInCell = 25

// soaCells are the texts of one line, in the reader's language.
type soaCells struct {
	Applicable, Risks, Requirements, Business, Exclusion, Status, Owner, Evidence, Choices string
}

func soaLineCells(lang string, c *isms.SoAControl) soaCells {
	t := translator(lang)
	out := soaCells{Business: c.BusinessReason, Exclusion: c.ExclusionReason, Owner: c.OwnerName}
	switch c.Applicability {
	case isms.Applicable:
		out.Applicable = t("ui.yes")
	case isms.Excluded:
		out.Applicable = t("soa.no")
	default:
		out.Applicable = t("soa.applicability.undecided")
	}
	if c.Status != "" {
		out.Status = t(i18n.Key("soa.status." + string(c.Status)))
	}
	if c.RiskCount > 0 {
		out.Risks = t("soa.risk_count", c.RiskCount)
		if len(c.Risks) > 0 {
			out.Risks += ": " + soaJoin(c.Risks, soaRisksInCell, func(n int) string { return t("soa.and_more", n) })
		}
	}
	var reqs []string
	for _, q := range c.Requirements {
		name := q.Name
		if q.Kind != "" && i18n.Has(i18n.Key("category."+q.Kind)) {
			name += " (" + t(i18n.Key("category."+q.Kind)) + ")"
		}
		reqs = append(reqs, name)
	}
	out.Requirements = strings.Join(reqs, "; ")
	var ev []string
	if len(c.Documents) > 0 {
		ev = append(ev, soaJoin(c.Documents, 0, nil))
	}
	if c.Evidence != "" {
		ev = append(ev, c.Evidence)
	}
	out.Evidence = strings.Join(ev, "\n")
	var ch []string
	for _, d := range c.DocChoices {
		dec := t("soa.doc_undecided")
		if d.Decision == "chosen" || d.Decision == "declined" {
			dec = t(i18n.Key("soa.doc_" + d.Decision))
		}
		line := d.Title(lang) + ": " + dec
		if d.Reason != "" {
			line += " – " + d.Reason
		}
		ch = append(ch, line)
	}
	out.Choices = strings.Join(ch, "\n")
	return out
}

func soaStateLine(lang string, v *isms.SoAVersion) string {
	t := translator(lang)
	if v == nil {
		return t("soa.state_current")
	}
	s := t("soa.version_n", v.Number) + " · " + t("soa.frozen_by", v.FrozenByName, fmtDateTime(v.FrozenAt))
	if v.Approved() {
		s += " · " + t("soa.approved_by", v.ApprovedByName, fmtDateTime(v.ApprovedAt))
	} else {
		s += " · " + t("soa.not_approved")
	}
	return s
}

func (s *Server) soaExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	src, err := s.soaLoadSource(r)
	if err != nil {
		return err
	}
	lang := i18n.Negotiate(r)
	t := translator(lang)
	sheet := export.Sheet{Name: "SoA", Title: fmt.Sprintf("%s · %s · %s", t("title.soa"), org.Name, soaStateLine(lang, src.Version)),
		Header: []string{t("soa.col.control"), t("soa.col.title"), t("soa.col.theme"), t("soa.col.applicable"), t("soa.col.risks"),
			t("soa.col.requirements"), t("field.business_reason"), t("field.exclusion_reason"), t("field.implementation_status"),
			t("field.owner"), t("soa.col.evidence"), t("soa.col.doc_choices")},
		Widths: []float64{10, 40, 16, 12, 45, 35, 45, 45, 18, 20, 45, 45}}
	for _, g := range soaGroups(src.Controls) {
		sheet.Rows = append(sheet.Rows, export.Row{Section: t(i18n.Key("soa.theme." + g.Theme))})
		for _, c := range g.Controls {
			x := soaLineCells(lang, c)
			ref := c.Ref
			if c.Catalogue == isms.CatalogueAnnexA2022 {
				ref = "A." + ref
			}
			sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{ref, c.Title(lang), t(i18n.Key("soa.theme." + c.Theme)), x.Applicable, x.Risks,
				x.Requirements, x.Business, x.Exclusion, x.Status, x.Owner, x.Evidence, x.Choices}})
		}
	}
	about := export.Sheet{Name: t("soa.xlsx.about"), Header: []string{t("ui.field"), t("soa.col.value")}, Widths: []float64{30, 80},
		Rows: []export.Row{{Cells: []any{t("soa.xlsx.organisation"), org.Name}}, {Cells: []any{t("soa.xlsx.state"), soaStateLine(lang, src.Version)}},
			{Cells: []any{t("soa.xlsx.exported"), s.cfg.Now()}}, {Cells: []any{t("soa.xlsx.controls"), len(src.Controls)}}}}
	if v := src.Version; v != nil {
		about.Rows = append(about.Rows, export.Row{Cells: []any{t("soa.checksum"), v.Checksum}},
			export.Row{Cells: []any{t("soa.intact"), map[bool]string{true: t("ui.yes"), false: t("soa.no")}[v.Intact]}},
			export.Row{Cells: []any{t("soa.freeze_note"), v.Note}}, export.Row{Cells: []any{t("field.approval_note"), v.ApprovalNote}})
	}
	about.Rows = append(about.Rows, export.Row{Cells: []any{t("soa.xlsx.notice"), t("soa.xlsx.notice_text")}})
	name := "soa-" + isms.DateOf(s.cfg.Now()).String()
	if src.Version != nil {
		name = "soa-v" + strconv.FormatInt(src.Version.Number, 10)
	}
	return s.sendXLSX(w, name+".xlsx", []export.Sheet{sheet, about})
}

type soaPrintLine struct {
	C *isms.SoAControl
	X soaCells
}

type soaPrintGroup struct {
	Theme string
	Lines []soaPrintLine
}

type soaPrintData struct {
	Version *isms.SoAVersion
	State   string
	Groups  []soaPrintGroup
}

func (s *Server) soaPrintPage(w http.ResponseWriter, r *http.Request) error {
	src, err := s.soaLoadSource(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.soa_print")
	d := soaPrintData{Version: src.Version, State: soaStateLine(p.Lang, src.Version)}
	for _, g := range soaGroups(src.Controls) {
		pg := soaPrintGroup{Theme: g.Theme}
		for _, c := range g.Controls {
			pg.Lines = append(pg.Lines, soaPrintLine{C: c, X: soaLineCells(p.Lang, c)})
		}
		d.Groups = append(d.Groups, pg)
	}
	p.Data = d
	s.render(w, http.StatusOK, "soa_print", p)
	return nil
}

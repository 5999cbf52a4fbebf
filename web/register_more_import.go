package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// The imports of the asset list, the threat catalogue, the members and
// the business overview (guide 2.1–2.3), on the pages and API of
// supplier_import.go, and the XLSX exports of those registers, written
// with the headings the imports read so that an export imports again
// unchanged.

var (
	assetImportKind = regImportKind{Kind: isms.ImportAssets, Path: "/asset-import", List: "/assets", ListKey: "title.risk_assets",
		Prefix: "rimp.asset.", Title: "title.rimp_assets", Preview: "title.rimp_assets_preview", EditPerm: "edit_own", RecordPath: "/assets"}
	threatImportKind = regImportKind{Kind: isms.ImportThreats, Path: "/threat-import", List: "/threats", ListKey: "title.risk_threats",
		Prefix: "rimp.threat.", Title: "title.rimp_threats", Preview: "title.rimp_threats_preview", EditPerm: "edit", RecordPath: "/threats"}
	memberImportKind = regImportKind{Kind: isms.ImportMembers, Path: "/member-import", List: "/members", ListKey: "title.members",
		Prefix: "rimp.member.", Title: "title.rimp_members", Preview: "title.rimp_members_preview", EditPerm: "manage_members"}
	overviewImportKind = regImportKind{Kind: isms.ImportOverview, Path: "/overview-import", List: "/overview", ListKey: "title.overview",
		Prefix: "rimp.overview.", Title: "title.rimp_overview", Preview: "title.rimp_overview_preview", EditPerm: "edit_own",
		RecordPath: "/overview/entries"}
)

// registerMoreImportRoutes adds the four registers' import pages and
// exports.
func (s *Server) registerMoreImportRoutes(mux *http.ServeMux) {
	for _, k := range []regImportKind{assetImportKind, threatImportKind, memberImportKind, overviewImportKind} {
		s.regImportRoutes(mux, k)
	}
	mux.HandleFunc("GET /orgs/{org}/assets/export.xlsx", s.inOrg(s.page(s.workbook(s.assetExport))))
	mux.HandleFunc("GET /orgs/{org}/threats/export.xlsx", s.inOrg(s.page(s.workbook(s.threatExport))))
	mux.HandleFunc("GET /orgs/{org}/members/export.xlsx", s.inOrg(s.page(s.workbook(s.memberExport))))
	mux.HandleFunc("GET /orgs/{org}/overview/export.xlsx", s.inOrg(s.page(s.workbook(s.overviewExport))))
}

const (
	assetImportSummary = "Import an asset list: the body is the XLSX or CSV file itself; rows match assets by name and are created (as " +
		"supporting assets), updated (of a primary asset only owner, criticality and needs), skipped or refused with their reasons; " +
		"owners are found by e-mail, name or security role title, and an unknown owner leaves the asset unassigned with a warning; " +
		"with dry_run nothing is stored; without it every created and updated row is stored in one transaction, and nothing while a " +
		"row is refused unless skip_refused is set"
	threatImportSummary = "Import a threat catalogue: the body is the XLSX or CSV file itself; rows match the organisation's own threats " +
		"by Danish or English name (the shipped catalogue's are skipped) and are created in the catalogue named (made when missing), " +
		"updated, skipped or refused; with dry_run nothing is stored; without it nothing while a row is refused unless skip_refused is set"
	memberImportSummary = "Import people and their roles: the body is the XLSX or CSV file itself; rows match members by e-mail, whose " +
		"role they change and whom they add to the security roles named; other addresses are invited to the role (mailed when the " +
		"server sends mail, else the link is in this response only); with dry_run nothing is stored; without it nothing while a row is " +
		"refused unless skip_refused is set"
	overviewImportSummary = "Import entries of the business overview (processes, information, systems, competences, stakeholders, " +
		"external factors): the body is the XLSX or CSV file itself; rows match entries by register and name and are created, updated, " +
		"skipped or refused; with dry_run nothing is stored; without it nothing while a row is refused unless skip_refused is set"
)

// registerMoreImportAPIs are the four registers' import operations.
func (s *Server) registerMoreImportAPIs(mux *http.ServeMux) {
	for _, op := range []struct{ area, path, summary, kind string }{
		{riskTag, "assets", assetImportSummary, isms.ImportAssets},
		{riskTag, "threats", threatImportSummary, isms.ImportThreats},
		{"memberships", "members", memberImportSummary, isms.ImportMembers},
		{"business overview", "overview", overviewImportSummary, isms.ImportOverview},
	} {
		s.handleAPIs(mux, op.area, apiRoute{Method: "POST", Pattern: "/api/v1/organisations/{org}/" + op.path + "/import", Summary: op.summary,
			Query: regImportQuery, Upload: spreadsheetUpload, Response: &regImportResponse{}, Handle: s.regImportAPI(op.kind)})
	}
}

// importSent is an invitation an import made, as sent.
type importSent struct {
	sentInvitation
	Row int
}

// sendImportInvitations mails the invitations a members import made, as
// the members page does; those that could not be mailed carry their link
// to show once.
func (s *Server) sendImportInvitations(r *http.Request, pv *isms.RegisterImportPreview) []importSent {
	var out []importSent
	for _, inv := range pv.Invitations {
		link := s.baseURL(r) + "/invitations/" + inv.Token
		sent := importSent{sentInvitation: sentInvitation{Invitation: inv.Invitation}, Row: inv.Row}
		if s.Mail != nil {
			subject, body := invitationMail(i18n.Negotiate(r), userFrom(r.Context()), inv.Invitation, link)
			if err := s.Mail.Send(r.Context(), "", inv.Invitation.Email, subject, body); err != nil {
				s.log.Warn("invitation mail not sent", "invitation", inv.Invitation.ID, "err", err)
				sent.MailFailed = true
			} else {
				sent.Mailed = true
			}
		}
		if !sent.Mailed {
			sent.URL = link
		}
		out = append(out, sent)
	}
	return out
}

// renderImportInvitations answers a members import that invited people:
// the invitations, with the links that were not mailed, on this response
// only.
func (s *Server) renderImportInvitations(w http.ResponseWriter, r *http.Request, k regImportKind, pv *isms.RegisterImportPreview) error {
	w.Header().Set("Cache-Control", "no-store")
	p := s.newPage(r, "title.rimp_members_done")
	p.Data = struct {
		K       regImportKind
		Preview *isms.RegisterImportPreview
		Sent    []importSent
	}{k, pv, s.sendImportInvitations(r, pv)}
	s.render(w, http.StatusOK, "member_import_done", p)
	return nil
}

// The exports.

func (s *Server) regExportHeader(kind, lang string) []string {
	fields := export.RegisterSheetFields(kind)
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = export.RegisterHeading(kind, f, lang)
	}
	return out
}

// levelCell is a level as a number, or nothing when it is not set.
func levelCell(l isms.Level) any {
	if l == 0 {
		return nil
	}
	return int(l)
}

func levelPtrCell(l *isms.Level, overridden bool) any {
	if l == nil || !overridden {
		return nil
	}
	return int(*l)
}

func dateCell(d *isms.Date) any {
	if d == nil {
		return nil
	}
	return *d
}

func (s *Server) assetExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var all []*isms.Asset
	for {
		page, total, err := s.Risk.Assets(r.Context(), org.ID, isms.AssetFilter{Offset: len(all), Limit: 500})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	lang := i18n.Negotiate(r)
	t := translator(lang)
	names := map[int64]string{}
	for _, a := range all {
		names[a.ID] = a.Name
	}
	sheet := export.Sheet{Name: t("rimp.asset.export_sheet"), Title: t("rimp.asset.export_title", org.Name, isms.DateOf(s.cfg.Now()).String()),
		Header: s.regExportHeader(isms.ImportAssets, lang), Widths: []float64{32, 22, 40, 24, 10, 12, 12, 12, 12, 32}}
	for _, a := range all {
		var supports []string
		for _, id := range a.Supports {
			supports = append(supports, names[id])
		}
		// The levels set by hand only: the derived ones follow the
		// business overview, and an import of the export keeps them so.
		var crit any
		if a.CriticalityOverridden {
			crit = int(a.Criticality)
		}
		n, o := a.Needs, a.Overridden
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{a.Name, t(i18n.Key("risk.asset_kind." + string(a.Kind))), a.Description,
			a.OwnerName, t(i18n.Key("status." + string(a.Status))), crit, levelPtrCell(&n.Confidentiality, o.Confidentiality),
			levelPtrCell(&n.Integrity, o.Integrity), levelPtrCell(&n.Availability, o.Availability), strings.Join(supports, "; ")}})
	}
	s.streamXLSX(w, "assets export", t("rimp.asset.export_file")+".xlsx", []export.Sheet{sheet})
	return nil
}

func (s *Server) threatExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	threats, err := s.Risk.Threats(r.Context(), org.ID, isms.ThreatFilter{})
	if err != nil {
		return err
	}
	lang := i18n.Negotiate(r)
	t := translator(lang)
	letters := [3]string{"F", "I", "T"}
	if lang == "en" {
		letters = [3]string{"C", "I", "A"}
	}
	sheet := export.Sheet{Name: t("rimp.threat.export_sheet"), Title: t("rimp.threat.export_title", org.Name, isms.DateOf(s.cfg.Now()).String()),
		Header: s.regExportHeader(isms.ImportThreats, lang), Widths: []float64{32, 32, 24, 40, 40, 12, 24, 10, 24}}
	for _, th := range threats {
		var affects []string
		for i, on := range []bool{th.Affects.Confidentiality, th.Affects.Integrity, th.Affects.Availability} {
			if on {
				affects = append(affects, letters[i])
			}
		}
		var kinds []string
		for _, k := range th.AssetKinds {
			kinds = append(kinds, t(i18n.Key("risk.asset_kind."+string(k))))
		}
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{th.NameDA, th.NameEN, t(i18n.Key("risk.threat_group." + th.Group)),
			th.DescriptionDA, th.DescriptionEN, strings.Join(affects, ", "), strings.Join(kinds, "; "), t(i18n.Key("status." + string(th.Status))),
			th.CatalogueName}})
	}
	s.streamXLSX(w, "threats export", t("rimp.threat.export_file")+".xlsx", []export.Sheet{sheet})
	return nil
}

func (s *Server) memberExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	members, err := s.Orgs.Memberships(r.Context(), org.ID)
	if err != nil {
		return err
	}
	roles, err := s.Leadership.SecurityRoles(r.Context(), org.ID)
	if err != nil {
		return err
	}
	lang := i18n.Negotiate(r)
	t := translator(lang)
	holds, stands := map[int64][]string{}, map[int64][]string{}
	for _, ro := range roles {
		for _, p := range ro.Holders {
			holds[p.UserID] = append(holds[p.UserID], ro.Name)
		}
		for _, p := range ro.Deputies {
			stands[p.UserID] = append(stands[p.UserID], ro.Name)
		}
	}
	sheet := export.Sheet{Name: t("rimp.member.export_sheet"), Title: t("rimp.member.export_title", org.Name, isms.DateOf(s.cfg.Now()).String()),
		Header: s.regExportHeader(isms.ImportMembers, lang), Widths: []float64{32, 28, 16, 40, 40}}
	slices.SortFunc(members, func(a, b *isms.Membership) int { return strings.Compare(a.UserEmail, b.UserEmail) })
	for _, m := range members {
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{m.UserEmail, m.UserName, t(i18n.Key("role." + string(m.Role))),
			strings.Join(holds[m.UserID], "; "), strings.Join(stands[m.UserID], "; ")}})
	}
	s.streamXLSX(w, "members export", t("rimp.member.export_file")+".xlsx", []export.Sheet{sheet})
	return nil
}

func (s *Server) overviewExport(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	var all []*isms.OverviewEntry
	for {
		page, total, err := s.Overview.OverviewEntries(r.Context(), org.ID, isms.EntryFilter{Offset: len(all), Limit: 500, Sort: "kind"})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) == 0 || len(all) >= total {
			break
		}
	}
	lang := i18n.Negotiate(r)
	t := translator(lang)
	sheet := export.Sheet{Name: t("rimp.overview.export_sheet"), Title: t("rimp.overview.export_title", org.Name, isms.DateOf(s.cfg.Now()).String()),
		Header: s.regExportHeader(isms.ImportOverview, lang), Widths: []float64{30, 32, 18, 40, 24, 10, 14, 12, 12, 12, 40}}
	for _, e := range all {
		cat := ""
		if e.Category != "" {
			cat = t(i18n.Key("category." + e.Category))
		}
		q := e.Requirements
		sheet.Rows = append(sheet.Rows, export.Row{Cells: []any{t(i18n.Key("kind." + string(e.Kind))), e.Name, cat, e.Description, e.OwnerName,
			t(i18n.Key("status." + string(e.Status))), dateCell(e.NextReview), levelCell(q.Confidentiality), levelCell(q.Integrity),
			levelCell(q.Availability), q.Text}})
	}
	s.streamXLSX(w, "overview export", t("rimp.overview.export_file")+".xlsx", []export.Sheet{sheet})
	return nil
}

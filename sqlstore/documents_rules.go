package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ismsdk/isms"
)

// ---------------------------------------------------------------------
// Form rules.

func (tx *Tx) docFormRules(orgID int64) (*isms.DocumentFormRules, error) {
	var r isms.DocumentFormRules
	var meta, formats, updated string
	err := tx.queryRow(`SELECT naming_standard, naming_pattern, format_standard, media_standard, required_metadata, accepted_formats, version, updated_at
		FROM document_form_rules WHERE organisation_id = ?`, orgID).Scan(&r.NamingStandard, &r.NamingPattern, &r.FormatStandard,
		&r.MediaStandard, &meta, &formats, &r.Version, &updated)
	r.OrganisationID = orgID
	r.RequiredMetadata, r.AcceptedFormats = []string{}, []string{}
	if errors.Is(err, sql.ErrNoRows) {
		return &r, nil
	}
	if err != nil {
		return nil, err
	}
	r.RequiredMetadata, r.AcceptedFormats = strings.Fields(meta), strings.Fields(formats)
	t := parseTS(updated)
	r.UpdatedAt = &t
	return &r, nil
}

// docAcceptedFormats are the organisation's, or the defaults until it
// records its own.
func docAcceptedFormats(r *isms.DocumentFormRules) []string {
	if len(r.AcceptedFormats) > 0 {
		return r.AcceptedFormats
	}
	return isms.DefaultAcceptedFormats
}

// docNamingRegexp compiles the naming pattern: /…/ or ^… is a regular
// expression; anything else a simple pattern for the whole title where *
// is any text, ? one character and # one digit.
func docNamingRegexp(p string) (*regexp.Regexp, error) {
	p = strings.TrimSpace(p)
	switch {
	case p == "":
		return nil, nil
	case len(p) >= 2 && strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/"):
		return regexp.Compile(p[1 : len(p)-1])
	case strings.HasPrefix(p, "^"):
		return regexp.Compile(p)
	}
	var b strings.Builder
	b.WriteString("^")
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '#':
			b.WriteString("[0-9]")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

var docFormatName = regexp.MustCompile(`^[a-z0-9]{1,10}$`)

// DocumentFormRules reads the form rules (version 0 when none are recorded).
func (db *DB) DocumentFormRules(ctx context.Context, orgID int64) (*isms.DocumentFormRules, error) {
	return view(db, ctx, "DocumentFormRules", orgID, func(tx *Tx) (*isms.DocumentFormRules, error) { return tx.docFormRules(orgID) })
}

// SaveDocumentFormRules records the form rules. A naming pattern that does
// not compile, an unknown metadata field or a malformed file format is
// refused.
func (db *DB) SaveDocumentFormRules(ctx context.Context, orgID int64, in isms.DocumentFormRulesInput) (*isms.DocumentFormRules, error) {
	var out *isms.DocumentFormRules
	err := db.write(ctx, "SaveDocumentFormRules", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.docFormRules(orgID)
		if err != nil {
			return err
		}
		if err := checkUpsertVersion(before.Version, in.Version); err != nil {
			return err
		}
		var v isms.Validation
		in.NamingStandard, in.NamingPattern = strings.TrimSpace(in.NamingStandard), strings.TrimSpace(in.NamingPattern)
		in.FormatStandard, in.MediaStandard = strings.TrimSpace(in.FormatStandard), strings.TrimSpace(in.MediaStandard)
		checkText(&v, "naming_standard", in.NamingStandard, 5000)
		checkText(&v, "naming_pattern", in.NamingPattern, 300)
		checkText(&v, "format_standard", in.FormatStandard, 5000)
		checkText(&v, "media_standard", in.MediaStandard, 5000)
		if !v.Has("naming_pattern") {
			if _, err := docNamingRegexp(in.NamingPattern); err != nil {
				v.Add("naming_pattern", "doc.err.bad_pattern", err.Error())
			}
		}
		var meta []string
		for _, m := range in.RequiredMetadata {
			if !slices.Contains(isms.DocumentMetadataFields, m) {
				v.Add("required_metadata", "err.choice")
				break
			}
			if !slices.Contains(meta, m) {
				meta = append(meta, m)
			}
		}
		var formats []string
		for _, f := range in.AcceptedFormats {
			f = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f), "."))
			if f == "" {
				continue
			}
			if !docFormatName.MatchString(f) {
				v.Add("accepted_formats", "doc.err.bad_format_name", f)
				break
			}
			if !slices.Contains(formats, f) {
				formats = append(formats, f)
			}
		}
		if len(formats) > 50 {
			v.Add("accepted_formats", "err.too_many_links", 50)
		}
		if err := v.Err(); err != nil {
			return err
		}
		args := []any{in.NamingStandard, in.NamingPattern, in.FormatStandard, in.MediaStandard, strings.Join(meta, " "),
			strings.Join(formats, " "), ts(tx.now), orgID}
		if before.Version == 0 {
			_, err = tx.exec(`INSERT INTO document_form_rules (naming_standard, naming_pattern, format_standard, media_standard,
				required_metadata, accepted_formats, updated_at, organisation_id, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`, args...)
		} else {
			_, err = tx.exec(`UPDATE document_form_rules SET naming_standard = ?, naming_pattern = ?, format_standard = ?, media_standard = ?,
				required_metadata = ?, accepted_formats = ?, updated_at = ?, version = version + 1 WHERE organisation_id = ?`, args...)
		}
		if err != nil {
			return err
		}
		if out, err = tx.docFormRules(orgID); err != nil {
			return err
		}
		var b any
		if before.Version > 0 {
			b = before
		}
		return tx.audit(orgID, "update", typeDocFormRules, orgID, b, out)
	})
	return out, err
}

// checkDocFormRules applies the organisation's naming pattern and required
// metadata to a document, naming the rule in each refusal.
func checkDocFormRules(v *isms.Validation, rules *isms.DocumentFormRules, in *isms.DocumentInput) error {
	re, err := docNamingRegexp(rules.NamingPattern)
	if err != nil {
		// A stored pattern compiled when it was saved; a later Go
		// version refusing it is our fault, not the user's.
		return fmt.Errorf("naming pattern %q: %w", rules.NamingPattern, err)
	}
	if re != nil && !v.Has("title") && !re.MatchString(in.Title) {
		v.Add("title", "doc.err.naming", rules.NamingPattern)
	}
	for _, m := range rules.RequiredMetadata {
		field, missing := "", false
		switch m {
		case "owner":
			field, missing = "owner_id", in.OwnerID == nil
		case "classification":
			field, missing = "classification", in.Classification == ""
		case "language":
			field, missing = "language", in.Language == ""
		case "format":
			field, missing = "format", in.Format == ""
		case "medium":
			field, missing = "medium", in.Medium == ""
		case "storage_location":
			field, missing = "storage_location", in.StorageLocation == ""
		case "clause":
			field, missing = "clause", in.Clause == ""
		case "requirement":
			field, missing = "requirement_id", in.RequirementID == nil
		case "approvers":
			field, missing = "approver_ids", len(in.ApproverIDs) == 0
		case "review_interval":
			field, missing = "review_interval_months", in.ReviewIntervalMonths == 0
		case "description":
			field, missing = "description", in.Description == ""
		}
		if missing && !v.Has(field) {
			v.Add(field, "doc.err.required_by_rules", "doc.meta."+m)
		}
	}
	return nil
}

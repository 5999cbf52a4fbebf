package main

import (
	"context"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
)

func dialectName(d sqlstore.Dialect) string {
	if d == sqlstore.Postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// benchData counts what the measured organisation holds, so a report says
// at what size its figures were taken.
func benchData(ctx context.Context, store *sqlstore.DB, orgID int64) ([]dataCount, error) {
	var out []dataCount
	assets := 0
	for _, k := range []isms.EntryKind{isms.KindProcess, isms.KindInformation, isms.KindSystem} {
		_, n, err := store.OverviewEntries(ctx, orgID, isms.EntryFilter{Kind: k, Limit: 1})
		if err != nil {
			return nil, err
		}
		assets += n
	}
	out = append(out, dataCount{"primary assets (processes, information, systems)", assets})
	_, supporting, err := store.Assets(ctx, orgID, isms.AssetFilter{Primary: "supporting", Limit: 1})
	if err != nil {
		return nil, err
	}
	out = append(out, dataCount{"supporting assets", supporting})
	_, assessments, err := store.RiskAssessments(ctx, orgID, isms.AssessmentFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	out = append(out, dataCount{"risk assessments", assessments})
	_, risks, err := store.Risks(ctx, orgID, isms.RiskFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	out = append(out, dataCount{"risks", risks})
	_, tasks, err := store.RiskTasks(ctx, orgID, isms.RiskTaskFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	out = append(out, dataCount{"treatment actions", tasks})
	_, docs, err := store.Documents(ctx, orgID, isms.DocumentFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	out = append(out, dataCount{"documents", docs})
	soa, err := store.SoA(ctx, orgID, isms.SoAFilter{})
	if err != nil {
		return nil, err
	}
	out = append(out, dataCount{"SoA controls decided", soa.Summary.Applicable + soa.Summary.Excluded})
	_, events, err := store.AuditEvents(ctx, orgID, isms.AuditFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	out = append(out, dataCount{"audit events", events})
	return out, nil
}

package sqlstore_test

import (
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/loadgen"
)

// benchRiskStore measures the risk register's reads: the first page with
// a filter and a sort, and the heat map's counts.
func benchRiskStore(b *testing.B, l *loadgen.Large) {
	ctx, org := l.As(), l.Org.ID
	b.Run("risk_register", func(b *testing.B) {
		f := isms.RiskFilter{Treatment: string(isms.TreatmentMitigate), Query: loadgen.FilterWord, Sort: "-residual", Limit: 50}
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := l.DB.Risks(ctx, org, f); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("risk_heatmap", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := l.DB.RiskHeatMap(ctx, org, isms.RiskFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

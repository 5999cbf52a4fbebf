package catalog_test

import (
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
)

// The Danish scales as the reference file classifies them, with English
// labels for every level.
func TestRiskScales(t *testing.T) {
	scales := catalog.RiskScales()
	if len(scales) != 4 || scales[0].Key != catalog.DefaultRiskScaleKey || scales[0].Name != "4x4 Standard" {
		t.Fatalf("scales: %d, first %s", len(scales), scales[0].Key)
	}
	bands := map[string]int{"SCALE_1_4": 3, "SCALE_1_4_KL": 5, "SCALE_1_4_HERNING": 5, "SCALE_1_4_DATATILSYNET": 4}
	for _, s := range scales {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", s.Key, err)
		}
		if len(s.Bands) != bands[s.Key] {
			t.Errorf("%s: %d bands", s.Key, len(s.Bands))
		}
		for i := range s.Likelihood {
			if s.Likelihood[i].EN == "" || s.Consequence[i].EN == "" {
				t.Errorf("%s: level %d lacks English", s.Key, i+1)
			}
		}
	}
	// The file writes consequence then likelihood: "34" is consequence 3,
	// likelihood 4, red on the standard scale; "14" (consequence 1,
	// likelihood 4) is yellow.
	std, _ := catalog.RiskScale("SCALE_1_4")
	for _, c := range []struct {
		l, c int
		band string
	}{{4, 3, "high"}, {4, 1, "medium"}, {1, 3, "low"}, {3, 1, "low"}, {2, 2, "low"}, {3, 3, "medium"}} {
		if b := std.Band(c.l, c.c); b == nil || b.Key != c.band {
			t.Errorf("standard (l%d, c%d): %+v, want %s", c.l, c.c, b, c.band)
		}
	}
	if s := catalog.StarterRiskScale(6); s.Validate() != nil || s.Size != 6 || s.Classification != isms.ClassifyScore {
		t.Errorf("starter scale: %+v", s)
	}
}

func TestThreatCatalogue(t *testing.T) {
	threats := catalog.Threats()
	seen := map[string]bool{}
	for _, th := range threats {
		if seen[th.Key] || th.Key == "" {
			t.Errorf("key %q twice or empty", th.Key)
		}
		seen[th.Key] = true
		for _, k := range th.AssetKinds {
			if !k.Valid() {
				t.Errorf("%s: kind %s", th.Key, k)
			}
		}
		if th.Affects.String() == "" {
			t.Errorf("%s affects nothing", th.Key)
		}
	}
	if len(threats) < 30 {
		t.Errorf("%d threats", len(threats))
	}
	if da, en := catalog.ThreatCatalogueNames(); da == "" || en == "" {
		t.Error("the catalogue is unnamed")
	}
}

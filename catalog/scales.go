package catalog

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/ismsdk/isms"
)

// The Danish public sector's 4×4 likelihood × consequence scales
// (dk-risk-scales.json), offered to every organisation as its risk
// method's scale. The file gives the Danish labels and classifies each
// cell; the English labels and the colours are the product's own.

// DefaultRiskScaleKey is the scale an organisation starts with.
const DefaultRiskScaleKey = "SCALE_1_4"

type riskScaleFile struct {
	Scales []struct {
		ID          string              `json:"id"`
		Name        string              `json:"name"`
		Probability map[string]string   `json:"probability"`
		Consequence map[string]string   `json:"consequence"`
		Cells       map[string][]string `json:"cells"`
	} `json:"scales"`
}

// English labels of the Danish scales, keyed by the Danish label.
var riskScaleLabelEN = map[string]string{
	"Usandsynligt":                          "Unlikely",
	"Mindre sandsynligt":                    "Less likely",
	"Sandsynligt":                           "Likely",
	"Forventet":                             "Expected",
	"Ubetydelig":                            "Insignificant",
	"Mindre alvorlig":                       "Less serious",
	"Meget alvorlig":                        "Very serious",
	"Graverende/ødelæggende":                "Grave/devastating",
	"Ødelæggende":                           "Devastating",
	"Lav":                                   "Low",
	"Medium":                                "Medium",
	"Høj":                                   "High",
	"Meget høj":                             "Very high",
	"Lav (Usandsynligt)":                    "Low (unlikely)",
	"Medium (Mindre sandsynligt)":           "Medium (less likely)",
	"Høj (Sandsynligt)":                     "High (likely)",
	"Meget høj (Forventet)":                 "Very high (expected)",
	"Lav (Ubetydelig, uvæsentlig)":          "Low (insignificant, immaterial)",
	"Medium (Mindre alvorlig, generende)":   "Medium (less serious, inconvenient)",
	"Høj (Alvorlig, kritisk)":               "High (serious, critical)",
	"Meget høj (Graverende, meget kritisk)": "Very high (grave, very critical)",
}

// The colour classes of the file, lowest first, with the bands they
// become. The colours keep black text readable (WCAG AA) on every one.
var riskScaleBands = []struct {
	class string
	band  isms.RiskBand
}{
	{"GREEN", isms.RiskBand{Key: "low", DA: "Lav", EN: "Low", Color: "#4caf50"}},
	{"LIGHT_GREEN", isms.RiskBand{Key: "below_medium", DA: "Under middel", EN: "Below medium", Color: "#b5d98a"}},
	{"YELLOW", isms.RiskBand{Key: "medium", DA: "Middel", EN: "Medium", Color: "#ffd84d"}},
	{"ORANGE", isms.RiskBand{Key: "above_medium", DA: "Over middel", EN: "Above medium", Color: "#ff9f40"}},
	{"RED", isms.RiskBand{Key: "high", DA: "Høj", EN: "High", Color: "#e8574f"}},
}

// RiskScales returns the shipped scales, the default first.
func RiskScales() []isms.RiskScale {
	var f riskScaleFile
	if err := json.Unmarshal(File("dk-risk-scales.json"), &f); err != nil {
		panic(fmt.Sprintf("catalog: dk-risk-scales.json: %v", err))
	}
	out := make([]isms.RiskScale, 0, len(f.Scales))
	for _, s := range f.Scales {
		sc := isms.RiskScale{Key: s.ID, Name: s.Name, Size: 4, Classification: isms.ClassifyCells, Cells: map[string]string{}}
		for i := 1; i <= 4; i++ {
			k := fmt.Sprint(i)
			sc.Likelihood = append(sc.Likelihood, isms.ScaleLabel{DA: s.Probability[k], EN: riskScaleEnglish(s.Probability[k])})
			sc.Consequence = append(sc.Consequence, isms.ScaleLabel{DA: s.Consequence[k], EN: riskScaleEnglish(s.Consequence[k])})
		}
		for _, b := range riskScaleBands {
			cells, ok := s.Cells[b.class]
			if !ok {
				continue
			}
			sc.Bands = append(sc.Bands, b.band)
			// The file writes a cell as consequence then probability
			// ("34" is consequence 3, likelihood 4).
			for _, cell := range cells {
				if len(cell) != 2 {
					panic("catalog: bad cell " + cell + " in scale " + s.ID)
				}
				c, l := int(cell[0]-'0'), int(cell[1]-'0')
				sc.Cells[isms.CellKey(l, c)] = b.band.Key
			}
		}
		sc.Bands = riskScoreRanges(sc)
		if err := sc.Validate(); err != nil {
			panic(fmt.Sprintf("catalog: scale %s: %v", s.ID, err))
		}
		out = append(out, sc)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key == DefaultRiskScaleKey && out[j].Key != DefaultRiskScaleKey })
	return out
}

// scoreRanges fills in each band's lowest and highest score among its
// cells, for reading; the cells decide.
func riskScoreRanges(s isms.RiskScale) []isms.RiskBand {
	bands := append([]isms.RiskBand(nil), s.Bands...)
	for i := range bands {
		bands[i].MinScore, bands[i].MaxScore = 0, 0
		for l := 1; l <= s.Size; l++ {
			for c := 1; c <= s.Size; c++ {
				if s.Cells[isms.CellKey(l, c)] != bands[i].Key {
					continue
				}
				if bands[i].MinScore == 0 || l*c < bands[i].MinScore {
					bands[i].MinScore = l * c
				}
				bands[i].MaxScore = max(bands[i].MaxScore, l*c)
			}
		}
	}
	return bands
}

func riskScaleEnglish(da string) string {
	if en, ok := riskScaleLabelEN[da]; ok {
		return en
	}
	panic("catalog: no English label for scale label " + da)
}

// RiskScale returns a shipped scale by its key.
func RiskScale(key string) (isms.RiskScale, bool) {
	for _, s := range RiskScales() {
		if s.Key == key {
			return s, true
		}
	}
	return isms.RiskScale{}, false
}

// StarterRiskScale is a custom scale of the given size to begin editing from:
// neutral labels, three bands by score.
func StarterRiskScale(size int) isms.RiskScale {
	size = min(max(size, isms.MinScaleSize), isms.MaxScaleSize)
	s := isms.RiskScale{Key: isms.CustomScale, Size: size, Classification: isms.ClassifyScore}
	for i := 1; i <= size; i++ {
		s.Likelihood = append(s.Likelihood, isms.ScaleLabel{DA: fmt.Sprintf("Niveau %d", i), EN: fmt.Sprintf("Level %d", i)})
		s.Consequence = append(s.Consequence, isms.ScaleLabel{DA: fmt.Sprintf("Niveau %d", i), EN: fmt.Sprintf("Level %d", i)})
	}
	top := size * size
	low, high := top/4, top*2/3
	s.Bands = []isms.RiskBand{
		{Key: "low", DA: "Lav", EN: "Low", Color: "#4caf50", MinScore: 1, MaxScore: low},
		{Key: "medium", DA: "Middel", EN: "Medium", Color: "#ffd84d", MinScore: low + 1, MaxScore: high},
		{Key: "high", DA: "Høj", EN: "High", Color: "#e8574f", MinScore: high + 1, MaxScore: top},
	}
	return s
}

package catalog

import (
	"encoding/json"
	"fmt"

	"github.com/ismsdk/isms"
)

// The threat catalogue that ships with the product (threats.json): the
// usual threats to information and systems in Danish and English, grouped,
// each with the properties it typically harms and the kinds of asset it
// applies to. Organisations add their own threats in catalogues of their
// own; the shipped one is loaded into the database by a migration, which a
// test keeps in step with this file.

// ThreatCatalogueKey identifies the shipped catalogue in the database.
const ThreatCatalogueKey = "standard"

type threatFile struct {
	Catalogue struct {
		Key    string `json:"key"`
		NameDA string `json:"name_da"`
		NameEN string `json:"name_en"`
	} `json:"catalogue"`
	Threats []struct {
		Key           string       `json:"key"`
		Group         string       `json:"group"`
		NameDA        string       `json:"name_da"`
		NameEN        string       `json:"name_en"`
		DescriptionDA string       `json:"description_da"`
		DescriptionEN string       `json:"description_en"`
		Affects       isms.Affects `json:"affects"`
		AssetKinds    []string     `json:"asset_kinds"`
	} `json:"threats"`
}

// ThreatCatalogueNames returns the shipped catalogue's name in Danish and English.
func ThreatCatalogueNames() (da, en string) {
	f := readThreatFile()
	return f.Catalogue.NameDA, f.Catalogue.NameEN
}

// Threats returns the shipped threats in the catalogue's order.
func Threats() []isms.Threat {
	f := readThreatFile()
	out := make([]isms.Threat, 0, len(f.Threats))
	for _, t := range f.Threats {
		th := isms.Threat{Key: t.Key, Group: t.Group, NameDA: t.NameDA, NameEN: t.NameEN,
			DescriptionDA: t.DescriptionDA, DescriptionEN: t.DescriptionEN, Affects: t.Affects,
			Status: isms.StatusActive, Builtin: true}
		for _, k := range t.AssetKinds {
			th.AssetKinds = append(th.AssetKinds, isms.AssetKind(k))
		}
		out = append(out, th)
	}
	return out
}

func readThreatFile() threatFile {
	var f threatFile
	if err := json.Unmarshal(File("threats.json"), &f); err != nil {
		panic(fmt.Sprintf("catalog: threats.json: %v", err))
	}
	return f
}

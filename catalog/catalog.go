// Package catalog embeds the reference data the product ships: the guide's
// checklist, the Annex A controls of ISO/IEC 27001:2022 and 2013 (ids and
// titles only) with the mapping between them, the mandatory documented
// information, and the Danish risk scales. Provenance is in NOTICE.md.
package catalog

import (
	"embed"
	"encoding/csv"
	"fmt"
	"strings"
)

//go:embed data
var data embed.FS

// Control is one Annex A control.
type Control struct {
	ID      string
	Theme   string // organizational, people, physical, technological (2022)
	TitleEN string
	TitleDA string
	New     bool     // new in 2022
	MapsTo  []string // for 2013 controls: the 2022 controls they map to
}

// Title returns the title in the given language.
func (c Control) Title(lang string) string {
	if lang == "en" {
		return c.TitleEN
	}
	return c.TitleDA
}

// AnnexA2022 returns the 93 controls of ISO/IEC 27001:2022 Annex A.
func AnnexA2022() []Control {
	rows := readCSV("data/annex-a-2022.csv")
	out := make([]Control, 0, len(rows))
	for _, r := range rows {
		out = append(out, Control{ID: r[0], Theme: r[1], TitleEN: r[2], TitleDA: r[3], New: r[4] == "yes"})
	}
	return out
}

// AnnexA2013 returns the 114 controls of the 2013 edition with their mapping.
func AnnexA2013() []Control {
	rows := readCSV("data/annex-a-2013.csv")
	out := make([]Control, 0, len(rows))
	for _, r := range rows {
		out = append(out, Control{ID: r[0], TitleEN: r[1], TitleDA: r[2], MapsTo: strings.Fields(r[3])})
	}
	return out
}

// File returns an embedded reference file by name, e.g. "dk-risk-scales.json".
func File(name string) []byte {
	b, err := data.ReadFile("data/" + name)
	if err != nil {
		panic(fmt.Sprintf("catalog: %s is not embedded: %v", name, err))
	}
	return b
}

// readCSV reads an embedded CSV without its header. The files are part of
// the binary, so a broken one is a programming error.
func readCSV(name string) [][]string {
	f, err := data.Open(name)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		panic(fmt.Sprintf("catalog: %s: %v", name, err))
	}
	return rows[1:]
}

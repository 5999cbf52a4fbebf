package catalog

import (
	"encoding/json"
	"fmt"
)

// DocumentationRequirement is one row of the guide's lists of documented
// information (section 2.8): a mandatory document with its ISO/IEC 27001
// clause references (the guide's 2013 ones and the 2022 ones beside them),
// or an optional one with the Annex A controls it serves.
type DocumentationRequirement struct {
	Key        string `json:"key"`
	Kind       string `json:"-"`    // "mandatory" or "optional"
	DocKind    string `json:"kind"` // the document kind that usually fulfils it
	Clause2013 string `json:"clause_2013"`
	Clause2022 string `json:"clause_2022"`
	AnnexA     string `json:"annex_a"` // space-separated 2022 control refs (optional ones)
	TitleDA    string `json:"title_da"`
	TitleEN    string `json:"title_en"`
}

// Title returns the title in the given language.
func (r DocumentationRequirement) Title(lang string) string {
	if lang == "en" {
		return r.TitleEN
	}
	return r.TitleDA
}

// DocumentationRequirements returns the guide's mandatory documentation
// followed by its optional documentation, in the guide's order.
func DocumentationRequirements() []DocumentationRequirement {
	var f struct {
		Mandatory []DocumentationRequirement `json:"mandatory"`
		Optional  []DocumentationRequirement `json:"optional"`
	}
	if err := json.Unmarshal(File("documentation-requirements.json"), &f); err != nil {
		panic(fmt.Sprintf("catalog: documentation-requirements.json: %v", err))
	}
	out := make([]DocumentationRequirement, 0, len(f.Mandatory)+len(f.Optional))
	for _, r := range f.Mandatory {
		r.Kind = "mandatory"
		out = append(out, r)
	}
	for _, r := range f.Optional {
		r.Kind = "optional"
		out = append(out, r)
	}
	return out
}

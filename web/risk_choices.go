package web

import "strconv"

// The scale's levels as a select's choices, for the field partial: each
// level by its number and the organisation's name for it.

// LikelihoodChoices are the likelihood levels of the scale.
func (u riskUI) LikelihoodChoices() []choice { return u.levelChoices(u.L) }

// ConsequenceChoices are the consequence levels of the scale.
func (u riskUI) ConsequenceChoices() []choice { return u.levelChoices(u.C) }

func (u riskUI) levelChoices(name func(int) string) []choice {
	out := make([]choice, 0, u.M.Scale.Size)
	for _, l := range u.Levels() {
		out = append(out, choice{Value: strconv.Itoa(l), Label: name(l)})
	}
	return out
}

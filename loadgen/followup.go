package loadgen

import (
	"fmt"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/sqlstore"
)

// What runs through the whole year: the checklist's daily snapshot, taken
// once a week of generated time (serve takes it every day), which the
// progress chart and the questions' paths draw, and at the end of the year
// the coordinator's answers to the questions no record answers.

func init() { addStep(900, "checklist follow-up", 0.95, 1, fillFollowUp) }

// weekly takes the checklist's snapshot once a week of generated time.
func (g *Gen) weekly() {
	g.Schedule(g.now.AddDate(0, 0, 7), func() error {
		if err := g.tally(); err != nil {
			return err
		}
		g.weekly()
		return nil
	})
}

func (g *Gen) tally() error {
	if _, err := g.DB.TakeChecklistSnapshot(g.AsRole(isms.RoleCoordinator), g.Org.ID); err != nil {
		return fmt.Errorf("checklist snapshot: %w", err)
	}
	g.tallies++
	return nil
}

func fillFollowUp(g *Gen) error {
	var open []catalog.Question
	for _, q := range catalog.Checklist {
		if !sqlstore.HasRule(q.ID) {
			open = append(open, q)
		}
	}
	g.Phase(len(open) + 1)
	coord := g.AsRole(isms.RoleCoordinator)
	answered := 0
	for i, q := range open {
		// Most are in place after a year's work; some only partly.
		status, reason := isms.AnswerYes, "Gennemgået på årets sidste møde i sikkerhedsudvalget; dokumentation i ESDH."
		if i%4 == 3 {
			status, reason = isms.AnswerPartly, "Delvist på plads; resten er planlagt i årshjulet til næste kvartal."
		}
		if err := g.Tick(); err != nil {
			return err
		}
		if err := g.DB.AnswerManually(coord, g.Org.ID, q.ID, status, reason, 0); err != nil {
			return fmt.Errorf("answer to %s: %w", q.ID, err)
		}
		answered++
	}
	g.Count("checklist answers by hand", answered)
	return nil
}

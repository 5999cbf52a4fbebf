package sqlstore

import (
	"github.com/ismsdk/isms"
)

// Rules for checklist questions 2.1 and 2.2, answered from the topic
// activities every element reports (annual wheel, security committee).
// Their readable statements list what every topic source counts.
func init() {
	registerRule("2.1", ruleTopicsDealtWith)
	registerRule("2.2", ruleTopicsPlanned)
	registerRuleText("2.1", func() []any { return []any{topicSourceTexts(true)} })
	registerRuleText("2.2", func() []any { return []any{topicSourceTexts(false)} })
}

func topicEvidence(a *isms.TopicActivity) isms.Evidence {
	return a.Evidence
}

// 2.1: management dealt with each of the seven topics within the last
// twelve months.
func ruleTopicsDealtWith(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	status, err := tx.topicStatus(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	yearAgo := isms.DateOf(tx.now.AddDate(-1, 0, 0))
	have := 0
	for _, st := range status {
		if st.Last != nil && !st.Last.Day.Before(yearAgo) {
			have++
			a.Evidence = append(a.Evidence, topicEvidence(st.Last))
			continue
		}
		if st.Last != nil {
			a.Reasons = append(a.Reasons, isms.Msg("reason.topic_stale", "topic."+st.Topic, st.Last.Day.String()))
		} else {
			a.Reasons = append(a.Reasons, isms.Msg("reason.topic_never", "topic."+st.Topic))
		}
	}
	a.Status = grade(have, len(isms.ManagementTopics))
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.topics_dealt"))
	}
	return a, nil
}

// 2.2: each of the seven topics has a planned occasion (an annual-wheel
// occurrence or a committee meeting) within the coming twelve months.
func ruleTopicsPlanned(tx *Tx, orgID int64) (*isms.ChecklistAnswer, error) {
	status, err := tx.topicStatus(orgID)
	if err != nil {
		return nil, err
	}
	a := &isms.ChecklistAnswer{}
	yearAhead := isms.DateOf(tx.now.AddDate(1, 0, 0))
	have := 0
	for _, st := range status {
		if st.Next != nil && !yearAhead.Before(st.Next.Day) {
			have++
			a.Evidence = append(a.Evidence, topicEvidence(st.Next))
			continue
		}
		a.Reasons = append(a.Reasons, isms.Msg("reason.topic_unplanned", "topic."+st.Topic))
	}
	a.Status = grade(have, len(isms.ManagementTopics))
	if a.Status == isms.AnswerYes {
		a.Reasons = append(a.Reasons, isms.Msg("reason.topics_planned"))
	}
	return a, nil
}

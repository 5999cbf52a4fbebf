package isms

import "context"

// The seven management topics of guide 2.2 that management must deal with
// at suitable intervals. Annual-wheel activities and committee decisions are
// tagged with them; the leadership page and checklist questions 2.1 and 2.2
// are worked out from those tags.
var ManagementTopics = []string{
	"objectives",    // målfastsættelse: objectives and risk acceptance
	"organisation",  // organisering
	"resources",     // ressourceallokering og prioritering
	"communication", // kommunikation
	"policies",      // fastsættelse af politikker og strategier
	"roles",         // fastsættelse af roller og ansvar
	"improvement",   // opfølgning og forbedring af ISMS'et
}

// ValidTopic reports whether t is one of the seven topics.
func ValidTopic(t string) bool {
	for _, x := range ManagementTopics {
		if x == t {
			return true
		}
	}
	return false
}

// TopicActivity is one occasion on which management dealt with a topic, or
// will: a completed or planned annual-wheel occurrence, a committee meeting's
// decision, … Each element that records such occasions reports them (see
// sqlstore.registerTopicSource).
type TopicActivity struct {
	Topic    string
	Day      Date
	Done     bool   // dealt with (true) or planned (false)
	Label    string // what it was, in the record's own words
	Evidence Evidence
	// Source is the catalogue key of what its source reports it as (e.g.
	// "topic.source.wheel"): the statements of checklist questions 2.1 and
	// 2.2 list these keys, so each occasion counted is one the text names.
	Source string
}

// TopicStatus is, per topic, when management last dealt with it and when
// it next will.
type TopicStatus struct {
	Topic string
	Last  *TopicActivity
	Next  *TopicActivity
}

// ScheduledItem is a dated obligation that another element owns but that
// belongs in the annual wheel's calendar, e.g. a risk assessment's
// reassessment or a document's review (see sqlstore.registerScheduleSource).
type ScheduledItem struct {
	Day      Date
	Label    string
	Kind     string // catalogue key naming what it is
	Done     bool
	Evidence Evidence
}

// TopicService reports the management topics across elements.
type TopicService interface {
	ManagementTopicStatus(ctx context.Context, orgID int64) ([]TopicStatus, error)
	ScheduledItems(ctx context.Context, orgID int64, from, to Date) ([]ScheduledItem, error)
}

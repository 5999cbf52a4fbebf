package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"github.com/ismsdk/isms"
)

// Elements report to each other through these registries rather than by
// reading each other's tables: the annual wheel and the security committee
// report when management deals with the seven topics (guide 2.2), and any
// element can put its dated obligations in the annual wheel's calendar.

// topicSource is one element's report of management's dealings with the
// seven topics. dealt and planned are catalogue keys saying in words what
// the source reports as management having dealt with a topic and as an
// occasion planned for one. Checklist questions 2.1 and 2.2 count every
// source's activities, and their readable statements list every source's
// dealt and planned from this same declaration (topicSourceTexts), so the
// text names everything the rules count.
type topicSource struct {
	dealt, planned string
	read           func(tx *Tx, orgID int64) ([]isms.TopicActivity, error)
}

var topicSources []topicSource

func registerTopicSource(dealt, planned string, read func(tx *Tx, orgID int64) ([]isms.TopicActivity, error)) {
	if dealt == "" || planned == "" {
		panic("a topic source must say what it counts")
	}
	topicSources = append(topicSources, topicSource{dealt: dealt, planned: planned, read: read})
}

// topicSourceTexts lists the catalogue keys of what the sources report as
// dealt with (done) or as planned, in the order of the sources.
func topicSourceTexts(done bool) []string {
	out := make([]string, 0, len(topicSources))
	for _, src := range topicSources {
		if done {
			out = append(out, src.dealt)
		} else {
			out = append(out, src.planned)
		}
	}
	return out
}

// scheduleSource reports one element's dated obligations between two days.
type scheduleSource func(tx *Tx, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error)

var scheduleSources []scheduleSource

func registerScheduleSource(f scheduleSource) { scheduleSources = append(scheduleSources, f) }

// topicActivities gathers every source's activities.
func (tx *Tx) topicActivities(orgID int64) ([]isms.TopicActivity, error) {
	var all []isms.TopicActivity
	for _, src := range topicSources {
		acts, err := src.read(tx, orgID)
		if err != nil {
			return nil, err
		}
		for i := range acts {
			acts[i].Source = src.planned
			if acts[i].Done {
				acts[i].Source = src.dealt
			}
		}
		all = append(all, acts...)
	}
	return all, nil
}

// topicStatus works out, per topic, the latest activity done and the
// earliest one planned from today on.
func (tx *Tx) topicStatus(orgID int64) ([]isms.TopicStatus, error) {
	return remember(tx, fmt.Sprint("topicStatus", orgID), func() ([]isms.TopicStatus, error) { return tx.readTopicStatus(orgID) })
}

func (tx *Tx) readTopicStatus(orgID int64) ([]isms.TopicStatus, error) {
	acts, err := tx.topicActivities(orgID)
	if err != nil {
		return nil, err
	}
	today := tx.Today()
	out := make([]isms.TopicStatus, 0, len(isms.ManagementTopics))
	for _, t := range isms.ManagementTopics {
		st := isms.TopicStatus{Topic: t}
		for i := range acts {
			a := &acts[i]
			if a.Topic != t {
				continue
			}
			if a.Done && (st.Last == nil || st.Last.Day.Before(a.Day)) {
				st.Last = a
			}
			if !a.Done && !a.Day.Before(today) && (st.Next == nil || a.Day.Before(st.Next.Day)) {
				st.Next = a
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// ManagementTopicStatus reports the seven topics to anyone who may read
// the organisation.
func (db *DB) ManagementTopicStatus(ctx context.Context, orgID int64) ([]isms.TopicStatus, error) {
	return view(db, ctx, "ManagementTopicStatus", orgID, func(tx *Tx) ([]isms.TopicStatus, error) { return tx.topicStatus(orgID) })
}

// ScheduledItems gathers every element's dated obligations in a period,
// ordered by day.
func (db *DB) ScheduledItems(ctx context.Context, orgID int64, from, to isms.Date) ([]isms.ScheduledItem, error) {
	var out []isms.ScheduledItem
	err := db.read(ctx, "ScheduledItems", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermView); err != nil {
			return err
		}
		for _, src := range scheduleSources {
			items, err := src(tx, orgID, from, to)
			if err != nil {
				return err
			}
			out = append(out, items...)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	return out, err
}

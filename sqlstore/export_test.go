package sqlstore

import (
	"context"
	"fmt"

	"github.com/ismsdk/isms"
)

// Internals the external tests look at.

// TopicSourceTexts lists what the topic sources report as dealt with
// (done) or planned: the keys the statements of rules 2.1 and 2.2 list.
var TopicSourceTexts = topicSourceTexts

// Translate is how the store reads a driver's error.
var Translate = translate

// TopicActivities reads every topic source's occasions, as rules 2.1 and
// 2.2 count them.
func (db *DB) TopicActivities(ctx context.Context, orgID int64) ([]isms.TopicActivity, error) {
	var out []isms.TopicActivity
	err := db.read(ctx, "TopicActivities", func(tx *Tx) (err error) {
		out, err = tx.topicActivities(orgID)
		return err
	})
	return out, err
}

// Generation names the state of an organisation's records that kept views
// are computed from (derived.go).
func (db *DB) Generation(ctx context.Context, orgID int64) (string, error) {
	var g generation
	err := db.read(ctx, "Generation", func(tx *Tx) (err error) {
		g, err = tx.generation(orgID)
		return err
	})
	return fmt.Sprintf("%+v", g), err
}

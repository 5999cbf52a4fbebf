package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/ismsdk/isms"
)

// The calendar feed: each organisation may publish its wheel as an
// iCalendar feed at a secret address, so Outlook and other calendars can
// subscribe. The secret is made by a coordinator, shown once, and only its
// hash is kept; making a new one revokes the old, and it can be revoked
// outright.

const wheelFeedTokenPrefix = "ismscal_"

// How far the feed reaches: last year's occurrences for reference, and
// two years ahead for planning.
const (
	wheelFeedReachBack  = 1
	wheelFeedReachAhead = 2
)

func (tx *Tx) wheelFeedState(orgID int64) (*isms.FeedToken, error) {
	var at time.Time
	var by string
	var used *time.Time
	err := tx.queryRow(`SELECT f.created_at, COALESCE(u.name, ''), f.last_used_at FROM wheel_feed_tokens f LEFT JOIN users u ON u.id = f.created_by
		WHERE f.organisation_id = ? AND f.revoked_at IS NULL ORDER BY f.id DESC LIMIT 1`, orgID).Scan(scanTime{&at}, &by, scanTimePtr{&used})
	if errors.Is(err, sql.ErrNoRows) {
		return &isms.FeedToken{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &isms.FeedToken{Active: true, CreatedAt: &at, CreatedByName: by, LastUsedAt: used}, nil
}

// FeedTokenState tells coordinators whether the feed is published. The
// token is not kept, so it cannot be shown again.
func (db *DB) FeedTokenState(ctx context.Context, orgID int64) (*isms.FeedToken, error) {
	var st *isms.FeedToken
	err := db.read(ctx, "FeedTokenState", func(tx *Tx) (err error) {
		if _, err = tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		st, err = tx.wheelFeedState(orgID)
		return err
	})
	return st, err
}

// CreateFeedToken makes a new secret for the feed and revokes any earlier
// one: calendars subscribed with the old address stop receiving updates.
func (db *DB) CreateFeedToken(ctx context.Context, orgID int64) (string, *isms.FeedToken, error) {
	var token string
	var st *isms.FeedToken
	err := db.write(ctx, "CreateFeedToken", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.wheelFeedState(orgID)
		if err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE wheel_feed_tokens SET revoked_at = ? WHERE organisation_id = ? AND revoked_at IS NULL", ts(tx.now), orgID); err != nil {
			return err
		}
		var hash string
		if token, hash, err = newToken(wheelFeedTokenPrefix); err != nil {
			return err
		}
		var by any
		if tx.actor.UserID != 0 {
			by = tx.actor.UserID
		}
		id, err := tx.insert("INSERT INTO wheel_feed_tokens (organisation_id, token_hash, created_by, created_at) VALUES (?, ?, ?, ?)",
			orgID, hash, by, ts(tx.now))
		if err != nil {
			return err
		}
		if st, err = tx.wheelFeedState(orgID); err != nil {
			return err
		}
		var b any
		if before.Active {
			b = before
		}
		return tx.audit(orgID, "wheel_feed_create", typeWheelFeed, id, b, st)
	})
	return token, st, err
}

// RevokeFeedToken unpublishes the feed.
func (db *DB) RevokeFeedToken(ctx context.Context, orgID int64) error {
	return db.write(ctx, "RevokeFeedToken", func(tx *Tx) error {
		if _, err := tx.require(orgID, isms.PermEdit); err != nil {
			return err
		}
		before, err := tx.wheelFeedState(orgID)
		if err != nil {
			return err
		}
		if !before.Active {
			return notFound("calendar feed")
		}
		var id int64
		if err := tx.queryRow("SELECT id FROM wheel_feed_tokens WHERE organisation_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1", orgID).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE wheel_feed_tokens SET revoked_at = ? WHERE organisation_id = ? AND revoked_at IS NULL", ts(tx.now), orgID); err != nil {
			return err
		}
		return tx.audit(orgID, "wheel_feed_revoke", typeWheelFeed, id, before, &isms.FeedToken{})
	})
}

// WheelFeed answers the public feed. A wrong, revoked or malformed token
// is "not found", like any address that does not exist. It notes when the
// feed was last fetched, at most once an hour, so coordinators can see
// whether a subscription is alive without a write on every poll.
func (db *DB) WheelFeed(ctx context.Context, token string) (*isms.WheelFeed, error) {
	if !strings.HasPrefix(token, wheelFeedTokenPrefix) || len(token) > 200 {
		return nil, notFound("calendar feed")
	}
	hash := tokenHash(token)
	var feed *isms.WheelFeed
	var tokenID int64
	var lastUsed sql.NullString
	err := db.read(ctx, "WheelFeed", func(tx *Tx) error {
		var orgID int64
		err := tx.queryRow("SELECT id, organisation_id, last_used_at FROM wheel_feed_tokens WHERE token_hash = ? AND revoked_at IS NULL", hash).
			Scan(&tokenID, &orgID, &lastUsed)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("calendar feed")
		}
		if err != nil {
			return err
		}
		feed = &isms.WheelFeed{OrganisationID: orgID}
		if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", orgID).Scan(&feed.OrganisationName); err != nil {
			return err
		}
		y := tx.Today().Year()
		from, _ := wheelYearBounds(y - wheelFeedReachBack)
		_, to := wheelYearBounds(y + wheelFeedReachAhead)
		if feed.Occurrences, err = tx.wheelOccurrencesBetween(orgID, from, to); err != nil {
			return err
		}
		feed.Scheduled, err = tx.wheelScheduledItems(orgID, from, to)
		return err
	})
	if err != nil {
		return nil, err
	}
	if now := db.Now(); !lastUsed.Valid || now.Sub(parseTS(lastUsed.String)).Hours() >= 1 {
		// Recorded after the read, which never waits on a writer for it.
		db.noteUse("WheelFeed", "UPDATE wheel_feed_tokens SET last_used_at = ? WHERE id = ?", tokenID)
	}
	return feed, nil
}

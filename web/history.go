package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/ismsdk/isms"
)

// historyItem is one audit event of a record with the fields it changed.
type historyItem struct {
	Event   *isms.AuditEvent
	Changes []fieldChange
}

type fieldChange struct {
	Field, Before, After string
}

// history reads a record's audit events and works out, for each, which
// top-level fields changed. Every element's record page shows it.
func (s *Server) history(r *http.Request, recordType string, id int64) ([]historyItem, error) {
	events, _, err := s.Audit.AuditEvents(r.Context(), orgFrom(r.Context()).ID, isms.AuditFilter{RecordType: recordType, RecordID: id, Limit: 200})
	if err != nil {
		return nil, err
	}
	out := make([]historyItem, 0, len(events))
	for _, e := range events {
		out = append(out, historyItem{Event: e, Changes: s.diffs.of(e)})
	}
	return out, nil
}

// diffCache keeps the changes worked out of audit events, by the event's
// hash: a chained event never changes, and its hash covers its before and
// after, so a kept diff cannot go stale. Working them out decoded both
// JSON documents each time a record's page was shown. The cache is
// emptied when it reaches its bound.
type diffCache struct {
	mu sync.Mutex
	m  map[string][]fieldChange
}

const maxDiffs = 4096

func (c *diffCache) of(e *isms.AuditEvent) []fieldChange {
	if e.Hash == "" {
		return diffJSON(e.Before, e.After)
	}
	c.mu.Lock()
	d, ok := c.m[e.Hash]
	c.mu.Unlock()
	if ok {
		return d
	}
	d = diffJSON(e.Before, e.After)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxDiffs {
		c.m = map[string][]fieldChange{}
	}
	c.m[e.Hash] = d
	c.mu.Unlock()
	return d
}

// ignoredInDiff are bookkeeping fields every record has.
var ignoredInDiff = map[string]bool{"version": true, "updated_at": true, "created_at": true, "id": true, "organisation_id": true}

func diffJSON(before, after json.RawMessage) []fieldChange {
	var b, a map[string]any
	json.Unmarshal(before, &b)
	json.Unmarshal(after, &a)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []fieldChange
	for k := range keys {
		if ignoredInDiff[k] {
			continue
		}
		bv, av := show(b[k]), show(a[k])
		if bv != av {
			out = append(out, fieldChange{k, bv, av})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strings.TrimSuffix(fmt.Sprintf("%.0f", x), ".0")
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

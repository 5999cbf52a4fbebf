package isms

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEvent is one change: who, when, what, before and after. The events
// of an organisation form a hash chain: each event's hash covers its content
// and the previous event's hash, so a changed or removed event breaks the
// chain from there on.
type AuditEvent struct {
	ID             int64           `json:"id"`
	OrganisationID int64           `json:"organisation_id"` // 0 for site-wide events
	Seq            int64           `json:"seq"`
	At             time.Time       `json:"at"`
	ActorID        int64           `json:"actor_id"`
	ActorName      string          `json:"actor_name"`
	Action         string          `json:"action"` // create, update, delete, approve, …
	RecordType     string          `json:"record_type"`
	RecordID       int64           `json:"record_id"`
	Before         json.RawMessage `json:"before,omitempty"`
	After          json.RawMessage `json:"after,omitempty"`
	PrevHash       string          `json:"prev_hash"`
	Hash           string          `json:"hash"`
	// Redacted is set when the caller may not read the record the event is
	// about (e.g. a secret document): before and after are left out.
	Redacted bool `json:"redacted,omitempty"`
}

// ChainBreak names the first event whose hash does not follow.
type ChainBreak struct {
	OrganisationID int64
	Seq            int64
	EventID        int64
	Reason         string
}

// AuditFilter narrows the audit trail.
type AuditFilter struct {
	RecordType string
	RecordID   int64
	Offset     int
	Limit      int
}

// AuditService reads the audit trail and verifies its chains.
type AuditService interface {
	AuditEvents(ctx context.Context, orgID int64, f AuditFilter) ([]*AuditEvent, int, error)
	// VerifyAudit recomputes every chain (no caller check: it is an
	// operator's command) and returns the first break of each broken chain.
	VerifyAudit(ctx context.Context) (checked int, breaks []ChainBreak, err error)
}

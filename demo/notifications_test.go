package demo_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/demo"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// The demo's people find in their inboxes what the demo assigned to them
// across the registers; the overseer, no member, finds none.
func TestFillNotifications(t *testing.T) {
	t.Parallel()
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		d, err := demo.Fill(context.Background(), db, &bytes.Buffer{}, "")
		if err != nil {
			t.Fatal(err)
		}
		sources := map[string]int{}
		events := map[isms.NotificationEvent]int{}
		for _, role := range []isms.Role{isms.RoleCoordinator, isms.RoleContributor, isms.RoleManagement, isms.RoleAdministrator, isms.RoleAuditor, isms.RoleReader} {
			list, _, err := db.Notifications(d.As(role), d.Org.ID, isms.NotificationFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range list {
				if n.UserID != d.Users[role].ID || n.Path == "" || n.Read() {
					t.Errorf("%s: %+v", role, n)
				}
				sources[n.Source]++
				events[n.Event]++
			}
		}
		t.Logf("sources %v, events %v", sources, events)
		if len(sources) < 4 || events[isms.NotifyAssigned] == 0 || events[isms.NotifyOverdue]+events[isms.NotifyDueSoon] == 0 {
			t.Fatalf("sources %v, events %v", sources, events)
		}
		if _, total, err := db.Notifications(d.AsOverseer(), d.Org.ID, isms.NotificationFilter{}); err != nil || total != 0 {
			t.Fatalf("overseer: %d %v", total, err)
		}
	})
}

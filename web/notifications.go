package web

import (
	"context"
	"net/http"

	"github.com/ismsdk/isms"
)

// Notifications: each member's inbox in an organisation (what is assigned
// to them, due soon, overdue, and incident reporting deadlines running
// out), the unread count in the header, marking read, the choice of mail
// digest on the account page, and the API. The store lets each caller see
// only their own notifications, in an organisation they may see.

type inboxData struct {
	Items  []*isms.Notification
	Unread bool
	Pager  pager
	Mail   bool
}

func inboxFilterFrom(r *http.Request, limit int) (isms.NotificationFilter, error) {
	f := isms.NotificationFilter{Unread: r.URL.Query().Get("show") != "all"}
	var err error
	f.Offset, f.Limit, err = pageFrom(r, limit)
	return f, err
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) error {
	org := orgFrom(r.Context())
	f, err := inboxFilterFrom(r, 50)
	if err != nil {
		return err
	}
	items, total, err := s.Notifications.Notifications(r.Context(), org.ID, f)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.inbox")
	p.Data = inboxData{Items: items, Unread: f.Unread, Pager: newPager(r, total, f.Offset, f.Limit), Mail: s.cfg.Reminders}
	s.render(w, http.StatusOK, "inbox", p)
	return nil
}

// inboxBack is where a mark-read form returns to: the inbox with the
// filter it was sent from.
func inboxBack(r *http.Request) string {
	if r.PostForm.Get("show") == "all" {
		return p0(r, "/inbox?show=all")
	}
	return p0(r, "/inbox")
}

func (s *Server) inboxReadSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Notifications.MarkNotificationRead(r.Context(), orgFrom(r.Context()).ID, id); err != nil {
		return err
	}
	s.redirect(w, r, inboxBack(r), "notif.flash_read")
	return nil
}

func (s *Server) inboxReadAllSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.Notifications.MarkAllNotificationsRead(r.Context(), orgFrom(r.Context()).ID); err != nil {
		return err
	}
	s.redirect(w, r, inboxBack(r), "notif.flash_all")
	return nil
}

// inboxBadge is the header's link to the inbox with the unread count.
type inboxBadge struct{ Unread int }

// Inbox is the caller's inbox badge in the page's organisation, or nil
// outside one. The header asks once per page.
func (p *page) Inbox() *inboxBadge {
	if p.Org == nil || p.User == nil || p.s.Notifications == nil {
		return nil
	}
	n, err := p.s.Notifications.UnreadNotifications(p.r.Context(), p.Org.ID)
	if err != nil {
		return nil
	}
	return &inboxBadge{Unread: n}
}

func (s *Server) notificationPrefsSubmit(w http.ResponseWriter, r *http.Request) error {
	_, err := s.Notifications.SetNotificationPreferences(r.Context(), isms.NotificationPreferences{Digest: isms.NotificationDigest(r.PostForm.Get("digest"))})
	if err != nil {
		p := s.newPage(r, "title.account")
		p.setError(err)
		return s.renderAccount(w, r, p, "", s.status(r, err))
	}
	s.redirect(w, r, "/account", "notif.flash_prefs")
	return nil
}

// notificationReadAllAPI marks all the caller's notifications read.
func (s *Server) notificationReadAllAPI(ctx context.Context, orgID int64) (readAllResponse, error) {
	n, err := s.Notifications.MarkAllNotificationsRead(ctx, orgID)
	return readAllResponse{Marked: n}, err
}

// readAllResponse answers how many notifications were marked read.
type readAllResponse struct {
	Marked int `json:"marked"`
}

var notificationsQuery = []apiParam{{"show", "string", "unread (default) or all"}, {"offset", "integer", ""}, {"limit", "integer", "at most 500"}}

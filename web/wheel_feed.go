package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/export"
	"github.com/ismsdk/isms/i18n"
)

// The calendar feed (iCalendar at a secret address), the reminder log and
// the user's language for reminder mails.

type wheelFeedData struct {
	State *isms.FeedToken
	// URL is the feed's address, shown once right after it is made.
	URL string
}

func (s *Server) wheelFeedPage(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Wheel.FeedTokenState(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.wheel_feed")
	p.Data = wheelFeedData{State: st}
	s.render(w, http.StatusOK, "wheel_feed", p)
	return nil
}

// baseURL is where the product answers, for links that leave it (the feed
// address, links in calendar events): the configured base URL, else the
// address the request came to.
func (s *Server) baseURL(r *http.Request) string {
	if b := strings.TrimRight(s.cfg.BaseURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// wheelFeedCreate makes a new secret and shows the address once: the page
// is the response to the POST, not a redirect, so the secret never sits in
// a URL of the browser's history.
func (s *Server) wheelFeedCreate(w http.ResponseWriter, r *http.Request) error {
	token, st, err := s.Wheel.CreateFeedToken(r.Context(), orgFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.wheel_feed")
	p.Flash = p.T("flash.wheel_feed_created")
	p.Data = wheelFeedData{State: st, URL: s.baseURL(r) + "/feeds/wheel/" + token + ".ics"}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, http.StatusOK, "wheel_feed", p)
	return nil
}

func (s *Server) wheelFeedRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := s.Wheel.RevokeFeedToken(r.Context(), orgFrom(r.Context()).ID); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/wheel/feed"), "flash.wheel_feed_revoked")
	return nil
}

// wheelFeedICS serves the public feed. It answers only to the right,
// unrevoked token; anything else is a plain 404 that tells nothing.
func (s *Server) wheelFeedICS(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		http.NotFound(w, r)
		return
	}
	feed, err := s.Wheel.WheelFeed(r.Context(), token)
	if err != nil {
		if isms.ErrorCode(err) == isms.ENotFound {
			http.NotFound(w, r)
			return
		}
		s.log.ErrorContext(r.Context(), "calendar feed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	lang := i18n.DA
	if r.URL.Query().Get("lang") == i18n.EN {
		lang = i18n.EN
	}
	var buf bytes.Buffer
	if err := export.WriteICalendar(&buf, wheelICalendar(feed, lang, s.baseURL(r), s.cfg.Now())); err != nil {
		s.log.ErrorContext(r.Context(), "calendar feed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="wheel.ics"`)
	w.Header().Set("Cache-Control", "private, max-age=900")
	w.Write(buf.Bytes())
}

// wheelICalendar turns the feed into events: one per occurrence (its UID
// names the activity and the planned date, so it stays the same when the
// occurrence is laid out, moved or completed) and one per obligation of
// the other elements.
func wheelICalendar(feed *isms.WheelFeed, lang, base string, now time.Time) export.Calendar {
	t := translator(lang)
	c := export.Calendar{ProdID: "-//ismsdk//ISMS annual wheel//" + strings.ToUpper(lang),
		Name: t("wheel.feed_name", feed.OrganisationName), Description: t("wheel.feed_desc", feed.OrganisationName), Refresh: time.Hour}
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	for _, o := range feed.Occurrences {
		st := o.DisplayStatus()
		summary := o.ActivityTitle
		if st != "planned" {
			summary += " (" + t(i18n.Key("wheel.status."+st)) + ")"
		}
		var desc []string
		desc = append(desc, t("wheel.feed_status", t(i18n.Key("wheel.status."+st))))
		if o.OwnerName != "" {
			desc = append(desc, t("wheel.feed_owner", o.OwnerName))
		}
		if o.RecordText != "" {
			desc = append(desc, t("wheel.feed_record", o.RecordText))
		}
		if o.Result != "" {
			desc = append(desc, t("wheel.feed_result", o.Result))
		}
		if o.SkipReason != "" {
			desc = append(desc, t("wheel.feed_skipped", o.SkipReason))
		}
		ev := export.CalendarEvent{UID: fmt.Sprintf("wheel-%d-%d-%s@%s", feed.OrganisationID, o.ActivityID, o.PlannedDate.Format("20060102"), host),
			Stamp: now, Day: o.DueDate.Time, Summary: summary, Description: strings.Join(desc, "\n"), Status: "CONFIRMED",
			Categories: []string{t("wheel.feed_category")}}
		if o.Status == isms.OccSkipped {
			ev.Status = "CANCELLED"
		}
		for _, tp := range o.Topics {
			ev.Categories = append(ev.Categories, t(i18n.Key("topic."+tp)))
		}
		if o.ID != 0 {
			ev.URL = fmt.Sprintf("%s/orgs/%d/wheel/occurrences/%d", base, feed.OrganisationID, o.ID)
		} else {
			ev.URL = fmt.Sprintf("%s/orgs/%d/wheel/activities/%d", base, feed.OrganisationID, o.ActivityID)
		}
		c.Events = append(c.Events, ev)
	}
	for _, it := range feed.Scheduled {
		summary := t(i18n.Key(it.Kind))
		if it.Label != "" {
			summary += ": " + it.Label
		}
		ev := export.CalendarEvent{UID: fmt.Sprintf("elsewhere-%d-%s-%d-%s-%s@%s", feed.OrganisationID, it.Evidence.RecordType, it.Evidence.RecordID,
			strings.NewReplacer(".", "-", "_", "-").Replace(it.Kind), it.Day.Format("20060102"), host),
			Stamp: now, Day: it.Day.Time, Summary: summary, Description: t("wheel.elsewhere"), Status: "CONFIRMED",
			Categories: []string{t("wheel.elsewhere")}}
		if it.Evidence.Path != "" {
			ev.URL = fmt.Sprintf("%s/orgs/%d%s", base, feed.OrganisationID, it.Evidence.Path)
		}
		c.Events = append(c.Events, ev)
	}
	return c
}

type wheelRemindersData struct {
	Entries     []*isms.MailLogEntry
	Pager       pager
	RemindersOn bool
}

func (s *Server) wheelRemindersPage(w http.ResponseWriter, r *http.Request) error {
	offset, err := queryInt(r, "offset", 0)
	if err != nil {
		return err
	}
	const limit = 100
	entries, total, err := s.Wheel.MailLog(r.Context(), orgFrom(r.Context()).ID, offset, limit)
	if err != nil {
		return err
	}
	p := s.newPage(r, "title.wheel_reminders")
	p.Data = wheelRemindersData{Entries: entries, Pager: newPager(r, total, offset, limit), RemindersOn: s.cfg.Reminders}
	s.render(w, http.StatusOK, "wheel_reminders", p)
	return nil
}

func (s *Server) wheelPreferencesSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := s.Wheel.SetMailLanguage(r.Context(), r.PostForm.Get("language")); err != nil {
		return err
	}
	s.redirect(w, r, p0(r, "/wheel"), "flash.saved")
	return nil
}

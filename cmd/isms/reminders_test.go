package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/sqlstore"
	"github.com/ismsdk/isms/sqlstore/sqltest"
)

// mailbox is a real SMTP server in the test process that keeps what it
// receives.
type mailbox struct {
	mu       sync.Mutex
	msgs     []received
	rejectTo string // refuse this recipient
	users    map[string]string
	srv      *smtp.Server
	addr     string
}

type received struct {
	From, To string
	Subject  string
	Body     string
	TLS      bool
	User     string
}

type mailSession struct {
	mb   *mailbox
	conn *smtp.Conn
	from string
	to   []string
	user string
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *mailSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if s.mb.users[user] != pass || pass == "" {
			return errors.New("bad credentials")
		}
		s.user = user
		return nil
	}), nil
}
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if len(s.mb.users) > 0 && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.mb.rejectTo {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	s.to = append(s.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return err
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		return err
	}
	_, tlsOn := s.conn.TLSConnectionState()
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	for _, to := range s.to {
		s.mb.msgs = append(s.mb.msgs, received{From: s.from, To: to, Subject: subject, Body: string(body), TLS: tlsOn, User: s.user})
	}
	return nil
}
func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }

func startMailbox(t *testing.T, host string, tlsConfig *tls.Config, users map[string]string) *mailbox {
	t.Helper()
	mb := &mailbox{users: users}
	mb.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &mailSession{mb: mb, conn: c}, nil }))
	mb.srv.Domain = "mail.test"
	mb.srv.TLSConfig = tlsConfig
	mb.srv.AllowInsecureAuth = tlsConfig == nil
	mb.srv.ReadTimeout, mb.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", host+":0")
	if err != nil {
		t.Fatal(err)
	}
	mb.addr = ln.Addr().String()
	go mb.srv.Serve(ln)
	t.Cleanup(func() { mb.srv.Close() })
	return mb
}

func (mb *mailbox) take() []received {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	out := mb.msgs
	mb.msgs = nil
	return out
}

// selfSigned makes a certificate for 127.0.0.1 and a client config that
// trusts it.
func selfSigned(t *testing.T) (*tls.Config, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, &tls.Config{RootCAs: pool}
}

type reminderWorld struct {
	db                    *sqlstore.DB
	org                   *isms.Organisation
	coord, owner          *isms.User
	clock                 time.Time
	soon, overdue, doneIt *isms.Occurrence
}

func actor(u *isms.User) context.Context {
	return isms.WithActor(context.Background(), &isms.Actor{UserID: u.ID, Name: u.Name, Email: u.Email})
}

func newReminderWorld(t *testing.T, db *sqlstore.DB) *reminderWorld {
	t.Helper()
	w := &reminderWorld{db: db, clock: time.Date(2026, 4, 14, 6, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return w.clock }
	sys := isms.WithActor(context.Background(), &isms.Actor{Name: "test", SiteAdmin: true})
	var err error
	if w.coord, err = db.CreateUser(sys, "koordinator@aarhjul.example", "Søren Ærø", "correct horse battery", false); err != nil {
		t.Fatal(err)
	}
	if w.owner, err = db.CreateUser(sys, "ejer@aarhjul.example", "Åse Owner", "correct horse battery", false); err != nil {
		t.Fatal(err)
	}
	if w.org, err = db.CreateOrganisation(sys, isms.OrganisationInput{Name: "Årshjulby Kommune"}); err != nil {
		t.Fatal(err)
	}
	for u, role := range map[*isms.User]isms.Role{w.coord: isms.RoleCoordinator, w.owner: isms.RoleContributor} {
		if _, err := db.AddMembership(sys, w.org.ID, isms.MembershipInput{Email: u.Email, Role: role}); err != nil {
			t.Fatal(err)
		}
	}
	// The owner reads English; the coordinator keeps the default, Danish.
	if err := db.SetMailLanguage(actor(w.owner), "en"); err != nil {
		t.Fatal(err)
	}
	today := isms.DateOf(w.clock)
	mk := func(title string, days ...int) *isms.Activity {
		var ds []isms.Date
		for _, n := range days {
			ds = append(ds, today.AddDays(n))
		}
		a, err := db.CreateWheelActivity(actor(w.coord), w.org.ID, isms.ActivityInput{Title: title, RecordText: "Referat; beslutninger, opfølgning",
			Recurrence: isms.RecurAdHoc, Dates: ds, OwnerID: &w.owner.ID, Topics: []string{"improvement"}})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	occOf := func(a *isms.Activity) []*isms.Occurrence {
		occ, _, err := db.WheelOccurrences(actor(w.coord), w.org.ID, isms.OccurrenceFilter{ActivityID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		return occ
	}
	w.soon = occOf(mk("Ledelsens evaluering", 3))[0]
	b := occOf(mk("Leverandøropfølgning", -40, -10))
	w.overdue = b[1]
	if w.doneIt, err = db.CompleteOccurrence(actor(w.owner), w.org.ID, b[0].ID, isms.CompletionInput{Result: "Gennemført", Version: b[0].Version}); err != nil {
		t.Fatal(err)
	}
	mk("Intern audit", 30) // too far ahead for a reminder or the digest
	return w
}

func byTo(msgs []received) map[string][]received {
	out := map[string][]received{}
	for _, m := range msgs {
		out[m.To] = append(out[m.To], m)
	}
	return out
}

func TestRemindersAreSentOnceToTheRightPeople(t *testing.T) {
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newReminderWorld(t, db)
		mb := startMailbox(t, "127.0.0.1", nil, nil)
		cfg := mailConfig{Addr: mb.addr, From: "ISMS Årshjul <isms@aarhjul.example>", Timeout: 10 * time.Second}
		res, err := sendReminders(context.Background(), db, cfg, "https://isms.aarhjul.example", db.Now)
		if err != nil || res.Sent != 3 || res.Failed != 0 {
			t.Fatalf("first round: %+v %v", res, err)
		}
		got := byTo(mb.take())
		own := got[w.owner.Email]
		if len(own) != 2 || len(got[w.coord.Email]) != 1 {
			t.Fatalf("mails: %+v", got)
		}
		subjects := own[0].Subject + " | " + own[1].Subject
		for _, want := range []string{"Reminder: Ledelsens evaluering is due on 2026-04-17", "Overdue: Leverandøropfølgning was due on 2026-04-04"} {
			if !strings.Contains(subjects, want) {
				t.Errorf("owner's subjects %q lack %q", subjects, want)
			}
		}
		for _, m := range own {
			if !strings.Contains(m.Body, "Dear Åse Owner") || !strings.Contains(m.Body, "Referat; beslutninger, opfølgning") ||
				!strings.Contains(m.Body, "https://isms.aarhjul.example/orgs/") || m.From != "isms@aarhjul.example" {
				t.Errorf("owner's mail: %+v", m)
			}
			if strings.Contains(m.Body, "2026-03-05") {
				t.Error("a mail names the completed occurrence")
			}
		}
		digest := got[w.coord.Email][0]
		if digest.Subject != "Årshjulet i Årshjulby Kommune: 1 forfalder snart, 1 overskredet" ||
			!strings.Contains(digest.Body, "Kære Søren Ærø") || !strings.Contains(digest.Body, "Overskredet:") ||
			!strings.Contains(digest.Body, "Leverandøropfølgning") || strings.Contains(digest.Body, "Intern audit") {
			t.Errorf("digest: %q\n%s", digest.Subject, digest.Body)
		}

		// The same reminders are never sent again.
		res, err = sendReminders(context.Background(), db, cfg, "https://isms.aarhjul.example", db.Now)
		if err != nil || res.Sent != 0 || len(mb.take()) != 0 {
			t.Fatalf("second round: %+v %v", res, err)
		}

		// A week later: the occurrence due soon is done now, so it gets no
		// overdue mail; the overdue one gets its weekly reminder; the
		// coordinators a new digest. Two instances run at once and still
		// send each mail once.
		if _, err := db.CompleteOccurrence(actor(w.owner), w.org.ID, w.soon.ID, isms.CompletionInput{Result: "Afholdt", Version: w.soon.Version}); err != nil {
			t.Fatal(err)
		}
		w.clock = w.clock.AddDate(0, 0, 7)
		var wg sync.WaitGroup
		results := make([]reminderResult, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = sendReminders(context.Background(), db, cfg, "https://isms.aarhjul.example", db.Now)
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		msgs := mb.take()
		if results[0].Sent+results[1].Sent != 2 || len(msgs) != 2 {
			t.Fatalf("a week later: %+v, %d mails: %+v", results, len(msgs), msgs)
		}
		got = byTo(msgs)
		if len(got[w.owner.Email]) != 1 || !strings.HasPrefix(got[w.owner.Email][0].Subject, "Overdue: Leverandøropfølgning") {
			t.Errorf("owner a week later: %+v", got[w.owner.Email])
		}
		if len(got[w.coord.Email]) != 1 || strings.Contains(got[w.coord.Email][0].Body, "Ledelsens evaluering") {
			t.Errorf("digest a week later: %+v", got[w.coord.Email])
		}

		// Every mail is in the log, which the coordinator reads.
		log, total, err := db.MailLog(actor(w.coord), w.org.ID, 0, 50)
		if err != nil || total != 5 {
			t.Fatalf("log: %d %v", total, err)
		}
		kinds := map[string]int{}
		for _, e := range log {
			if e.Result != isms.MailSent || e.SentAt == nil || e.Subject == "" {
				t.Errorf("log entry %+v", e)
			}
			kinds[e.Kind]++
		}
		if kinds["due"] != 1 || kinds["overdue"] != 2 || kinds["digest"] != 2 {
			t.Errorf("log kinds %v", kinds)
		}
	})
}

func TestFailedRemindersAreLoggedAndRetried(t *testing.T) {
	sqltest.ForEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		w := newReminderWorld(t, db)
		mb := startMailbox(t, "127.0.0.1", nil, nil)
		mb.rejectTo = w.owner.Email
		cfg := mailConfig{Addr: mb.addr, From: "isms@aarhjul.example", Timeout: 10 * time.Second}
		for round := 1; round <= 4; round++ {
			res, err := sendReminders(context.Background(), db, cfg, "", db.Now)
			if err != nil {
				t.Fatal(err)
			}
			wantFailed := 2
			if round > 3 {
				wantFailed = 0 // given up after three attempts
			}
			if res.Failed != wantFailed {
				t.Fatalf("round %d: %+v", round, res)
			}
		}
		if got := mb.take(); len(got) != 1 || got[0].To != w.coord.Email {
			t.Fatalf("delivered: %+v", got)
		}
		log, _, err := db.MailLog(actor(w.coord), w.org.ID, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		failed := 0
		for _, e := range log {
			if e.Result == isms.MailFailed {
				failed++
				if !strings.Contains(e.Error, "no such mailbox") {
					t.Errorf("error not logged: %+v", e)
				}
			}
		}
		if failed != 2 {
			t.Fatalf("%d failed entries", failed)
		}
	})
}

func TestReminderMailUsesSTARTTLSAndAuth(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	mb := startMailbox(t, "127.0.0.1", serverTLS, map[string]string{"isms": "hemmeligt-kodeord"})
	cfg := mailConfig{Addr: mb.addr, From: "isms@aarhjul.example", User: "isms", Password: "hemmeligt-kodeord", TLS: clientTLS, Timeout: 10 * time.Second}
	msg, err := buildMail(cfg.From, "Ærlige Åge", "aage@aarhjul.example", "Påmindelse: æøå", "Hej Åge\nLinje to.", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := sendMail(cfg, "aage@aarhjul.example", msg); err != nil {
		t.Fatal(err)
	}
	got := mb.take()
	if len(got) != 1 || !got[0].TLS || got[0].User != "isms" || got[0].Subject != "Påmindelse: æøå" || !strings.Contains(got[0].Body, "Hej Åge\r\nLinje to.") {
		t.Fatalf("received %+v", got)
	}
	// A wrong password is refused by the server and reported.
	cfg.Password = "forkert"
	if err := sendMail(cfg, "aage@aarhjul.example", msg); err == nil || !strings.Contains(err.Error(), "AUTH") {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestReminderMailKeepsPasswordsOffPlainConnections(t *testing.T) {
	// 127.0.0.2 is this machine, but not by a name the client trusts as
	// local, and this server offers no TLS: the password must not be sent.
	mb := startMailbox(t, "127.0.0.2", nil, map[string]string{"isms": "hemmeligt-kodeord"})
	cfg := mailConfig{Addr: mb.addr, From: "isms@aarhjul.example", User: "isms", Password: "hemmeligt-kodeord", Timeout: 10 * time.Second}
	msg, _ := buildMail(cfg.From, "", "a@aarhjul.example", "x", "y", time.Now())
	err := sendMail(cfg, "a@aarhjul.example", msg)
	if err == nil || !strings.Contains(err.Error(), "unencrypted") {
		t.Fatalf("password over a plain connection: %v", err)
	}
	if len(mb.take()) != 0 {
		t.Fatal("a mail was delivered")
	}
}

func TestReminderFlags(t *testing.T) {
	dir := t.TempDir()
	f := reminderFlags{mail: mailConfig{Addr: "mail.example.org:587", From: "ISMS <isms@example.org>", User: "isms", Password: "x"},
		baseURL: "https://isms.example.org/", interval: 15 * time.Minute}
	if err := f.resolve(); err != nil || f.baseURL != "https://isms.example.org" {
		t.Fatalf("%+v %v", f, err)
	}
	for name, bad := range map[string]reminderFlags{
		"no port":        {mail: mailConfig{Addr: "mail.example.org", From: "isms@example.org"}, interval: time.Hour},
		"no sender":      {mail: mailConfig{Addr: "mail.example.org:25"}, interval: time.Hour},
		"bad sender":     {mail: mailConfig{Addr: "mail.example.org:25", From: "not an address"}, interval: time.Hour},
		"password alone": {mail: mailConfig{Addr: "mail.example.org:25", From: "isms@example.org", Password: "x"}, interval: time.Hour},
		"bad base URL":   {mail: mailConfig{Addr: "mail.example.org:25", From: "isms@example.org"}, baseURL: "isms.example.org", interval: time.Hour},
		"too often":      {mail: mailConfig{Addr: "mail.example.org:25", From: "isms@example.org"}, interval: time.Second},
	} {
		if err := bad.resolve(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// The command refuses to run without a server.
	var out bytes.Buffer
	if err := run(context.Background(), []string{"reminders", "send", "--db", filepath.Join(dir, "x.db")}, nil, &out); err == nil ||
		!strings.Contains(err.Error(), "--smtp-addr") {
		t.Fatalf("reminders send without a server: %v", err)
	}
}

func TestRemindersSendCommand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "isms.db")
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	w := newReminderWorld(t, db)
	db.Close()
	_ = w
	mb := startMailbox(t, "127.0.0.1", nil, nil)
	var out bytes.Buffer
	err = run(context.Background(), []string{"reminders", "send", "--db", path, "--smtp-addr", mb.addr, "--smtp-from", "isms@aarhjul.example",
		"--base-url", "https://isms.aarhjul.example"}, nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	// The command runs on today's clock, so what is due depends on the
	// day; what matters is that it reports and that a second run sends
	// nothing new.
	first := len(mb.take())
	if !strings.Contains(out.String(), "Reminders: ") {
		t.Fatalf("output %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"reminders", "send", "--db", path, "--smtp-addr", mb.addr, "--smtp-from", "isms@aarhjul.example"}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if n := len(mb.take()); n != 0 || !strings.Contains(out.String(), "0 sent") {
		t.Fatalf("second run sent %d after %d: %s", n, first, out.String())
	}
}

package main

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/ismsdk/isms/metrics"
)

// mailConfig is how reminder mails leave: the SMTP server (host:port), the
// sender, and the credentials if the server wants them.
type mailConfig struct {
	Addr        string
	From        string
	User        string
	Password    string
	ImplicitTLS bool          // TLS from the first byte (port 465) instead of STARTTLS
	TLS         *tls.Config   // nil for the system's roots; tests trust their own
	Timeout     time.Duration // for one whole conversation
	// Metrics counts the mails sent and failed (serve's /metrics); nil
	// counts none.
	Metrics *metrics.Metrics
}

// check validates the configuration before anything is sent.
func (c *mailConfig) check() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--smtp-addr %q: want host:port", c.Addr)
	}
	if c.From == "" {
		return errors.New("--smtp-from is required when --smtp-addr is set")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("--smtp-from %q: %v", c.From, err)
	}
	if c.Password != "" && c.User == "" {
		return errors.New("--smtp-password is set but --smtp-user is not")
	}
	return nil
}

// sendMail delivers one message to one recipient. It upgrades the
// connection with STARTTLS whenever the server offers it, and it sends a
// password only over TLS or to a server on this machine: the standard
// library's PLAIN mechanism refuses anything else.
func sendMail(cfg mailConfig, to string, msg []byte) error {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return err
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	tlsConfig := cfg.TLS
	if tlsConfig == nil {
		tlsConfig = &tls.Config{}
	}
	tlsConfig = tlsConfig.Clone()
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = host
	}
	dialer := &net.Dialer{Timeout: timeout}
	var conn net.Conn
	if cfg.ImplicitTLS {
		conn, err = tls.DialWithDialer(dialer, "tcp", cfg.Addr, tlsConfig)
	} else {
		conn, err = dialer.Dial("tcp", cfg.Addr)
	}
	if err != nil {
		return fmt.Errorf("connect to %s: %w", cfg.Addr, err)
	}
	conn.SetDeadline(time.Now().Add(timeout))
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("greeting from %s: %w", cfg.Addr, err)
	}
	defer c.Close()
	if err := c.Hello(helloName(cfg.From)); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if !cfg.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
		}
	}
	if cfg.User != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the SMTP server offers no authentication, but --smtp-user is set")
		}
		if err := c.Auth(smtp.PlainAuth("", cfg.User, cfg.Password, host)); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}
	from, _ := mail.ParseAddress(cfg.From)
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("RCPT TO %s: %w", to, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	return c.Quit()
}

// helloName is the name we give in EHLO: the sender's domain.
func helloName(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		if _, domain, ok := strings.Cut(a.Address, "@"); ok && domain != "" {
			return domain
		}
	}
	return "localhost"
}

// buildMail writes a plain-text message in UTF-8 (quoted-printable, so
// Danish letters pass any server), marked as automatically sent so
// out-of-office replies stay away (RFC 3834).
func buildMail(from, toName, toAddr, subject, body string, now time.Time) ([]byte, error) {
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, err
	}
	id := make([]byte, 12)
	rand.Read(id)
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", fromAddr.String())
	header("To", (&mail.Address{Name: toName, Address: toAddr}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"."+now.Format("20060102150405")+"@"+helloName(from)+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	header("X-Auto-Response-Suppress", "All")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

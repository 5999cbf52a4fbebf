package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ismsdk/isms"
)

// Derived state: what the product computes from an organisation's records
// (the checklist's answers, the dashboard's due lists, the risk register's
// headline counts, the heat map's cells) is computed once after the records
// change and kept until they change again. An ISMS is read far more often
// than it is written, and these views otherwise cost what the organisation
// holds (thousands of rows) on every request.
//
// What names "the records as they are" is the organisation's generation:
// its audit chain's head (every audited write advances the sequence and
// changes the hash), the count of its writes outside the chain (advanced by
// write() for a write that took the organisation's lock without auditing,
// such as the daily jobs), the site chain's head (accounts renamed or
// deactivated change names and role holders), and the calendar day (what is
// overdue or expired changes at midnight, with no write and without anyone
// having to notice). The generation lives in the database, so an instance
// never serves what another instance's write has outdated: each read checks
// it, which costs one indexed row read.
//
// Kept values are shared by every reader of the organisation: they are
// never changed after they are made. The caller's role is checked on every
// read before a kept value is handed out.

// generation is the state of one organisation's records that a reader's
// transaction sees.
type generation struct {
	seq, unaudited         int64
	hash                   string
	siteSeq, siteUnaudited int64
	day                    isms.Date
}

// after reports whether g is a later state than h of the same records: a
// reader whose transaction began before a write must not replace what a
// reader after it kept.
func (g generation) after(h generation) bool {
	return g.seq > h.seq || g.unaudited > h.unaudited || g.siteSeq > h.siteSeq || g.siteUnaudited > h.siteUnaudited || h.day.Before(g.day)
}

// generation reads the organisation's generation, once per transaction
// and once per request's snapshot (which reads one state throughout).
func (tx *Tx) generation(orgID int64) (generation, error) {
	key := "generation:" + strconv.FormatInt(orgID, 10)
	if g, ok := tx.kept[key].(generation); ok {
		return g, nil
	}
	g, err := tx.readGeneration(orgID, key)
	if err == nil && tx.kept != nil {
		tx.kept[key] = g
	}
	return g, err
}

func (tx *Tx) readGeneration(orgID int64, key string) (generation, error) {
	return remember(tx, key, func() (generation, error) {
		g := generation{day: tx.Today()}
		err := tx.queryEach("SELECT organisation_id, seq, hash, unaudited_changes FROM audit_heads WHERE organisation_id IN (0, ?)", []any{orgID}, func(row scanner) error {
			var org, seq, unaudited int64
			var hash string
			if err := row.Scan(&org, &seq, &hash, &unaudited); err != nil {
				return err
			}
			if org == 0 {
				g.siteSeq, g.siteUnaudited = seq, unaudited
			} else {
				g.seq, g.hash, g.unaudited = seq, hash, unaudited
			}
			return nil
		})
		return g, err
	})
}

// keep returns the organisation's derived view as of the records the
// transaction sees: the kept value when the generation is the one it was
// computed at, and otherwise compute's answer, kept for the next reader.
// view names what is computed, with its arguments (a filter, say); the
// reader's language is added, because a former member's name is marked in
// it. compute must read only through tx and depend only on the records, not
// on who reads them.
func keep[T any](tx *Tx, orgID int64, view string, compute func() (T, error)) (T, error) {
	var zero T
	gen, err := tx.generation(orgID)
	if err != nil {
		return zero, err
	}
	v, err := tx.db.kept.get(tx.ctx, keptKey{org: orgID, view: view + "|" + tx.lang}, gen, func() (any, error) { return compute() })
	if err != nil {
		return zero, err
	}
	return v.(T), nil
}

// Derived is keep for the web layer: a view it assembles from several
// services (the dashboard, the checklist page), kept per organisation and
// language, and per reader when perReader is set: a view that shows what
// only this reader sees (what waits for their approval) must not be handed
// to another. The caller must be allowed to see the organisation. compute
// runs after the generation is read, so what it reads is at least as new as
// the generation it is kept under.
func (db *DB) Derived(ctx context.Context, orgID int64, view string, perReader bool, compute func(context.Context) (any, error)) (any, error) {
	var gen generation
	key := keptKey{org: orgID}
	err := db.read(ctx, "Derived", func(tx *Tx) error {
		a, err := tx.require(orgID, isms.PermView)
		if err != nil {
			return err
		}
		key.view = "web:" + view + "|" + tx.lang
		if perReader {
			key.view += fmt.Sprintf("|%d:%s:%t:%t", tx.actor.UserID, a.Role, a.Oversight, a.SiteAdmin)
		}
		gen, err = tx.generation(orgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.kept.get(ctx, key, gen, func() (any, error) { return compute(ctx) })
}

// markUnauditedChanges advances the generation of every organisation whose
// write lock the transaction took but whose audit chain it did not
// advance, so that what is kept is recomputed after such a write too.
func (tx *Tx) markUnauditedChanges() error {
	var orgs []int64
	for name := range tx.locks {
		id, ok := strings.CutPrefix(name, "organisation:")
		if !ok {
			continue
		}
		org, err := strconv.ParseInt(id, 10, 64)
		if err != nil || tx.audited[org] {
			continue
		}
		orgs = append(orgs, org)
	}
	slices.Sort(orgs)
	for _, org := range orgs {
		if _, err := tx.exec("UPDATE audit_heads SET unaudited_changes = unaudited_changes + 1 WHERE organisation_id = ?", org); err != nil {
			return fmt.Errorf("advance generation of organisation %d: %w", org, err)
		}
	}
	return nil
}

// keptLimit bounds how many views are kept in memory; past it, the least
// recently read quarter is dropped. The largest views (a dashboard or a
// checklist page) take some tens of kilobytes, so the bound keeps them to
// tens of megabytes however many organisations and readers there are.
const keptLimit = 1024

type keptKey struct {
	org  int64
	view string
}

type keptEntry struct {
	gen  generation
	done chan struct{} // closed when val and err are set
	val  any
	err  error
	used uint64 // the keeper's clock at the last read
}

// keptViews is the process's store of derived views.
type keptViews struct {
	mu      sync.Mutex
	entries map[keptKey]*keptEntry
	clock   uint64
}

// get returns the view kept for key at gen, computing it once when there is
// none: readers who ask while it is being computed wait for that answer
// rather than computing it again.
func (k *keptViews) get(ctx context.Context, key keptKey, gen generation, compute func() (any, error)) (any, error) {
	k.mu.Lock()
	if k.entries == nil {
		k.entries = map[keptKey]*keptEntry{}
	}
	k.clock++
	e := k.entries[key]
	switch {
	case e != nil && e.gen == gen:
		e.used = k.clock
		k.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil {
			// The reader who computed it failed (its request ended, say);
			// this reader computes its own answer.
			return compute()
		}
		return e.val, nil
	case e != nil && e.gen.after(gen):
		// This reader's transaction began before the write that the kept
		// value already reflects: it gets its own answer and keeps the
		// newer one.
		k.mu.Unlock()
		return compute()
	}
	e = &keptEntry{gen: gen, done: make(chan struct{}), used: k.clock}
	k.entries[key] = e
	if len(k.entries) > keptLimit {
		k.evict()
	}
	k.mu.Unlock()

	func() {
		defer close(e.done)
		defer func() {
			if p := recover(); p != nil {
				e.err = fmt.Errorf("derived view %s: %v", key.view, p)
				k.forget(key, e)
				panic(p)
			}
		}()
		e.val, e.err = compute()
	}()
	if e.err != nil {
		k.forget(key, e)
		return nil, e.err
	}
	return e.val, nil
}

// forget drops a failed entry, unless another has replaced it.
func (k *keptViews) forget(key keptKey, e *keptEntry) {
	k.mu.Lock()
	if k.entries[key] == e {
		delete(k.entries, key)
	}
	k.mu.Unlock()
}

// evict drops the least recently read quarter of the entries. It runs
// under the lock, rarely: only when the store has grown past keptLimit.
func (k *keptViews) evict() {
	used := make([]uint64, 0, len(k.entries))
	for _, e := range k.entries {
		used = append(used, e.used)
	}
	slices.Sort(used)
	cut := used[len(used)/4]
	for key, e := range k.entries {
		if e.used < cut {
			delete(k.entries, key)
		}
	}
}

// forgetAll drops everything kept, for a restore that replaces the records
// wholesale.
func (k *keptViews) forgetAll() {
	k.mu.Lock()
	k.entries = nil
	k.mu.Unlock()
}

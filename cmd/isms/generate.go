package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/loadgen"
	"github.com/ismsdk/isms/sqlstore"
)

func cmdGenerate(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	db := dbFlag(fs)
	def := loadgen.LargeConfig()
	assets := fs.Int("assets", def.Assets, "primary assets: business-overview processes, information and systems")
	risks := fs.Int("risks", def.Risks, "risks, with their assessments and treatment")
	seed := fs.Uint64("seed", def.Seed, "seed: the same seed, sizes and end date make the same organisation")
	end := fs.String("end", "", "the last day of the generated year of history, YYYY-MM-DD (default today)")
	force := fs.Bool("force-add", false, "add the organisation to a database that already holds data")
	quiet := fs.Bool("quiet", false, "print only the summary")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg := loadgen.Config{Assets: *assets, Risks: *risks, Seed: *seed, AllowExisting: *force}
	if *end != "" {
		d, err := isms.ParseDate(*end)
		if err != nil {
			return fmt.Errorf("generate: --end %q is not a date (YYYY-MM-DD)", *end)
		}
		cfg.End = d.Time
	}
	if !*quiet {
		cfg.Progress = stdout
	}
	store, err := openDB(ctx, generateDSN(*db))
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(stdout, "Generating %d assets and %d risks (seed %d) in %s\n", cfg.Assets, cfg.Risks, cfg.Seed, redact(*db))
	res, err := loadgen.Generate(ctx, store, cfg)
	if err != nil {
		if errors.Is(err, loadgen.ErrNotEmpty) {
			return fmt.Errorf("generate: %w; nothing was changed (use --force-add to add an organisation beside what is there)", err)
		}
		if isms.AsError(err) != nil {
			return fmt.Errorf("generate: %v (%v)", err, describe(err))
		}
		return fmt.Errorf("generate: %w", err)
	}
	checked, breaks, err := store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	printGenerated(stdout, res)
	fmt.Fprintf(stdout, "Audit trail: %d events in the organisation's chain; %d events checked in the database, ", res.AuditEvents, checked)
	if len(breaks) == 0 {
		fmt.Fprintln(stdout, "every chain intact.")
	} else {
		fmt.Fprintf(stdout, "%d chain(s) BROKEN: run `isms audit verify`.\n", len(breaks))
	}
	fmt.Fprintf(stdout, "Made in %s. Log in as %s with the password %s\n", res.Elapsed.Round(time.Millisecond),
		res.Coordinator().Email, loadgen.Password)
	if len(breaks) > 0 {
		return fmt.Errorf("generate: the audit trail does not verify")
	}
	return nil
}

func printGenerated(w io.Writer, res *loadgen.Result) {
	fmt.Fprintf(w, "Organisation %q (id %d):\n", res.Org.Name, res.Org.ID)
	for _, c := range res.Counts {
		fmt.Fprintf(w, "  %8d  %s\n", c.N, c.What)
	}
	var steps []string
	for _, s := range res.Steps {
		steps = append(steps, fmt.Sprintf("%s %s", s.What, (time.Duration(s.N)*time.Millisecond).Round(100*time.Millisecond)))
	}
	fmt.Fprintf(w, "Time per step: %s\n", strings.Join(steps, ", "))
}

// generateDSN lets PostgreSQL acknowledge the generator's many small
// transactions before they reach the disk (synchronous_commit=off, for
// this connection only). A crash could lose the last moments of
// generated data, never leave it inconsistent; real use is unaffected.
func generateDSN(dsn string) string {
	if !sqlstore.IsPostgres(dsn) || strings.Contains(dsn, "synchronous_commit") {
		return dsn
	}
	if strings.Contains(dsn, "?") {
		return dsn + "&synchronous_commit=off"
	}
	return dsn + "?synchronous_commit=off"
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

func cmdHelp(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		usage(stdout)
		return nil
	}
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		return &helpRequest{fs: flag.NewFlagSet("help", flag.ContinueOnError), args: "[command]"}
	}
	name, rest, err := lookup(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("help: unexpected argument %q", rest[0])
	}
	h, err := verbHelp(ctx, name)
	if err != nil {
		return err
	}
	printHelp(stdout, h)
	return nil
}

func cmdVersion(_ context.Context, args []string, _ io.Reader, stdout io.Writer) error {
	if err := parse(flag.NewFlagSet("version", flag.ContinueOnError), args); err != nil {
		return err
	}
	bi, ok := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, versionLine(bi, ok))
	return nil
}

// versionLine says which build this is: the module's version ("(devel)"
// when not built from a tagged release), the source revision and its time
// when the build knew them (go build in a git checkout records them), and
// the Go toolchain, whose security fixes matter as much as ours.
func versionLine(bi *debug.BuildInfo, ok bool) string {
	version := "(devel)"
	settings := map[string]string{}
	if ok && bi != nil {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
	}
	parts := []string{"isms " + version}
	if rev := settings["vcs.revision"]; rev != "" {
		vcs := "revision " + rev
		if t := settings["vcs.time"]; t != "" {
			vcs += " of " + t
		}
		if settings["vcs.modified"] == "true" {
			vcs += " with local changes"
		}
		parts = append(parts, vcs)
	}
	goVersion := runtime.Version()
	if ok && bi != nil && bi.GoVersion != "" {
		goVersion = bi.GoVersion
	}
	parts = append(parts, "built with "+goVersion+" for "+runtime.GOOS+"/"+runtime.GOARCH)
	return strings.Join(parts, ", ")
}

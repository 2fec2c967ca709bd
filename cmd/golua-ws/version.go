package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// versionLine is what --version prints: the module version and the VCS
// revision the binary was built from, as the Go toolchain recorded them in
// the build info, so that a bug report names the exact code. A binary built
// by `go install ...@vX.Y.Z` carries that version; one built in a checkout
// carries a pseudo-version and the commit (with "+dirty" / "modified" when
// the work tree had changes); one built without build info says so.
func versionLine(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "golua-ws (no build info) (Lua 5.4 syntax on gopher-lua)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var revision, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var parts []string
	if revision != "" {
		rev := "revision " + revision
		if when != "" {
			rev += " " + when
		}
		if modified {
			rev += " (modified)"
		}
		parts = append(parts, rev)
	} else {
		parts = append(parts, "no VCS revision")
	}
	parts = append(parts, info.GoVersion, "Lua 5.4 syntax on gopher-lua")
	return fmt.Sprintf("golua-ws %s (%s)", version, strings.Join(parts, ", "))
}

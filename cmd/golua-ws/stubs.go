package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/golua-ws/golua-ws/luamod/stubs"
)

// luarcName is the file LuaLS reads from a workspace's root.
const luarcName = ".luarc.json"

// isStubsCommand reports whether argv asks for the editor definitions
// instead of a script run: "stubs DIR" or "--stubs DIR" as the whole
// command line, so a script that happens to be called stubs still runs
// when given as ./stubs or with other options before it.
func isStubsCommand(argv []string) bool {
	return len(argv) >= 1 && (argv[0] == "stubs" || argv[0] == "--stubs")
}

// runStubs writes the LuaLS definition of every module into dir and makes
// the .luarc.json of the current directory (the workspace the user runs it
// from) point at dir.
func runStubs(argv []string, stdout, stderr io.Writer) int {
	if len(argv) != 2 {
		fmt.Fprintf(stderr, "usage: golua-ws stubs DIR\n")
		return 1
	}
	dir := argv[1]
	if err := stubs.WriteDir(dir); err != nil {
		fmt.Fprintf(stderr, "golua-ws: %v\n", err)
		return 1
	}
	library := filepath.ToSlash(filepath.Clean(dir))
	if err := stubs.WriteLuaRC(luarcName, library); err != nil {
		fmt.Fprintf(stderr, "golua-ws: %v\n", err)
		return 1
	}
	wd, _ := os.Getwd()
	fmt.Fprintf(stdout, "golua-ws: wrote %d module definitions to %s and pointed %s at them\n",
		len(stubs.Names()), dir, filepath.Join(wd, luarcName))
	return 0
}

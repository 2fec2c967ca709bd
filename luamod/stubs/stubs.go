package stubs

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed lua/*.lua
var files embed.FS

// fileSuffix ends every stub file name; the rest is the module name.
const fileSuffix = ".lua"

// Names lists the modules that have a stub, sorted.
func Names() []string {
	entries, err := fs.ReadDir(files, "lua")
	if err != nil {
		// The directory is embedded at build time; it cannot be missing.
		panic(fmt.Sprintf("stubs: embedded directory: %v", err))
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), fileSuffix); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Source returns the stub file of module name.
func Source(name string) ([]byte, error) {
	b, err := files.ReadFile("lua/" + name + fileSuffix)
	if err != nil {
		return nil, fmt.Errorf("stubs: no description of module %q: %w", name, err)
	}
	return b, nil
}

// Module returns the parsed description of module name.
func Module(name string) (*Description, error) {
	src, err := Source(name)
	if err != nil {
		return nil, err
	}
	d, err := Parse(src)
	if err != nil {
		return nil, fmt.Errorf("stubs: %s%s: %w", name, fileSuffix, err)
	}
	if d.Name != name {
		return nil, fmt.Errorf("stubs: %s%s declares ---@meta %q", name, fileSuffix, d.Name)
	}
	return d, nil
}

// WriteDir writes every stub into dir (created if needed).
func WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("stubs: %w", err)
	}
	for _, name := range Names() {
		src, err := Source(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+fileSuffix), src, 0o644); err != nil {
			return fmt.Errorf("stubs: %w", err)
		}
	}
	return nil
}

// WriteLuaRC makes the LuaLS configuration file at path point at the stubs
// in library: "workspace.library" gains library and "runtime.version" is
// "Lua 5.4", the syntax golua-ws accepts. Other settings of an existing
// file are kept, so a project's own configuration survives; LuaLS accepts
// both the dotted keys written here and nested objects, and a nested
// "workspace" or "runtime" object is updated in place.
func WriteLuaRC(path, library string) error {
	rc := map[string]any{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &rc); err != nil {
			return fmt.Errorf("stubs: existing %s is not a JSON object: %w", path, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("stubs: %w", err)
	}
	setting(rc, "runtime", "version", func(any) any { return "Lua 5.4" })
	setting(rc, "workspace", "library", func(old any) any {
		libs, _ := old.([]any)
		for _, l := range libs {
			if l == library {
				return libs
			}
		}
		return append(libs, library)
	})
	b, err := json.MarshalIndent(rc, "", "  ")
	if err != nil {
		return fmt.Errorf("stubs: %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("stubs: %w", err)
	}
	return nil
}

// setting updates group.key in rc with update, in the nested form when rc
// already has a group object and in the dotted form otherwise.
func setting(rc map[string]any, group, key string, update func(old any) any) {
	if nested, ok := rc[group].(map[string]any); ok {
		nested[key] = update(nested[key])
		return
	}
	rc[group+"."+key] = update(rc[group+"."+key])
}

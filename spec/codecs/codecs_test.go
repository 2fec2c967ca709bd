package codecs_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	ecoencoding "github.com/golua-ws/golua-ws/luamod/eco/encoding"
	ecohash "github.com/golua-ws/golua-ws/luamod/eco/hash"
	ecolog "github.com/golua-ws/golua-ws/luamod/eco/log"
	ecourl "github.com/golua-ws/golua-ws/luamod/eco/url"
	sillycrypto "github.com/golua-ws/golua-ws/luamod/silly/crypto"
	sillyencoding "github.com/golua-ws/golua-ws/luamod/silly/encoding"
)

// runScript runs one spec script on a fresh state with every codec module
// preloaded. It returns "" on success, else "<script>:<line>: <message>"
// naming the first line of the script on the failing call stack.
func runScript(t *testing.T, path string) string {
	t.Helper()
	L := lua.NewState()
	defer L.Close()
	var logOut bytes.Buffer
	sets := []map[string]lua.LGFunction{
		ecoencoding.Modules(), ecohash.Modules(), ecourl.Modules(),
		ecolog.NewModules(ecolog.Options{Output: &logOut}),
		sillyencoding.Modules(), sillycrypto.Modules(),
	}
	for _, set := range sets {
		for name, loader := range set {
			L.PreloadModule(name, loader)
		}
	}
	L.SetGlobal("SPEC_TMPDIR", lua.LString(t.TempDir()))
	err := L.DoFile(path)
	if err == nil {
		return ""
	}
	return describeFailure(path, err)
}

var positionRE = regexp.MustCompile(`([^\s:]+\.lua):(\d+):`)

// describeFailure finds the script's line in the error message, or else in
// the traceback (errors raised by Go functions, such as assert with a
// message, carry no position of their own).
func describeFailure(path string, err error) string {
	msg := err.Error()
	base := filepath.Base(path)
	detail := msg
	if apiErr, ok := err.(*lua.ApiError); ok {
		detail = apiErr.Object.String()
		msg = detail + "\n" + apiErr.StackTrace
	}
	for _, m := range positionRE.FindAllStringSubmatch(msg, -1) {
		if filepath.Base(m[1]) == base {
			detail = strings.TrimSpace(positionRE.ReplaceAllString(detail, ""))
			return fmt.Sprintf("%s:%s: %s", base, m[2], detail)
		}
	}
	return fmt.Sprintf("%s: %s", base, msg)
}

func TestSpecScripts(t *testing.T) {
	scripts, err := filepath.Glob("*.lua")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no spec scripts found: %v", err)
	}
	for _, script := range scripts {
		t.Run(strings.TrimSuffix(script, ".lua"), func(t *testing.T) {
			if failure := runScript(t, script); failure != "" {
				t.Fatal(failure)
			}
		})
	}
}

// TestRunnerNamesFailedLine checks that a failing script is reported with
// its name and the line of the failed assertion.
func TestRunnerNamesFailedLine(t *testing.T) {
	cases := map[string]string{
		"testdata/failing.lua":             "failing.lua:4: ",
		"testdata/failing_in_function.lua": "failing_in_function.lua:5: expecting hash to be a hash module",
	}
	for script, want := range cases {
		got := runScript(t, script)
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s reported as %q, want prefix %q", script, got, want)
		}
	}
}

package log

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/luamod/internal/luatest"
	lua "github.com/yuin/gopher-lua"
)

var fixedTime = time.Date(2026, 11, 21, 5, 4, 25, 0, time.Local)

// newState returns a VM whose eco.log writes to the returned buffer.
func newState(t testing.TB) (*lua.LState, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	opts := Options{Output: &buf, Now: func() time.Time { return fixedTime }, Ident: "eco", Pid: 4242}
	return luatest.NewState(t, NewModules(opts), `log = require 'eco.log'`), &buf
}

const prefix = "2026/11/21 05:04:25 "

func TestConstants(t *testing.T) {
	L, _ := newState(t)
	luatest.Run(t, L, `
		assert(log.EMERG == 0 and log.ALERT == 1 and log.CRIT == 2 and log.ERR == 3)
		assert(log.WARNING == 4 and log.NOTICE == 5 and log.INFO == 6 and log.DEBUG == 7)
		assert(log.FLAG_LF == 1 and log.FLAG_FILE == 2 and log.FLAG_PATH == 4)
		assert(log.warn == nil and log.notice == nil and log.printf == nil)`)
}

func TestRecordFormatAndLevels(t *testing.T) {
	L, buf := newState(t)
	luatest.Run(t, L, `
		log.debug('debug-filtered')
		log.info('info-line', 123, 1.5, true, nil, {x = 1}, false)
		log.err('err-line')
		log.log(log.WARNING, 'warn-line')
		log.log(log.DEBUG, 'dropped')
		log.set_level(log.DEBUG)
		log.debug('now shown')
		log.log(15, 'priority masked to 7')
		log.info({}, 'leading table keeps its separator')
		log.info()
		log.set_level(log.EMERG)
		log.err('dropped too')
		log.log(log.EMERG, 'emergency')`)
	want := prefix + "info  eco[4242]: info-line 123 1.5 true nil false\n" +
		prefix + "err   eco[4242]: err-line\n" +
		prefix + "warn  eco[4242]: warn-line\n" +
		prefix + "debug eco[4242]: now shown\n" +
		prefix + "debug eco[4242]: priority masked to 7\n" +
		prefix + "info  eco[4242]:  leading table keeps its separator\n" +
		prefix + "info  eco[4242]: \n" +
		prefix + "emerg eco[4242]: emergency\n"
	if got := buf.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestMultilineNulAndTruncation(t *testing.T) {
	L, buf := newState(t)
	luatest.Run(t, L, `log.info('one\r\ntwo\n\nthree\r')`)
	want := prefix + "info  eco[4242]: one\n" + prefix + "info  eco[4242]: two\n" +
		prefix + "info  eco[4242]: \n" + prefix + "info  eco[4242]: three\n"
	if got := buf.String(); got != want {
		t.Errorf("multiline:\n%q\nwant\n%q", got, want)
	}
	buf.Reset()
	luatest.Run(t, L, `log.info('before\0after')`)
	if got := buf.String(); got != prefix+"info  eco[4242]: before\n" {
		t.Errorf("NUL: %q", got)
	}
	buf.Reset()
	luatest.Run(t, L, `log.info(string.rep('x', 9000), 'tail')`)
	if got := buf.String(); got != prefix+"info  eco[4242]: "+strings.Repeat("x", 8191)+"\n" {
		t.Errorf("long message not cut at 8191 bytes: %d bytes", len(got))
	}
}

func TestFlags(t *testing.T) {
	L, buf := newState(t)
	if err := L.DoFile(writeScript(t, "sub/logt.lua", `
		log.set_flags(log.FLAG_LF + log.FLAG_FILE)
		log.info('with file')
		log.set_flags(log.FLAG_LF + log.FLAG_PATH)
		log.info('with path')
		pcall(log.info, 'go caller')
		log.set_flags(0)
		log.info('no lf')
		log.info('second')`)); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	wantFile := prefix + "info  eco[4242]: (logt.lua:  3) with file\n"
	if !strings.HasPrefix(got, wantFile) {
		t.Fatalf("FLAG_FILE record:\n%q\nwant prefix\n%q", got, wantFile)
	}
	rest := got[len(wantFile):]
	if !strings.Contains(rest, "/sub/logt.lua:  5) with path\n") {
		t.Errorf("FLAG_PATH record missing full path: %q", rest)
	}
	if !strings.Contains(rest, "info  eco[4242]: (: -1) go caller\n") {
		t.Errorf("Go caller should give empty file and line -1: %q", rest)
	}
	if !strings.HasSuffix(rest, "eco[4242]: no lf"+prefix+"info  eco[4242]: second") {
		t.Errorf("flags 0 should drop the newline: %q", rest)
	}
}

func writeScript(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSetPathAndIdent(t *testing.T) {
	L, buf := newState(t)
	dir := t.TempDir()
	p1, p2 := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	L.SetGlobal("p1", lua.LString(p1))
	L.SetGlobal("p2", lua.LString(p2))
	luatest.Run(t, L, `
		log.set_ident(string.rep('x', 40))
		log.set_path(p1)
		log.info('to-a')
		log.set_path(p2)
		log.info('to-b')
		log.set_path('')
		log.set_ident('back')
		log.info('to-output')`)
	a, _ := os.ReadFile(p1)
	b, _ := os.ReadFile(p2)
	ident := strings.Repeat("x", 31)
	if string(a) != prefix+"info  "+ident+"[4242]: to-a\n" {
		t.Errorf("a.log = %q", a)
	}
	if string(b) != prefix+"info  "+ident+"[4242]: to-b\n" {
		t.Errorf("b.log = %q", b)
	}
	if buf.String() != prefix+"info  back[4242]: to-output\n" {
		t.Errorf("output = %q", buf.String())
	}

	// A rejected path clears the file sink: records are dropped until the
	// next set_path, exactly as lua-eco does.
	buf.Reset()
	luatest.Run(t, L, `log.set_path(p1); log.set_path(p1 .. '/../x.log'); log.info('dropped')
		log.set_path('/nonexistent-dir/x.log'); log.info('dropped too')
		log.set_path(''); log.info('visible')`)
	if a2, _ := os.ReadFile(p1); string(a2) != string(a) {
		t.Errorf("a.log changed after a rejected set_path: %q", a2)
	}
	if buf.String() != prefix+"info  back[4242]: visible\n" {
		t.Errorf("output = %q", buf.String())
	}
}

func TestRolling(t *testing.T) {
	L, _ := newState(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "roll.log")
	L.SetGlobal("p", lua.LString(p))
	// Unrelated files that look almost like rolled ones must survive.
	for _, name := range []string{"roll.log.x.1", "roll.log.1", "roll.logx.0001.1", "other.log"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
	}
	luatest.Run(t, L, `
		log.set_path(p)
		log.set_roll_size(256)
		log.set_roll_count(2)
		for i = 1, 200 do log.info('rolling-line', i, string.rep('x', 40)) end`)
	entries, _ := os.ReadDir(dir)
	var rolled []string
	for _, e := range entries {
		if _, ok := rolledSeq(e.Name(), "roll.log"); ok {
			rolled = append(rolled, e.Name())
		}
	}
	if len(rolled) != 2 {
		t.Fatalf("rolled files = %v, want the 2 newest", rolled)
	}
	stamp := fixedTime.Format("20060102-150405")
	// Records are about 90 bytes, so the file rolls every 3 records: 66 rolls.
	for i, want := range []string{"roll.log.0065." + stamp, "roll.log.0066." + stamp} {
		if rolled[i] != want {
			t.Errorf("rolled[%d] = %s, want %s", i, rolled[i], want)
		}
	}
	for _, name := range []string{"roll.log.x.1", "roll.log.1", "roll.logx.0001.1", "other.log"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s was removed", name)
		}
	}
	cur, _ := os.ReadFile(p)
	if len(cur) == 0 || len(cur) > 256+100 {
		t.Errorf("current file has %d bytes", len(cur))
	}
}

func TestArgumentErrors(t *testing.T) {
	L, _ := newState(t)
	cases := map[string]string{
		"log.set_level('x')":      "bad argument #1 to 'set_level' (number expected, got string)",
		"log.set_level(1.5)":      "bad argument #1 to 'set_level' (number has no integer representation)",
		"log.set_path(false)":     "bad argument #1 to 'set_path' (string expected, got boolean)",
		"log.set_ident(false)":    "bad argument #1 to 'set_ident' (string expected, got boolean)",
		"log.set_flags('x')":      "bad argument #1 to 'set_flags' (number expected, got string)",
		"log.set_roll_size('x')":  "bad argument #1 to 'set_roll_size' (number expected, got string)",
		"log.set_roll_size(-1)":   "bad argument #1 to 'set_roll_size' (size must be >= 0)",
		"log.set_roll_count('x')": "bad argument #1 to 'set_roll_count' (number expected, got string)",
		"log.log('x', 'bad')":     "bad argument #1 to 'log' (number expected, got string)",
		"log.log()":               "bad argument #1 to 'log' (number expected, got no value)",
	}
	for code, want := range cases {
		err := L.DoString(code)
		if err == nil {
			t.Errorf("%s: no error", code)
			continue
		}
		if got := err.(*lua.ApiError).Object.String(); got != "<string>:1: "+want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	luatest.Run(t, L, `log.set_level('7'); log.set_roll_count(0)`) // numeric strings convert
}

func TestPerVMState(t *testing.T) {
	L1, buf1 := newState(t)
	L2, buf2 := newState(t)
	luatest.Run(t, L1, `log.set_level(log.ERR); log.info('hidden')`)
	luatest.Run(t, L2, `log.info('shown')`)
	if buf1.Len() != 0 || !strings.Contains(buf2.String(), "shown") {
		t.Errorf("VMs share logger state: %q / %q", buf1, buf2)
	}
}

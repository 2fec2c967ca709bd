package encoding

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/luamod/internal/luatest"
	lua "github.com/yuin/gopher-lua"
)

// newState returns a VM with this package's modules preloaded.
func newState(t testing.TB) *lua.LState {
	t.Helper()
	return luatest.NewState(t, Modules(), `base64 = require 'eco.encoding.base64'; hex = require 'eco.encoding.hex'`)
}

// call runs a Lua expression list and returns its values.
func call(t *testing.T, L *lua.LState, expr string) []lua.LValue {
	t.Helper()
	top := L.GetTop()
	if err := L.DoString("return " + expr); err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	vals := make([]lua.LValue, 0, L.GetTop()-top)
	for i := top + 1; i <= L.GetTop(); i++ {
		vals = append(vals, L.Get(i))
	}
	L.SetTop(top)
	return vals
}

func TestBase64RFC4648Vectors(t *testing.T) {
	L := newState(t)
	vectors := [][2]string{
		{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
		{"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
	}
	for _, v := range vectors {
		L.SetGlobal("raw", lua.LString(v[0]))
		L.SetGlobal("b64", lua.LString(v[1]))
		got := call(t, L, "base64.encode(raw)")
		if len(got) != 1 || got[0].String() != v[1] {
			t.Errorf("encode(%q) = %v, want %q", v[0], got, v[1])
		}
		got = call(t, L, "base64.decode(b64)")
		if len(got) != 1 || got[0].String() != v[0] {
			t.Errorf("decode(%q) = %v, want %q", v[1], got, v[0])
		}
	}
}

func TestBase64MatchesStdlibOnRandomData(t *testing.T) {
	L := newState(t)
	buf := make([]byte, 1000)
	for n := 0; n < len(buf); n += 37 {
		rand.Read(buf[:n])
		L.SetGlobal("raw", lua.LString(buf[:n]))
		want := base64.StdEncoding.EncodeToString(buf[:n])
		got := call(t, L, "base64.encode(raw)")[0].String()
		if got != want {
			t.Fatalf("len %d: encode mismatch", n)
		}
		L.SetGlobal("b64", lua.LString(want))
		if back := call(t, L, "base64.decode(b64)")[0].String(); back != string(buf[:n]) {
			t.Fatalf("len %d: decode did not round-trip", n)
		}
	}
}

func TestBase64DecodeMalformed(t *testing.T) {
	L := newState(t)
	for _, in := range []string{"abc", "ab#=", "ab\n=", "Zm9v Zg==", "Zm9-", "Zm9_", "====", "Zm9v====", "Zm\xc39v"} {
		L.SetGlobal("s", lua.LString(in))
		got := call(t, L, "base64.decode(s)")
		if len(got) != 2 || got[0] != lua.LNil || got[1].String() != "input is malformed" {
			t.Errorf("decode(%q) = %v, want nil, 'input is malformed'", in, got)
		}
	}
}

func TestBase64DecodePaddingOnlyAtTheEnd(t *testing.T) {
	L := newState(t)
	// lua-eco 4.1.3 accepts '=' only as the last one or two bytes; padding
	// anywhere else, or a lone '=' before a data byte, is malformed.
	for _, in := range []string{"Zg==Zm9v", "Zm8=AAAA", "Zg=x", "Zm9vZ===", "=AAA", "A===", "AA=A", "AAA=AAAA"} {
		L.SetGlobal("s", lua.LString(in))
		got := call(t, L, "base64.decode(s)")
		if len(got) != 2 || got[0] != lua.LNil || got[1].String() != "input is malformed" {
			t.Errorf("decode(%q) = %v, want nil, 'input is malformed'", in, got)
		}
	}
	// Unused trailing bits are not checked: "Zh==" decodes like "Zg==".
	L.SetGlobal("s", lua.LString("Zh=="))
	if got := call(t, L, "base64.decode(s)")[0].String(); got != "f" {
		t.Errorf("decode(Zh==) = %q, want f", got)
	}
}

func TestBase64ArgumentErrors(t *testing.T) {
	L := newState(t)
	if got := call(t, L, "base64.encode(10)")[0].String(); got != "MTA=" {
		t.Errorf("encode(10) = %q, want MTA= (numbers convert to strings)", got)
	}
	cases := map[string]string{
		"base64.encode({})":   "bad argument #1 to 'encode' (string expected, got table)",
		"base64.decode({})":   "bad argument #1 to 'decode' (string expected, got table)",
		"base64.encode()":     "bad argument #1 to 'encode' (string expected, got no value)",
		"base64.decode(nil)":  "bad argument #1 to 'decode' (string expected, got nil)",
		"base64.encode(true)": "bad argument #1 to 'encode' (string expected, got boolean)",
	}
	for code, want := range cases {
		msg := luatest.MustFail(t, L, code)
		if msg != "<string>:1: "+want {
			t.Errorf("%s: error %q, want %q", code, msg, "<string>:1: "+want)
		}
	}
}

func TestHexEncodeDecode(t *testing.T) {
	L := newState(t)
	L.SetGlobal("bin", lua.LString("\x00\x01\xab\xff"))
	checks := map[string]string{
		"hex.encode(bin)":           "0001abff",
		"hex.encode(bin, ':')":      "00:01:ab:ff",
		"hex.encode(bin, false)":    "0001abff",
		"hex.encode(bin, 1)":        "001011ab1ff",
		"hex.encode('')":            "",
		"hex.decode('0001ABff')":    "\x00\x01\xab\xff",
		"hex.decode('')":            "",
		"#hex.decode('00ff') .. ''": "2",
	}
	for code, want := range checks {
		got := call(t, L, code)
		if len(got) != 1 || got[0].String() != want {
			t.Errorf("%s = %v, want %q", code, got, want)
		}
	}
	for _, bad := range []string{"abc", "0g", "00 11", "zz", "0x00"} {
		L.SetGlobal("s", lua.LString(bad))
		got := call(t, L, "hex.decode(s)")
		if len(got) != 2 || got[0] != lua.LNil || got[1].String() != "input is malformed" {
			t.Errorf("decode(%q) = %v, want nil, 'input is malformed'", bad, got)
		}
	}
	if msg := luatest.MustFail(t, L, "hex.encode(12)"); !strings.HasSuffix(msg, "attempt to index a number value (local 'bin')") {
		t.Errorf("hex.encode(12): %q", msg)
	}
	if msg := luatest.MustFail(t, L, "hex.decode()"); !strings.HasSuffix(msg, "attempt to index a nil value (local 's')") {
		t.Errorf("hex.decode(): %q", msg)
	}
}

func TestHexDumpFormat(t *testing.T) {
	L := newState(t)
	data := "0123456789abcdef\x00\x01ABC\x7f\xffxyz"
	L.SetGlobal("data", lua.LString(data))
	want := "00000000 30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef\n" +
		"00000010 00 01 41 42 43 7f ff 78  79 7a                    |..ABC.\xffxyz\n"
	if got := call(t, L, "hex.dump(data)")[0].String(); got != want {
		t.Errorf("dump:\n%q\nwant\n%q", got, want)
	}
	// A short line of fewer than 8 bytes gets the middle gap from padding.
	L.SetGlobal("data", lua.LString("abc"))
	want = "00000000 61 62 63 " + strings.Repeat(" ", 13*3+1) + " |abc\n"
	if got := call(t, L, "hex.dump(data)")[0].String(); got != want {
		t.Errorf("dump:\n%q\nwant\n%q", got, want)
	}
	if got := call(t, L, "hex.dump('')")[0].String(); got != "" {
		t.Errorf("dump('') = %q", got)
	}
}

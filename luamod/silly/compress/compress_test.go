package compress

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/luamod/internal/luatest"
	lua "github.com/yuin/gopher-lua"
)

// TestGzipHeaderAndInterop checks what gzip.compress writes against
// compress/gzip, and that a gzip by compress/gzip decodes in Lua.
func TestGzipHeaderAndInterop(t *testing.T) {
	L := luatest.NewState(t, Modules(), `gzip = require 'silly.compress.gzip'; lz4 = require 'silly.compress.lz4'`)
	luatest.Run(t, L, `out = gzip.compress(string.rep('golua ', 500))`)
	out := []byte(L.GetGlobal("out").String())
	if len(out) < 10 || out[9] != unixOS {
		t.Fatalf("header OS byte: % x", out[:min(10, len(out))])
	}
	r, err := gzip.NewReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil || string(got) != strings.Repeat("golua ", 500) {
		t.Fatalf("compress/gzip read %d bytes, %v", len(got), err)
	}

	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write([]byte("from go"))
	w.Close()
	L.SetGlobal("z", lua.LString(buf.String()))
	luatest.Run(t, L, `assert(gzip.decompress(z) == 'from go')`)
}

// TestLZ4Bounds checks the original-size argument's limits and that an
// incompressible input still makes a valid block.
func TestLZ4Bounds(t *testing.T) {
	L := luatest.NewState(t, Modules(), `lz4 = require 'silly.compress.lz4'`)
	luatest.Run(t, L, `
		local s = ''
		for i = 0, 255 do s = s .. string.char(i) end
		local z = assert(lz4.compress(s))
		assert(#z > #s, 'incompressible input grows a little')
		assert(lz4.decompress(z, 256) == s)
		local d, err = lz4.decompress(z, 0x80000000)
		assert(d == nil and err == 'Invalid original_size')
		assert(lz4.compress('') == '\0')
	`)
}

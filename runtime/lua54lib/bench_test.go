package lua54lib

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// runLoop compiles body as a function of N and runs it once with N = b.N,
// so the benchmark measures the Lua loop, not Go->Lua call overhead.
func runLoop(b *testing.B, setup, body string) {
	L := lua.NewState()
	defer L.Close()
	Open(L)
	runLoopOn(b, L, setup, body)
}

// runLoopOn is runLoop on a VM the caller prepared (to compare with
// gopher-lua's own library, for one).
func runLoopOn(b *testing.B, L *lua.LState, setup, body string) {
	if err := L.DoString(setup); err != nil {
		b.Fatal(err)
	}
	if err := L.DoString("function bench(N) " + body + " end"); err != nil {
		b.Fatal(err)
	}
	fn := L.GetGlobal("bench")
	b.ReportAllocs()
	b.ResetTimer()
	if err := L.CallByParam(lua.P{Fn: fn, NRet: 0, Protect: true}, lua.LNumber(b.N)); err != nil {
		b.Fatal(err)
	}
}

// A WebSocket frame header (eco/silly: ">BBI2" then ">I2" on read), with
// string.pack/unpack against the Lua 5.1 way of writing the same bytes.
const benchSetup = `
local floor = math.floor
local char, byte = string.char, string.byte
function lua_pack(b1, b2, n) return char(b1, b2, floor(n / 256), n % 256) end
function lua_unpack(s) local a, b, c, d = byte(s, 1, 4) return a, b, c * 256 + d end
text = string.rep("h\195\164\226\130\172 ascii text ", 40) -- about 1 KiB
function lua_utf8len(s)
  local n = 0
  for i = 1, #s do
    local c = byte(s, i)
    if c < 128 or c >= 192 then n = n + 1 end
  end
  return n
end
`

func BenchmarkPackHeader(b *testing.B) {
	b.Run("string.pack", func(b *testing.B) {
		runLoop(b, benchSetup, `local pack = string.pack for i = 1, N do local s = pack(">BBI2", 0x81, 126, i % 65536) end`)
	})
	b.Run("lua-baseline", func(b *testing.B) {
		runLoop(b, benchSetup, `for i = 1, N do local s = lua_pack(0x81, 126, i % 65536) end`)
	})
}

func BenchmarkUnpackHeader(b *testing.B) {
	b.Run("string.unpack", func(b *testing.B) {
		runLoop(b, benchSetup, `local unpack = string.unpack local h = "\129\126\1\44" for i = 1, N do local a, b, c = unpack(">BBI2", h) end`)
	})
	b.Run("lua-baseline", func(b *testing.B) {
		runLoop(b, benchSetup, `local h = "\129\126\1\44" for i = 1, N do local a, b, c = lua_unpack(h) end`)
	})
}

func BenchmarkUTF8Len1KiB(b *testing.B) {
	b.Run("utf8.len", func(b *testing.B) {
		runLoop(b, benchSetup, `local len = utf8.len for i = 1, N do local n = len(text) end`)
	})
	b.Run("lua-loop", func(b *testing.B) {
		runLoop(b, benchSetup, `for i = 1, N do local n = lua_utf8len(text) end`)
	})
}

// BenchmarkPCall measures protected calls from Lua: the success path, an
// error raised by a Go function (error itself), an error raised in a Lua
// function that holds a captured local, and xpcall with a handler.
func BenchmarkPCall(b *testing.B) {
	const setup = `
function nop() end
function fail() local x = 1; local function g() return x end; error("x") end
function handler(m) return m end
`
	b.Run("pcall-ok", func(b *testing.B) {
		runLoop(b, setup, `local pcall, nop = pcall, nop for i = 1, N do pcall(nop) end`)
	})
	b.Run("pcall-error-go", func(b *testing.B) {
		runLoop(b, setup, `local pcall, error = pcall, error for i = 1, N do pcall(error, "x") end`)
	})
	b.Run("pcall-error-table", func(b *testing.B) {
		runLoop(b, setup, `local pcall, error, t = pcall, error, {} for i = 1, N do pcall(error, t) end`)
	})
	b.Run("pcall-error-lua", func(b *testing.B) {
		runLoop(b, setup, `local pcall, fail = pcall, fail for i = 1, N do pcall(fail) end`)
	})
	b.Run("xpcall-ok", func(b *testing.B) {
		runLoop(b, setup, `local xpcall, nop, h = xpcall, nop, handler for i = 1, N do xpcall(nop, h) end`)
	})
	b.Run("xpcall-error-lua", func(b *testing.B) {
		runLoop(b, setup, `local xpcall, fail, h = xpcall, fail, handler for i = 1, N do xpcall(fail, h) end`)
	})
}

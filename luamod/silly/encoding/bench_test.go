package encoding

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// typicalMessage is a chat-style WebSocket message.
const typicalMessage = `{"type":"message","room":"lobby","seq":1234,"ts":1717171717.25,` +
	`"from":{"id":42,"name":"alice","admin":false},"text":"hello, world \"quoted\"\n",` +
	`"tags":["a","b","c"],"attachments":[{"kind":"image","size":20480,"url":"https://example.com/x.png"}]}`

func benchState(b *testing.B) (*lua.LState, *lua.LTable) {
	L := newState(b)
	mod := L.GetGlobal("json").(*lua.LTable)
	return L, mod.RawGetString("null").(*lua.LTable)
}

// Run with: go test -run '^$' -bench . -benchmem ./luamod/silly/encoding/
// and compare each Lua* result with its Go* baseline from the same run.

func BenchmarkLuaJSONDecode(b *testing.B) {
	L, null := benchState(b)
	b.SetBytes(int64(len(typicalMessage)))
	for b.Loop() {
		if _, err := DecodeJSON(L, typicalMessage, null); err != "" {
			b.Fatal(err)
		}
	}
}

func BenchmarkGoJSONDecode(b *testing.B) {
	b.SetBytes(int64(len(typicalMessage)))
	for b.Loop() {
		var v any
		if err := json.Unmarshal([]byte(typicalMessage), &v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLuaJSONEncode(b *testing.B) {
	L, null := benchState(b)
	v, _ := DecodeJSON(L, typicalMessage, null)
	b.SetBytes(int64(len(typicalMessage)))
	for b.Loop() {
		if _, err := EncodeJSON(L, v, null); err != "" {
			b.Fatal(err)
		}
	}
}

func BenchmarkGoJSONEncode(b *testing.B) {
	var v any
	if err := json.Unmarshal([]byte(typicalMessage), &v); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(typicalMessage)))
	for b.Loop() {
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

var kib = func() string {
	p := make([]byte, 1024)
	for i := range p {
		p[i] = byte(i * 7)
	}
	return string(p)
}()

// BenchmarkLuaBase64Encode1K calls base64.encode through the Lua API, so
// it includes the cost of a Go function call from Lua.
func BenchmarkLuaBase64Encode1K(b *testing.B) {
	L := newState(b)
	fn := L.GetField(L.GetGlobal("base64"), "encode")
	arg := lua.LString(kib)
	b.SetBytes(1024)
	for b.Loop() {
		if err := L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, arg); err != nil {
			b.Fatal(err)
		}
		L.Pop(1)
	}
}

func BenchmarkGoBase64Encode1K(b *testing.B) {
	b.SetBytes(1024)
	for b.Loop() {
		_ = base64.StdEncoding.EncodeToString([]byte(kib))
	}
}

func BenchmarkLuaBase64Decode1K(b *testing.B) {
	L := newState(b)
	fn := L.GetField(L.GetGlobal("base64"), "decode")
	arg := lua.LString(base64.StdEncoding.EncodeToString([]byte(kib)))
	b.SetBytes(1024)
	for b.Loop() {
		if err := L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true}, arg); err != nil {
			b.Fatal(err)
		}
		L.Pop(1)
	}
}

func BenchmarkGoBase64Decode1K(b *testing.B) {
	enc := base64.StdEncoding.EncodeToString([]byte(kib))
	b.SetBytes(1024)
	for b.Loop() {
		if _, err := base64.StdEncoding.DecodeString(enc); err != nil {
			b.Fatal(err)
		}
	}
}

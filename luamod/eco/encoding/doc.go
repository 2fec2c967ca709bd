// Package encoding provides lua-eco's "eco.encoding.base64" and
// "eco.encoding.hex" modules for gopher-lua.
//
// Behaviour follows lua-eco (base64.c, hex.lua) to the letter, including its
// quirks: base64.decode accepts padding only at the very end and does not
// check unused trailing bits, and hex.dump prints no closing '|' on each
// line.
//
// Register the loaders with Modules:
//
//	for name, loader := range encoding.Modules() {
//		L.PreloadModule(name, loader)
//	}
package encoding

import lua "github.com/yuin/gopher-lua"

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"eco.encoding.base64": loadBase64,
		"eco.encoding.hex":    loadHex,
	}
}

// malformed is the error string both decoders return for bad input.
const malformed = "input is malformed"

// indexError raises the error Lua 5.4 gives when a script indexes a value
// that has no such operation, e.g. calling bin:gsub on a number in hex.lua.
func indexError(L *lua.LState, v lua.LValue, local string) {
	L.RaiseError("attempt to index a %s value (local '%s')", v.Type().String(), local)
}

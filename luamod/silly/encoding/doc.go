// Package encoding provides silly's "silly.encoding.json" and
// "silly.encoding.base64" modules for gopher-lua.
//
// Behaviour follows silly's C modules (ljson.c, lbase64.c). Differences
// forced by gopher-lua, where every number is a float64:
//   - json.encode prints integral numbers in int64 range as integers and
//     others with %.14g, exactly as silly does for floats; Lua 5.4 integers
//     beyond 2^53 do not exist here.
//   - json.decode returns float64 for integers, so integers beyond 2^53
//     lose precision (silly keeps them as int64).
//   - object keys come out in gopher-lua's table order (insertion order),
//     where silly uses lua_next's hash order; neither is specified.
package encoding

import lua "github.com/yuin/gopher-lua"

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"silly.encoding.json":   loadJSON,
		"silly.encoding.base64": loadBase64,
	}
}

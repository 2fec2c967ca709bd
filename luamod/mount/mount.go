// Package mount serves Lua functions as http.Handlers inside a Go host's own
// net/http server, so that an endpoint written in Lua — a WebSocket chat, an
// API route — lives beside Go handlers on one http.ServeMux.
//
// Each request runs the Lua function as a task of its own on the host's
// Runtime, exactly as the dialect's own HTTP server would run it: Silly
// gives the function silly's server stream (silly.net.http), on which
// silly.net.websocket's upgrade works. The net/http goroutine waits for the
// task, or returns as soon as a WebSocket upgrade has taken the connection
// over; the connection then lives as long as the Lua code keeps it.
//
// The function is given either as a *lua.LFunction or by name. A name such
// as "chat.serve" is looked up on every request (globals first, then
// package.loaded), so after Runtime.Reload new requests run the new code
// while connections already open keep theirs.
//
// Eco gives the function lua-eco's (con, req) pair (eco.http.server), on
// which eco.websocket's upgrade works.
package mount

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"

	ecohttp "github.com/golua-ws/golua-ws/luamod/eco/http"
	sillyhttp "github.com/golua-ws/golua-ws/luamod/silly/http"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// Silly returns an http.Handler that runs fn(stream) for every request,
// with silly's server stream: stream.method, stream.path, stream.query,
// stream.header, stream:respond(status, header), stream:write,
// stream:closewrite(body), stream:readall(), and websocket.upgrade(stream).
// The response ends when fn returns (silly's implicit closewrite); a Lua
// error is reported like any uncaught task error and drops that one
// request's connection. The "silly.net.http" and "silly.net.websocket"
// modules must be registered on rt (luamod.Register does it) for fn to use
// them.
//
// fn is a *lua.LFunction of rt's VM, or a string naming a function (see the
// package documentation); any other type panics, as a programming error. The
// handler may be used from any goroutine. stream.conn is available when the
// host's http.Server sets ConnContext to ConnContext.
func Silly(rt *runtime.Runtime, fn any) http.Handler {
	return sillyhttp.NewHandler(rt, function(rt, fn))
}

// Eco returns an http.Handler that runs fn(con, req) for every request,
// with lua-eco's con object and req table exactly as eco.http.server's
// listen gives them (con:send, con:set_status, con:add_header, req.path,
// req.headers, ..., and eco.websocket.upgrade(con, req)). options is
// listen's options table as a Go map (docroot, index, http_keepalive; nil for
// the defaults). The response is flushed when fn returns; a Lua error answers
// 500 and is reported like any uncaught task error. fn is as for Silly. It
// waits for the VM token to build the con method tables, so call it before
// the runtime is busy, or from a goroutine that may wait; it returns an error
// only when rt is closed.
func Eco(rt *runtime.Runtime, fn any, options map[string]any) (http.Handler, error) {
	f := function(rt, fn)
	var h http.Handler
	err := rt.Do(context.Background(), func(t *runtime.Task) error {
		var opts *lua.LTable
		if options != nil {
			opts = t.L.NewTable()
			for k, v := range options {
				opts.RawSetString(k, runtime.ToLua(t.L, v))
			}
		}
		h = ecohttp.NewHandler(t.L, rt, f, opts)
		return nil
	})
	return h, err
}

// ConnContext is an http.Server.ConnContext function that gives handlers
// from Silly the request's network connection (stream.conn).
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	return sillyhttp.ConnContext(ctx, c)
}

// function turns Silly's fn argument into a Lua function. A name becomes a
// Go function that resolves the name each time it is called, under the
// token, and calls what it finds with the same arguments.
func function(rt *runtime.Runtime, fn any) *lua.LFunction {
	switch f := fn.(type) {
	case *lua.LFunction:
		if f == nil {
			panic("mount: nil Lua function")
		}
		return f
	case string:
		if f == "" {
			panic("mount: empty function name")
		}
		path := strings.Split(f, ".")
		// NewFunction only reads the main state's environment, which is
		// fixed once the runtime exists, so this is safe off the token.
		return rt.L.NewFunction(func(L *lua.LState) int {
			target := resolve(L, path)
			if target == nil {
				L.RaiseError("mount: %s is not a function", f)
			}
			L.Insert(target, 1)
			L.Call(L.GetTop()-1, lua.MultRet)
			return L.GetTop()
		})
	default:
		panic(fmt.Sprintf("mount: fn must be a *lua.LFunction or a function name, not %T", fn))
	}
}

// resolve looks path up: its first element in the globals, or failing that
// in package.loaded; the rest as fields. It returns nil unless the result is
// a function.
func resolve(L *lua.LState, path []string) *lua.LFunction {
	cur := L.GetGlobal(path[0])
	if cur == lua.LNil {
		if loaded, ok := L.GetField(L.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable); ok {
			cur = loaded.RawGetString(path[0])
		}
	}
	for _, name := range path[1:] {
		if cur == lua.LNil {
			return nil
		}
		cur = L.GetField(cur, name)
	}
	f, _ := cur.(*lua.LFunction)
	return f
}

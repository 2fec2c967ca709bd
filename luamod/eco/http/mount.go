package http

import (
	"net/http"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// NewHandler returns an http.Handler that serves every request the way an
// http.listen server does, but inside the caller's own net/http server:
// handler(con, req) runs as a task of its own with lua-eco's con object and
// req table, the response is flushed when it returns, and a 101 reply (an
// eco.websocket upgrade) takes the connection over. options is
// http.listen's options table (nil for the defaults). L must be rt's main
// state or one of its threads, and the caller must hold the VM token (for
// example inside Runtime.Do): NewHandler creates the con method tables. The
// handler may then be used from any goroutine. Package mount wraps it for
// hosts.
func NewHandler(L *lua.LState, rt *runtime.Runtime, handler *lua.LFunction, options *lua.LTable) http.Handler {
	if options == nil {
		options = L.NewTable()
	}
	return newServer(newState(rt, L), handler, options)
}

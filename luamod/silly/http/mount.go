package sillyhttp

import (
	"context"
	"net"
	"net/http"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// NewHandler returns an http.Handler that serves every request the way an
// http.listen server does, but inside the caller's own net/http server: fn
// runs as a task of its own with silly's server stream as its argument
// (stream.method, stream.path, stream:respond, stream:closewrite,
// websocket.upgrade(stream), ...), and ServeHTTP waits for it to finish or
// to take the connection over with a WebSocket upgrade. fn must belong to
// rt's VM. The handler may be used from any goroutine; requests that arrive
// after rt is closed are aborted. Package mount wraps it for hosts.
//
// Requests served over TLS report stream.scheme "https". stream.conn is
// available only when the host's server sets ConnContext (see ConnContext);
// otherwise it is nil.
func NewHandler(rt *runtime.Runtime, fn *lua.LFunction) http.Handler {
	return &mountedHandler{
		plain:  &server{rt: rt, handler: fn, scheme: "http"},
		secure: &server{rt: rt, handler: fn, scheme: "https"},
	}
}

type mountedHandler struct {
	plain, secure *server
}

func (h *mountedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.TLS != nil {
		h.secure.ServeHTTP(w, r)
		return
	}
	h.plain.ServeHTTP(w, r)
}

// ConnContext is an http.Server.ConnContext function that makes the
// request's network connection available to handlers from NewHandler as
// stream.conn. A host that has its own ConnContext can call this one from
// it.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, netConnKey{}, c)
}

// Package sillyhttp implements silly's "silly.net.http" for golua-ws on top of
// net/http: http.listen (HTTP/1.1, and HTTP/2 over TLS when ALPN asks for it)
// with silly's server stream object, and the client (get, post, request,
// newclient) with silly's client stream.
//
// Each request runs the Lua handler as its own task, started from the net/http
// connection goroutine, which waits for it: the response is finished when the
// handler returns (silly's implicit closewrite), keep-alive is net/http's, and
// a handler error aborts that one request's connection (as silly closes it)
// while the server keeps serving. A handler that hijacks the connection
// (websocket.upgrade) releases the net/http goroutine at once. The listener
// is served by luamod/http's Server, shared with eco (its front door serves
// WebSocket handshakes without net/http's per-connection buffers; a
// graceful shutdown lets the requests in flight finish).
package sillyhttp

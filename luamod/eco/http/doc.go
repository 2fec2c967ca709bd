// Package http provides lua-eco's "eco.http.server" and "eco.http.client"
// modules on the golua-ws runtime.
//
// The server is built on net/http: net/http parses requests and manages
// keep-alive, and every request runs the Lua handler as a task of its own
// (queued from the net/http goroutine, which waits for the task). The Lua
// side sees lua-eco's req table and con object: output is buffered until
// con:flush() or the end of the handler, chunked when no content-length was
// set, and a handler that fails ends its own request (500, or the connection
// is dropped once the head is out) while the server goes on serving.
// A flush with status 101 takes the connection over from net/http (Hijack)
// and exposes it as con.sock, an eco.socket, which eco.websocket builds on.
// The listener is served by luamod/http's Server, shared with silly: on
// plain TCP a new connection whose first request is an HTTP/1.1 GET with an
// Upgrade header skips net/http (its front door), which spares each
// WebSocket handshake net/http's per-connection buffers; a graceful
// shutdown stops accepting and lets the requests in flight finish.
// After a take-over the Go side keeps no net/http state, and values every
// con and req share (Server, Keep-Alive, Date within a second, versions)
// are boxed once. The fields of con and req stay in Go until a script
// reads them (lazyTable): a WebSocket handler keeps both for the
// connection's whole life.
//
// The client writes lua-eco's request and reads the response with
// net/http's parser; a 101 reply leaves the connection open for
// eco.websocket, reachable through hc:sock().
package http

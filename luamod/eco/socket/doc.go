// Package socket provides lua-eco's "eco.socket" and "eco.internal.socket"
// modules on the golua-ws runtime, the TLS configuration that https:// and
// wss:// use, and the Go socket that eco.http, eco.websocket and eco.ssl
// (package luamod/eco/ssl) build on.
//
// eco.socket is Lua (socket.lua) over eco.internal.socket, eco.reader,
// eco.writer, eco.sync and eco.internal.file, composed as lua-eco's is: a
// socket object is a table holding the eco.internal.socket socket (sock),
// eco.reader and eco.writer on its fd (rd, wr) and a writers' mutex.
// eco.internal.socket is Go: TCP, UDP, Unix stream and datagram sockets
// (abstract names included), socketpair, packet and netlink sockets and
// TUN/TAP devices. NewSocket makes a non-blocking descriptor and keeps it
// on Go's poller as an *os.File for its whole life (getfd stays the same
// number), also used as the socket's net.Conn once it can carry data
// (rawsock.go); its listen_tcp keeps Go's TCP listener (port sharing under
// --workers).
//
// The Go socket type below is also what eco.http, eco.websocket and
// eco.ssl use directly, with its own reader:
// A socket is a Lua userdata wrapping a net.Conn (or a net.Listener) and a
// read buffer of its own, so that lua-eco's reader semantics hold: read(n)
// returns buffered bytes first, readuntil keeps look-ahead for the next call,
// readfull drops partial data on error. Every blocking call releases the VM
// token (runtime.Task.Block) and a call whose data is already buffered keeps
// it. Timeouts are per call, in seconds; nil, 0 or a negative value means no
// timeout. Errors are returned as nil, err with lua-eco's strings: 'timeout',
// 'closed' (the peer closed), 'canceled' (closed locally while waiting), or
// the strerror text of the system error ('Connection refused').
//
// The HTTP and WebSocket bindings build on the exported Socket type: they
// wrap connections they accepted or dialled (Wrap) and take them over again
// (Detach) when a connection becomes a WebSocket.
package socket

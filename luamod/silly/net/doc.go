// Package sillynet implements silly's socket layer for golua-ws: the Lua
// modules "silly.net.tcp", "silly.net.tls", "silly.net.udp",
// "silly.net.addr" and "silly.net.dns", and the Go pieces the silly HTTP and
// WebSocket modules share (the conn object that scripts see as stream.conn
// and sock.conn, silly's errno strings, the asynchronous write queue,
// address and certificate parsing, the resolver).
//
// A conn wraps a net.Conn. Reads release the VM token while they wait (data
// already buffered is returned without a handoff); the socket is read when a
// task asks, or ahead up to a limit after conn:limit (read.go). Writes never
// yield, as in silly: they are queued and a short-lived goroutine drains the
// queue, so a slow peer never stalls the VM and a broadcast loop over many
// conns runs to its end without other tasks interleaving.
//
// A UDP socket (udp.go) is read by a goroutine into a bounded store, as
// silly's event loop does. The resolver (resolver.go, dnswire.go) is silly's
// own DNS client, one per VM, working on goroutines under one mutex.
package sillynet

// Package sillynet implements silly's socket layer for golua-ws: the Lua
// modules "silly.net.tcp", "silly.net.tls" and "silly.net.dns", and the Go
// pieces the silly HTTP and WebSocket modules share (the conn object that
// scripts see as stream.conn and sock.conn, silly's errno strings, the
// asynchronous write queue, address and certificate parsing).
//
// A conn wraps a net.Conn. Reads release the VM token while they wait (data
// already buffered is returned without a handoff); writes never yield, as in
// silly: they are queued and a short-lived goroutine drains the queue, so a
// slow peer never stalls the VM and a broadcast loop over many conns runs to
// its end without other tasks interleaving.
package sillynet

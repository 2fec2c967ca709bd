// Package wscore is a strict, allocation-conscious implementation of the
// WebSocket protocol (RFC 6455) with the permessage-deflate extension
// (RFC 7692), in pure Go. It knows nothing of Lua: the eco and silly
// bindings in luamod/websocket are thin layers over it.
//
// The package is split by protocol concern: accept.go (server handshake),
// dial.go (client handshake), conn.go (the Conn type and its options),
// read.go and write.go (the frame and message paths), close.go (close codes,
// the closing handshake and errors), frame.go (header encoding), mask.go,
// utf8.go and compress.go.
//
// Two levels share one Conn:
//
//   - Frame level (eco.websocket): [Conn.ReadFrame] returns each frame as it
//     arrives, control frames included, and [Conn.WriteFrame] sends exactly
//     one frame.
//   - Message level (silly.net.websocket): [Conn.ReadMessage] reassembles
//     fragmented messages and [Conn.WriteMessage] fragments large ones.
//
// A Conn is strict by default: reserved bits and opcodes, unmasked client
// frames, masked server frames, fragmented or oversized control frames,
// invalid close codes, invalid UTF-8 and oversized payloads fail the
// connection with the close code RFC 6455 prescribes (1002, 1007, 1009),
// which is sent to the peer and returned as a [*ProtocolError].
//
// A read deadline that expires is not fatal: the partially read frame or
// message is kept and the next read call continues it.
//
// Memory: read and write buffers come from pools shared by all connections
// and are held only while in use. A Conn waiting for its peer holds no
// buffer: on plain TCP and Unix sockets the read waits in the poller through
// syscall.RawConn and takes a buffer only once the socket is readable; on
// other connections (TLS) the wait lands in a 128-byte array inside the
// Conn. Accept drops net/http's hijacked bufio buffers. An idle Conn costs
// about 1 KiB of heap besides the socket.
//
// Fast path: [Conn.FrameBuffered] and [Conn.MessageBuffered] tell whether
// the next read can complete from buffered bytes alone, so that a caller
// which must release a lock or token around blocking calls can skip that.
//
// Handshakes done elsewhere: [NewConn] wraps an upgraded connection;
// [NewConnWith] also takes what the handshake negotiated, with
// [NegotiateDeflate] (server), [DeflateOffer] and [AcceptDeflate] (client)
// for permessage-deflate.
//
// Masking runs in AVX2 or SSE2 assembly on amd64 and a word at a time in
// pure Go elsewhere (and with the purego build tag).
//
// Concurrency: at most one goroutine may read at a time; any number may
// write, and writes are serialised a whole frame at a time, so control frames
// can be sent while another goroutine is writing a fragmented message.
package wscore

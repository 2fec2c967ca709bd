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
// Concurrency: at most one goroutine may read at a time; any number may
// write, and writes are serialised a whole frame at a time, so control frames
// can be sent while another goroutine is writing a fragmented message.
package wscore

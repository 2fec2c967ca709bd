// Package websocket is the dialect-neutral connection layer between wscore
// and the dialects' WebSocket bindings (eco.websocket, silly.net.websocket).
//
// wscore speaks RFC 6455 and knows nothing of Lua or of the runtime. The
// dialects map their Lua APIs and error strings. Everything in between
// lives here, once, for both dialects and both roles:
//
//   - Conn: a *wscore.Conn with the bounded write-behind queue (package
//     outbox) and the slow-consumer policy: a send never blocks the
//     sending task; one that would take the queue beyond MaxQueued, or a
//     queued write that does not complete within WriteTimeout, fails the
//     connection (ErrSlowConsumer, ErrWriteTimeout).
//   - the per-message paths: ReadFrame and ReadMessage read without
//     giving up the VM token when the frame or message is buffered and
//     nothing is queued, and otherwise write the task's queue on its own
//     goroutine before they wait; Send and SendFrame queue or write.
//   - the close handshake bounded by wscore's CloseTimeout (Close), the
//     immediate teardown of a slow consumer (Fail), and the 1011 close of
//     a connection whose owning task failed (Own).
//   - the per-runtime registry of live connections: at a graceful
//     shutdown every open WebSocket gets close 1001 "going away" and the
//     peers' replies are awaited until the shutdown's context ends; at the
//     runtime's exit whatever is left is closed at once.
//   - typed errors (errors.Is/As): ErrSlowConsumer, ErrWriteTimeout,
//     ErrGoingAway, ErrClosed, and *CloseError carrying a close code.
package websocket

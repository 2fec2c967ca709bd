// Package http is the shared HTTP front door and take-over under
// eco.http.server and silly.net.http: one Server that both dialects' listen
// functions run, on plain TCP or TLS, with the runtime's lifecycle.
//
// A Server serves a dialect's http.Handler through net/http, with two
// additions. On plain TCP it can read the head of each new connection's
// first request itself (front.go): a GET asking for an Upgrade (a WebSocket
// handshake) is served directly with a pooled buffer, sparing each
// WebSocket net/http's per-connection buffers, and everything else is
// handed to net/http. And it is tied to its runtime: a graceful shutdown
// (runtime.OnShutdown) stops accepting and lets the requests in flight
// finish, through net/http's Server.Shutdown and by waiting for the
// requests the front door serves; the runtime's exit closes everything
// at once. Connections taken over by a WebSocket are not the Server's after
// the take-over (the WebSocket layer closes them), and TakenOverWriter
// stands in for the ResponseWriter they no longer have.
//
// A Go panic while serving a request (other than http.ErrAbortHandler)
// ends that connection and is reported with its stack on the runtime's
// stderr and logger; the server goes on serving.
package http

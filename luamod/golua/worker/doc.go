// Package worker runs one script on N independent runtimes in one process
// (golua-ws --workers N) and gives the script its identity.
//
// Each worker is a whole runtime: its own Lua VM, scheduler and module
// instances. What the workers share is the process's listening ports: every
// listener of both dialects (eco.http.server.listen, eco.socket.listen_tcp,
// silly.net.http.listen, silly.net.tcp.listen) opens its socket through
// Listen, which hands a lone runtime a plain socket and a pool's worker a
// share of a port, in one of two ways (AcceptMode):
//
//   - AcceptShared (the default): the first worker to listen on an address
//     opens the one socket; a single accept loop takes connections from it
//     and deals them to the workers' listeners in turn (round-robin,
//     skipping a worker that has a backlog of connections it has not
//     accepted). A worker that closes its listener loses nothing: what was
//     dealt to it goes to the others.
//   - AcceptReusePort: every worker binds a socket of its own with
//     SO_REUSEPORT and the kernel spreads connections by a hash of their
//     addresses. Connections already queued on a socket that closes are
//     reset by Linux (unless net.ipv4.tcp_migrate_req=1).
//
// The process-wide part (the hub of shared sockets) reaches each runtime
// through runtime.WithService, so nothing here is package state.
//
// Scripts see their identity through the golua.worker module
// (require 'golua.worker' gives id 1..N and count N); Go hosts run a pool
// with Pool.
package worker

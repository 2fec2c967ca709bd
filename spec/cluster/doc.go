// Package cluster holds golua-ws's multi-process acceptance test: a real
// nats-server on a free loopback port, two golua-ws processes each running
// a chat script (scripts/eco/chat.lua, then scripts/silly/chat.lua) with
// `--workers 2 --bus nats://...`, and gorilla WebSocket clients on every
// worker of both processes. It proves that a chat message sent to one
// process reaches the clients of every worker of both, that a NATS outage
// in the middle loses no more than golua.bus documents and hangs no task,
// that the subscriptions resume once the server is back, and that both
// processes still shut down cleanly on SIGTERM.
//
// The test needs Debian's nats-server (on PATH or in /usr/sbin; .ci/run
// installs it) and fails, rather than skips, without it.
package cluster

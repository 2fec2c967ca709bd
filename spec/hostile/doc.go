// Package hostile attacks golua-ws servers as a hostile peer would, in both
// dialects, and checks that each attack costs one connection, not the
// server: real scripts run on the golua-ws runtime (in-process, or as the
// built command where signals and process memory matter), and raw sockets
// on 127.0.0.1 send what a well-behaved client never would. Each test
// asserts a bound the server must keep (memory, descriptors, time) while a
// normal client is still served.
package hostile

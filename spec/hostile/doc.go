// Package hostile attacks golua-ws servers as a hostile peer would, in both
// dialects: real scripts run in-process on the golua-ws runtime, and raw
// sockets on 127.0.0.1 send what a well-behaved client never would. Each
// test asserts a bound the server must keep (memory, descriptors, time)
// while a normal client is still served.
package hostile

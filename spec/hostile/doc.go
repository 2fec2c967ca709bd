// Package hostile attacks golua-ws servers as a hostile peer would, in both dialects, and checks that each attack costs one connection, not the server.
package hostile

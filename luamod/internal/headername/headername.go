// Package headername lowercases HTTP header names for the dialects' Lua
// header tables. The names of a WebSocket handshake and other common ones
// come back as constants, so the header tables of thousands of idle
// connections share one copy of each name instead of holding their own.
package headername

import "strings"

// Lower is strings.ToLower for a canonical (net/http) header name, without
// allocating for the common names.
func Lower(canonical string) string {
	switch canonical {
	case "Host":
		return "host"
	case "Upgrade":
		return "upgrade"
	case "Connection":
		return "connection"
	case "Sec-Websocket-Key":
		return "sec-websocket-key"
	case "Sec-Websocket-Version":
		return "sec-websocket-version"
	case "Sec-Websocket-Extensions":
		return "sec-websocket-extensions"
	case "Sec-Websocket-Protocol":
		return "sec-websocket-protocol"
	case "Origin":
		return "origin"
	case "User-Agent":
		return "user-agent"
	case "Accept":
		return "accept"
	case "Accept-Encoding":
		return "accept-encoding"
	case "Accept-Language":
		return "accept-language"
	case "Cache-Control":
		return "cache-control"
	case "Pragma":
		return "pragma"
	case "Cookie":
		return "cookie"
	case "Authorization":
		return "authorization"
	case "Content-Type":
		return "content-type"
	case "Content-Length":
		return "content-length"
	}
	return strings.ToLower(canonical)
}

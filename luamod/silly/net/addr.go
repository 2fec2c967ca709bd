package sillynet

import (
	"net"
	"strings"
)

// ParseAddr splits silly's "ip:port", "[v6]:port" or ":port" into a Go
// dial/listen address. silly resolves with AI_NUMERICHOST, so a host name is
// an error (ErrResolve) and a missing port is ErrInval.
func ParseAddr(addr string) (string, string) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		if strings.Contains(err.Error(), "missing port") {
			return "", ErrInval
		}
		return "", ErrResolve
	}
	if port == "" {
		return "", ErrInval
	}
	if host == "" {
		return net.JoinHostPort("::", port), ""
	}
	if net.ParseIP(host) == nil {
		return "", ErrResolve
	}
	return net.JoinHostPort(host, port), ""
}

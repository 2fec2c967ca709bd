package silly_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// wsRunSpec runs one of this directory's Lua spec scripts with free ports
// as arguments and the given command flags; the failing script line is
// named on failure.
func wsRunSpec(t *testing.T, script string, ports int, flags ...string) {
	t.Helper()
	args := make([]string, ports)
	for i := range args {
		args[i] = fmt.Sprint(specrun.FreePort(t))
	}
	res := specrun.Run(t, filepath.Join(".", script), specrun.Options{
		Args:    args,
		Flags:   flags,
		Timeout: 90 * time.Second,
	})
	t.Log(res.Stdout)
}

// TestSillyWebSocketSpec covers silly.net.websocket: silly's own test cases
// (vectors both ways, 1 MiB through 64 KiB fragments, ping/pong by hand,
// abrupt close → EOF, TLS and wss to a plain server, 50 concurrent
// clients) and golua-ws's additions.
func TestSillyWebSocketSpec(t *testing.T) { wsRunSpec(t, "ws_api.lua", 2, "--fatal-errors") }

// TestSillyHTTPSpec covers silly.net.http's server stream and client. It
// runs without --fatal-errors because one case fails a handler on purpose;
// the script exits 1 with a traceback on a failed assertion.
func TestSillyHTTPSpec(t *testing.T) { wsRunSpec(t, "http_api.lua", 1) }

// TestSillyTCPSpec covers silly.net.tcp, silly.net.tls and silly.net.dns.
func TestSillyTCPSpec(t *testing.T) { wsRunSpec(t, "tcp_api.lua", 1, "--fatal-errors") }

// TestSillyNetSpec covers silly.net.udp, silly.net.addr, dns.conf and
// dns.sethosts (the configured nameserver is a UDP socket in the script),
// conn:limit's read-ahead and listener reload errors.
func TestSillyNetSpec(t *testing.T) { wsRunSpec(t, "net_api.lua", 3, "--fatal-errors") }

package silly_test

import (
	"net"
	"testing"
	"time"

	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
)

// wsListen listens on addr, retrying briefly while a previous test's
// process releases the port.
func wsListen(t *testing.T, addr string) net.Listener {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			return ln
		}
		if time.Now().After(deadline) {
			t.Fatalf("listen %s: %v", addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// wsSelfSigned returns a fresh certificate and key for 127.0.0.1 as PEM.
func wsSelfSigned(t *testing.T) (string, string) {
	t.Helper()
	c, k, err := sillynet.SelfSigned([]string{"127.0.0.1", "localhost"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return c, k
}

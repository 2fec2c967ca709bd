// Package natstest runs a real nats-server (Debian's package, installed by
// .ci/run) for tests: on a free loopback port, stopped when the test ends,
// and stoppable and restartable on the same port mid-test to exercise
// outages. A missing nats-server fails the test with a message saying how
// to install it; it is never skipped silently.
//
// It is the testing face of bench.NATSServer, which the fan-out benchmark
// uses outside tests: one way to run nats-server in the repository.
package natstest

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/bench"
)

// Binary returns the path of nats-server (PATH, then /usr/sbin, where
// Debian installs it), failing t if there is none.
func Binary(t testing.TB) string {
	t.Helper()
	bin, err := bench.FindNATSServer()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// Server is one nats-server process.
type Server struct {
	*bench.NATSServer
	t    testing.TB
	Port int
}

// Start runs nats-server on a free port of 127.0.0.1 and waits until it
// accepts connections. It is stopped when the test ends.
func Start(t testing.TB) *Server { t.Helper(); return StartWith(t) }

// StartWith is Start with further nats-server arguments (--auth TOKEN,
// --tls --tlscert FILE --tlskey FILE, ...).
func StartWith(t testing.TB, args ...string) *Server {
	t.Helper()
	port := freePort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ns, err := bench.StartNATS(ctx, Binary(t), port, args...)
	if err != nil {
		t.Fatalf("natstest: %v", err)
	}
	s := &Server{NATSServer: ns, t: t, Port: port}
	t.Cleanup(s.Stop)
	return s
}

// Stop ends the server abruptly (SIGKILL, as a crash would) and waits for
// it. Stopping a stopped server does nothing.
func (s *Server) Stop() { s.Kill() }

// Restart kills the server and starts it again on the same port.
func (s *Server) Restart() {
	s.t.Helper()
	s.Kill()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.Start(ctx); err != nil {
		s.t.Fatalf("natstest: restart: %v", err)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("natstest: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

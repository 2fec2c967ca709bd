// Package natstest runs a real nats-server (Debian's package, installed by
// .ci/run) for tests: on a free loopback port, stopped when the test ends,
// and stoppable and restartable on the same port mid-test to exercise
// outages. A missing nats-server fails the test with a message saying how
// to install it; it is never skipped silently.
package natstest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Binary returns the path of nats-server (PATH, then /usr/sbin, where
// Debian installs it), failing t if there is none.
func Binary(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("nats-server"); err == nil {
		return p
	}
	const debian = "/usr/sbin/nats-server"
	if _, err := os.Stat(debian); err == nil {
		return debian
	}
	t.Fatalf("nats-server not found in PATH or at %s: install Debian's package (apt-get install nats-server; .ci/run does)", debian)
	return ""
}

// Server is one nats-server process.
type Server struct {
	t    testing.TB
	bin  string
	args []string
	Port int

	mu   sync.Mutex // guards cmd and done
	cmd  *exec.Cmd
	done chan struct{}

	outMu sync.Mutex // guards out, written by the process's output copiers
	out   *bytes.Buffer
}

// Start runs nats-server on a free port of 127.0.0.1 and waits until it
// accepts connections. It is stopped when the test ends.
func Start(t testing.TB) *Server { t.Helper(); return StartWith(t) }

// StartWith is Start with further nats-server arguments (--auth TOKEN,
// --tls --tlscert FILE --tlskey FILE, ...).
func StartWith(t testing.TB, args ...string) *Server {
	t.Helper()
	s := &Server{t: t, bin: Binary(t), args: args, Port: freePort(t)}
	s.start()
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's nats:// URL.
func (s *Server) URL() string { return "nats://127.0.0.1:" + strconv.Itoa(s.Port) }

func (s *Server) start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.t.Fatal("natstest: server already running")
	}
	out := &bytes.Buffer{}
	s.outMu.Lock()
	s.out = out
	s.outMu.Unlock()
	cmd := exec.Command(s.bin, append([]string{"-a", "127.0.0.1", "-p", strconv.Itoa(s.Port)}, s.args...)...)
	cmd.Stdout, cmd.Stderr = &lockedWriter{w: out, mu: &s.outMu}, &lockedWriter{w: out, mu: &s.outMu}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("natstest: start %s: %v", s.bin, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	s.cmd, s.done = cmd, done
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-done:
			s.t.Fatalf("natstest: nats-server exited at start: %s", s.Output())
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("natstest: nats-server not accepting on %s after 10s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop ends the server (SIGKILL: an abrupt outage, as a crash) and waits
// for it. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.t.Errorf("natstest: nats-server pid %d did not exit", cmd.Process.Pid)
	}
}

// Restart starts the server again on the same port.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.start()
}

// Output is what the server printed since it last started.
func (s *Server) Output() string {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	if s.out == nil {
		return ""
	}
	return s.out.String()
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(fmt.Errorf("natstest: free port: %w", err))
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

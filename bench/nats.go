package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// ErrNoNATSServer reports that no nats-server binary was found.
var ErrNoNATSServer = errors.New("nats-server not found in PATH or /usr/sbin (install Debian's nats-server package; .ci/run does)")

// FindNATSServer returns the path of the nats-server binary: the one on
// PATH, else Debian's /usr/sbin/nats-server (not on a normal user's PATH).
func FindNATSServer() (string, error) {
	if p, err := exec.LookPath("nats-server"); err == nil {
		return p, nil
	}
	const debian = "/usr/sbin/nats-server"
	if st, err := os.Stat(debian); err == nil && !st.IsDir() {
		return debian, nil
	}
	return "", ErrNoNATSServer
}

// NATSServer is a real nats-server running as a child process on a
// 127.0.0.1 port, for the cluster tests and the fan-out benchmark. It can be
// stopped and started again on the same port, to simulate an outage.
type NATSServer struct {
	bin  string
	port int
	args []string
	proc *Process
}

// StartNATS starts bin (a nats-server) on 127.0.0.1:port, with any further
// nats-server arguments (--auth TOKEN, --tls ...), and waits until it
// accepts connections.
func StartNATS(ctx context.Context, bin string, port int, args ...string) (*NATSServer, error) {
	s := &NATSServer{bin: bin, port: port, args: args}
	if err := s.Start(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// URL is the server's nats:// URL.
func (s *NATSServer) URL() string { return fmt.Sprintf("nats://127.0.0.1:%d", s.port) }

// Addr is the server's host:port.
func (s *NATSServer) Addr() string { return fmt.Sprintf("127.0.0.1:%d", s.port) }

// Pid is the running server's process id (0 when stopped).
func (s *NATSServer) Pid() int {
	if s.proc == nil || s.proc.Exited() {
		return 0
	}
	return s.proc.Pid()
}

// Start starts the server (again) on its port; it is an error if it is
// already running.
func (s *NATSServer) Start(ctx context.Context) error {
	if s.proc != nil && !s.proc.Exited() {
		return errors.New("bench: nats-server already running")
	}
	argv := append([]string{s.bin, "-a", "127.0.0.1", "-p", strconv.Itoa(s.port)}, s.args...)
	p, err := StartProcess("nats-server", argv, "", nil)
	if err != nil {
		return err
	}
	if err := p.WaitForPort(ctx, s.Addr(), 10*time.Second); err != nil {
		p.Stop()
		return err
	}
	s.proc = p
	return nil
}

// Stop stops the server and waits for it to exit (SIGINT, then SIGKILL
// after 3 s). Stopping a stopped server does nothing.
func (s *NATSServer) Stop() {
	if s.proc != nil {
		s.proc.Stop()
	}
}

// Kill ends the server abruptly (SIGKILL, as a crash) and waits for it.
func (s *NATSServer) Kill() {
	if s.proc != nil {
		s.proc.Kill()
	}
}

// Output is the last 64 KiB the current (or last) server process printed.
func (s *NATSServer) Output() string {
	if s.proc == nil {
		return ""
	}
	return s.proc.Output()
}

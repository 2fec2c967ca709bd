package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a server under test running as a child process, so that it
// never shares a Go runtime (scheduler, heap, GC) with the load client.
type Process struct {
	Name string
	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{}
	err  error // the exit status, valid after done is closed
}

// StartProcess starts argv in dir with env added to this process's
// environment. The child gets SIGKILL if this process dies, so a crashed
// harness never leaves servers behind.
func StartProcess(name string, argv []string, dir string, env []string) (*Process, error) {
	if len(argv) == 0 {
		return nil, errors.New("bench: empty command")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out := &tailBuffer{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start %s: %w", name, err)
	}
	p := &Process{Name: name, cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid is the child's process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Output returns the last 64 KiB the child printed (stdout and stderr).
func (p *Process) Output() string { return p.out.String() }

// Exited reports whether the child has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// WaitForPort waits until addr accepts TCP connections, the child exits, or
// timeout passes.
func (p *Process) WaitForPort(ctx context.Context, addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("bench: %s exited before listening on %s (%v); output:\n%s", p.Name, addr, p.err, p.Output())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: %s did not listen on %s within %s; output:\n%s", p.Name, addr, timeout, p.Output())
		}
	}
}

// RSS returns the child's resident set size in bytes (VmRSS in
// /proc/PID/status).
func (p *Process) RSS() (int64, error) {
	return ReadRSS(p.Pid())
}

// ReadRSS returns the resident set size in bytes of process pid.
func ReadRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("bench: read RSS: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			fields := strings.Fields(rest) // "12345 kB"
			if len(fields) != 2 || fields[1] != "kB" {
				return 0, fmt.Errorf("bench: unexpected VmRSS line %q", line)
			}
			kb, err := strconv.ParseInt(fields[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("bench: VmRSS line %q: %w", line, err)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("bench: read RSS: %w", err)
	}
	return 0, fmt.Errorf("bench: no VmRSS for pid %d", pid)
}

// SettledRSS samples the RSS every 200 ms until the samples of the last
// window all lie within 0.5% of each other (or limit has passed) and returns
// the last sample.
//
// Two samples in a row are not enough: a golua-ws server collects garbage
// and returns it to the OS once it has been idle for half a second
// (--idle-gc), and with 20,000 connections just opened that collection
// takes long enough for a pre-collection plateau to look settled.
func (p *Process) SettledRSS(window, limit time.Duration) (int64, error) {
	const every = 200 * time.Millisecond
	need := int(window / every)
	cur, err := p.RSS()
	if err != nil {
		return 0, err
	}
	lo, hi, stable := cur, cur, 0
	deadline := time.Now().Add(limit)
	for stable < need && time.Now().Before(deadline) {
		time.Sleep(every)
		if cur, err = p.RSS(); err != nil {
			return 0, err
		}
		lo, hi = min(lo, cur), max(hi, cur)
		if (hi-lo)*200 < cur {
			stable++
		} else {
			lo, hi, stable = cur, cur, 0
		}
	}
	return cur, nil
}

// Stop interrupts the child, kills it if it has not ended after 3 s, and
// waits for it.
func (p *Process) Stop() {
	p.stop(syscall.SIGINT)
}

// Kill ends the process at once (SIGKILL) and waits for it.
func (p *Process) Kill() { p.stop(syscall.SIGKILL) }

func (p *Process) stop(sig syscall.Signal) {
	if p.Exited() {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(3 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.Clone(t.buf))
}

// FreeAddr returns a 127.0.0.1 address whose port was free a moment ago.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("bench: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

package worker_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/golua/worker"
	"github.com/golua-ws/golua-ws/runtime"
)

// idServer listens with eco.socket on 127.0.0.1 port 0, prints the port,
// and answers every connection with the worker's id.
const idServer = `
local socket = require 'eco.socket'
local w = require 'golua.worker'
local s = assert(socket.listen_tcp('127.0.0.1', 0))
print(('worker %d/%d port %d'):format(w.id, w.count, s:getsockname().port))
while true do
	local c = s:accept()
	if not c then break end
	c:send(w.id .. '\n')
	c:close()
end
`

func newPool(t *testing.T, n int, mode worker.AcceptMode, out *syncbuf.Buffer, extra ...runtime.Option) *worker.Pool {
	t.Helper()
	p, err := worker.NewPool(worker.Config{
		Workers: n,
		Accept:  mode,
		Options: append([]runtime.Option{runtime.WithStdout(out), runtime.WithStderr(out),
			runtime.WithShutdownTimeout(2 * time.Second)}, extra...),
		Setup: luamod.Register,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = p.Shutdown(ctx, 0)
		if _, err := p.Wait(ctx); err != nil {
			t.Errorf("pool did not end: %v", err)
		}
	})
	return p
}

// waitPorts waits until every worker printed its port and returns them.
func waitPorts(t *testing.T, out *syncbuf.Buffer, n int) []string {
	t.Helper()
	re := regexp.MustCompile(`worker \d+/\d+ port (\d+)`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindAllStringSubmatch(out.String(), -1); len(m) == n {
			ports := make([]string, n)
			for i := range m {
				ports[i] = m[i][1]
			}
			return ports
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("workers did not all listen:\n%s", out)
	return nil
}

// askID connects to port and reads the answering worker's id.
func askID(t *testing.T, port string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the id: %v", err)
	}
	return strings.TrimSpace(line)
}

func TestPoolWorkersShareOnePort(t *testing.T) {
	for _, mode := range []worker.AcceptMode{worker.AcceptShared, worker.AcceptReusePort} {
		t.Run(mode.String(), func(t *testing.T) {
			var out syncbuf.Buffer
			p := newPool(t, 2, mode, &out)
			if err := p.Start(func(rt *runtime.Runtime) { rt.RunString(idServer, "=server") }); err != nil {
				t.Fatal(err)
			}
			ports := waitPorts(t, &out, 2)
			if ports[0] != ports[1] {
				t.Fatalf("port 0 gave the workers different ports %v", ports)
			}
			seen := map[string]int{}
			// The kernel hashes connections to SO_REUSEPORT sockets: 40
			// connections all landing on one of two is a 2^-39 chance.
			for i := 0; i < 40; i++ {
				seen[askID(t, ports[0])]++
			}
			if len(seen) != 2 || seen["1"] == 0 || seen["2"] == 0 {
				t.Fatalf("connections per worker: %v", seen)
			}
			if mode == worker.AcceptShared && (seen["1"] < 10 || seen["2"] < 10) {
				// Both workers wait in accept; the hand-off takes turns.
				t.Errorf("shared accept is unbalanced: %v", seen)
			}
		})
	}
}

func TestPoolExitInOneWorkerEndsThePool(t *testing.T) {
	var out syncbuf.Buffer
	p := newPool(t, 2, worker.AcceptShared, &out)
	script := `
		local w = require 'golua.worker'
		if w.id == 2 then
			require('eco.time').sleep(0.2)
			os.exit(7)
		end
	` + idServer
	if err := p.Start(func(rt *runtime.Runtime) { rt.RunString(script, "=server") }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	code, err := p.Wait(ctx)
	if err != nil || code != 7 {
		t.Fatalf("pool code %d, %v; output:\n%s", code, err, &out)
	}
	for i, rt := range p.Runtimes() {
		if rt.ExitCode() != 7 {
			t.Errorf("worker %d exit code %d, want 7 (the pool's shutdown carries it)", i+1, rt.ExitCode())
		}
	}
}

func TestPoolIdleWorkerLeavesTheOthersServing(t *testing.T) {
	var out syncbuf.Buffer
	p := newPool(t, 2, worker.AcceptShared, &out)
	script := `
		if require('golua.worker').id == 1 then return end
	` + idServer
	if err := p.Start(func(rt *runtime.Runtime) { rt.RunString(script, "=server") }); err != nil {
		t.Fatal(err)
	}
	port := waitPorts(t, &out, 1)[0]
	select {
	case <-p.Runtimes()[0].Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the idle worker did not end")
	}
	for i := 0; i < 3; i++ {
		if id := askID(t, port); id != "2" {
			t.Fatalf("answered by %q", id)
		}
	}
	select {
	case <-p.Done():
		t.Fatal("the pool ended with a worker still serving")
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Shutdown(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if code, err := p.Wait(ctx); err != nil || code != 5 {
		t.Fatalf("pool code %d, %v", code, err)
	}
}

func TestPoolSignalShutsEveryWorkerDown(t *testing.T) {
	var out syncbuf.Buffer
	p := newPool(t, 3, worker.AcceptReusePort, &out)
	if err := p.Start(func(rt *runtime.Runtime) { rt.RunString(idServer, "=server") }); err != nil {
		t.Fatal(err)
	}
	waitPorts(t, &out, 3)
	p.Signal(syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code, err := p.Wait(ctx); err != nil || code != 143 {
		t.Fatalf("pool code %d, %v", code, err)
	}
}

func TestPoolRunEndsWithItsContext(t *testing.T) {
	var out syncbuf.Buffer
	p := newPool(t, 2, worker.AcceptShared, &out)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Cancel once both workers listen (or after 10 s; the checks
		// below then fail on the output).
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if strings.Count(out.String(), " port ") == 2 {
				break
			}
		}
		cancel()
	}()
	code, err := p.Run(ctx, func(rt *runtime.Runtime) { rt.RunString(idServer, "=server") })
	if err != context.Canceled || code != 0 || strings.Count(out.String(), " port ") != 2 {
		t.Fatalf("Run: code %d, %v; output:\n%s", code, err, &out)
	}
	if err := p.Start(func(*runtime.Runtime) {}); err != worker.ErrStarted {
		t.Fatalf("second start: %v", err)
	}
}

type sharedKey struct{}
type ownKey struct{}

func TestPoolOptionsAndIdentity(t *testing.T) {
	var out syncbuf.Buffer
	shared := &struct{ name string }{"bus"}
	p, err := worker.NewPool(worker.Config{
		Workers: 3,
		Options: []runtime.Option{runtime.WithStdout(&out), runtime.WithService(sharedKey{}, shared)},
		WorkerOptions: func(id int) []runtime.Option {
			return []runtime.Option{runtime.WithService(ownKey{}, fmt.Sprint("own ", id))}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i, rt := range p.Runtimes() {
		if got := rt.Service(sharedKey{}, func() any { return nil }); got != shared {
			t.Errorf("worker %d: shared service %v", i+1, got)
		}
		if got := rt.Service(ownKey{}, func() any { return nil }); got != fmt.Sprint("own ", i+1) {
			t.Errorf("worker %d: own service %v", i+1, got)
		}
		if id := worker.IdentityOf(rt); id != (worker.Identity{ID: i + 1, Count: 3}) {
			t.Errorf("worker %d: identity %+v", i+1, id)
		}
		// No Setup: golua.worker is there all the same.
		res, err := rt.DoString(ctx, "local w = require 'golua.worker' return w.id, w.count", "=id")
		if err != nil || len(res) != 2 || res[0] != float64(i+1) || res[1] != float64(3) {
			t.Errorf("worker %d: golua.worker %v, %v", i+1, res, err)
		}
	}
	code, err := p.Run(ctx, func(rt *runtime.Runtime) { rt.RunString("print('hi')", "=hi") })
	if err != nil || code != 0 {
		t.Fatalf("Run: %d, %v", code, err)
	}
	if n := strings.Count(out.String(), "hi\n"); n != 3 {
		t.Fatalf("%d workers printed, want 3:\n%s", n, &out)
	}
}

func TestNewPoolRefusesBadConfig(t *testing.T) {
	if _, err := worker.NewPool(worker.Config{Workers: -1}); err == nil {
		t.Error("-1 workers accepted")
	}
	if _, err := worker.NewPool(worker.Config{Workers: 2, Accept: worker.AcceptMode(9)}); err == nil {
		t.Error("accept mode 9 accepted")
	}
	if _, err := worker.ParseAcceptMode("fastest"); err == nil {
		t.Error("accept mode 'fastest' parsed")
	}
	for _, m := range []worker.AcceptMode{worker.AcceptShared, worker.AcceptReusePort} {
		if got, err := worker.ParseAcceptMode(m.String()); err != nil || got != m {
			t.Errorf("%v round trip: %v, %v", m, got, err)
		}
	}
}

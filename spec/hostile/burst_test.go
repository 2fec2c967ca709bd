package hostile

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/gorilla/websocket"
)

// burstConns is the size of the burst; burstBatch how many dial at once.
const (
	burstConns = 1000
	burstBatch = 100
)

// burstFallWithin bounds how long the server's RSS may take to fall back
// after the burst (the command's idle GC runs after 500 ms without a task).
const burstFallWithin = 10 * time.Second

func TestBurstMemoryReturnsEco(t *testing.T)   { burstRun(t, sigtermEcoScript) }
func TestBurstMemoryReturnsSilly(t *testing.T) { burstRun(t, sigtermSillyScript) }

// burstRSS reads the resident set size of process pid in bytes.
func burstRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc status for the server: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmRSS line %q: %v", line, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}

// burstRaiseFDLimit makes room for the burst's connections in this
// process (the server inherits the limit).
func burstRaiseFDLimit(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	const need = 2*burstConns + 256
	if lim.Cur >= need {
		return
	}
	if lim.Max < need {
		t.Skipf("open-file limit %d (hard %d) is below the %d the burst needs", lim.Cur, lim.Max, need)
	}
	lim.Cur = need
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
}

// burstOpen dials n WebSocket connections, burstBatch at a time, each
// echoing one message.
func burstOpen(t *testing.T, addr string, n int) []*websocket.Conn {
	t.Helper()
	conns := make([]*websocket.Conn, n)
	errs := make(chan error, n)
	for start := 0; start < n; start += burstBatch {
		var wg sync.WaitGroup
		for i := start; i < min(start+burstBatch, n); i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
				c, _, err := d.Dial("ws://"+addr+"/", nil)
				if err != nil {
					errs <- err
					return
				}
				conns[i] = c
				_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
				msg := fmt.Sprintf("burst message %d", i)
				if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
					errs <- err
					return
				}
				if _, b, err := c.ReadMessage(); err != nil || string(b) != msg {
					errs <- fmt.Errorf("echo %q: %q %v", msg, b, err)
				}
			}()
		}
		wg.Wait()
		select {
		case err := <-errs:
			t.Fatalf("burst connection: %v", err)
		default:
		}
	}
	return conns
}

// burstClose closes every connection with a close frame.
func burstClose(conns []*websocket.Conn) {
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	for _, c := range conns {
		_ = c.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		_ = c.Close()
	}
}

// burstRun checks that after a burst of burstConns WebSocket connections
// ends, the server's RSS falls back near its size before the burst within
// burstFallWithin, and that a second burst reuses what the first left
// rather than adding to it.
//
// What stays after the first burst (about 4.5 to 5 MiB measured, against
// a growth of 21 to 27 MiB, since the scheduler's ready queue stopped
// keeping finished tasks alive; 10 to 13 MiB before) is the Go runtime's
// own: the descriptors of the goroutines that ran (Go never frees them),
// GC metadata sized for the peak heap, stack and heap spans that live
// objects keep partly used, and the pool of Lua threads for handler
// tasks; hence the 12 MiB floor.
func burstRun(t *testing.T, script string) {
	burstRaiseFDLimit(t)
	// Built without the race detector even under -race: its shadow memory
	// is never returned to the OS, so RSS would not be measurable.
	s := sigtermStartWith(t, specrun.PlainBinary(t), script)
	pid := s.cmd.Process.Pid
	// Warm up (code paths, pools, the first collections), then let the
	// idle GC run.
	burstClose(burstOpen(t, s.addr, 20))
	time.Sleep(1500 * time.Millisecond)
	before := burstRSS(t, pid)

	const mib = 1 << 20
	var afterFirst int64
	for round := 1; round <= 2; round++ {
		conns := burstOpen(t, s.addr, burstConns)
		peak := burstRSS(t, pid)
		burstClose(conns)
		closed := time.Now()
		growth := peak - before
		ref, what := before, "before the burst"
		bound := before + max(12*mib, growth*2/5)
		if round == 2 {
			// The second burst reuses the first one's leftovers.
			ref, what = afterFirst, "after the first burst"
			bound = afterFirst + 4*mib
		}
		after := burstRSS(t, pid)
		for after > bound && time.Since(closed) < burstFallWithin {
			time.Sleep(250 * time.Millisecond)
			after = burstRSS(t, pid)
		}
		t.Logf("burst %d: RSS before %.1f MiB, with %d connections %.1f MiB, %.1f s after they closed %.1f MiB (bound %.1f MiB)",
			round, float64(before)/mib, burstConns, float64(peak)/mib, time.Since(closed).Seconds(), float64(after)/mib, float64(bound)/mib)
		if after > bound {
			t.Fatalf("burst %d: RSS %.1f MiB %v after the burst ended, want at most %.1f MiB (%s: %.1f MiB; growth %.1f MiB)",
				round, float64(after)/mib, burstFallWithin, float64(bound)/mib, what, float64(ref)/mib, float64(growth)/mib)
		}
		if round == 1 {
			// Where it settles, for the second round's bound.
			time.Sleep(time.Second)
			afterFirst = burstRSS(t, pid)
		}
	}
}

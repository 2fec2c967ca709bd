package workers

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// holdServer answers each connection with the worker's id and holds it open
// until the peer closes, as a WebSocket server holds its connections.
const holdServer = `
local tcp = require 'silly.net.tcp'
local w = require 'golua.worker'
local l = assert(tcp.listen { addr = '127.0.0.1:' .. arg[1], accept = function(conn)
	conn:write(w.id .. '\n')
	conn:read(1)
	conn:close()
end })
print('worker ' .. w.id .. ' listening on port ' .. l:addr():match(':(%d+)$'))
`

// openHeld opens n connections at once (at most 64 dialling at a time),
// reads which worker took each, and returns the count per worker id.
func openHeld(t *testing.T, addr string, n int) map[string]int {
	t.Helper()
	conns := make([]net.Conn, n)
	ids := make([]string, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				errs[i] = err
				return
			}
			conns[i] = c
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			line, err := bufio.NewReader(c).ReadString('\n')
			ids[i], errs[i] = strings.TrimSpace(line), err
		}()
	}
	wg.Wait()
	count := map[string]int{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("connection %d: %v", i, errs[i])
		}
		count[ids[i]]++
	}
	for _, c := range conns {
		c.Close()
	}
	return count
}

// TestAcceptBalance measures how evenly --workers 2 spreads held-open
// connections in each accept mode (the README's table comes from its log:
// go test -run TestAcceptBalance -v ./spec/workers). It fails only when the
// shared hand-off, which takes turns between waiting workers, is lopsided.
func TestAcceptBalance(t *testing.T) {
	if testing.Short() {
		t.Skip("opens thousands of connections; skipped with -short")
	}
	const rounds = 5
	var report strings.Builder
	fmt.Fprintf(&report, "\n| accept | conns | busier worker's share, mean of %d | worst | rounds with an idle worker |\n|---|---|---|---|---|\n", rounds)
	for _, mode := range []string{"shared", "reuseport"} {
		s := start(t, holdServer, "0", "--workers", "2", "--accept", mode)
		addr := "127.0.0.1:" + s.ports(t, 2)[0]
		for _, n := range []int{2, 10, 100, 1000} {
			var sum, worst float64
			idle := 0
			for range rounds {
				count := openHeld(t, addr, n)
				share := float64(max(count["1"], count["2"])) / float64(n)
				sum += share
				worst = max(worst, share)
				if count["1"] == 0 || count["2"] == 0 {
					idle++
				}
				if mode == "shared" && n >= 10 && share > 0.7 {
					t.Errorf("shared accept, %d connections: %v", n, count)
				}
				// Let the server see the closes before the next round.
				time.Sleep(100 * time.Millisecond)
			}
			fmt.Fprintf(&report, "| %s | %d | %.1f%% | %.1f%% | %d of %d |\n", mode, n, 100*sum/rounds, 100*worst, idle, rounds)
		}
	}
	t.Log(report.String())
}

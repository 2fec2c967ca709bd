package cluster

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/golua-ws/golua-ws/bench"
	"github.com/golua-ws/golua-ws/spec/specrun"
)

// workersPerProcess is the --workers of both golua-ws processes.
const workersPerProcess = 2

// maxDialsPerProcess bounds the connections opened to one process while
// looking for a client on each of its workers. Whatever spreads the
// connections (SO_REUSEPORT's hash or a shared accept loop), missing one
// of two workers 24 times in a row is a bug, not bad luck (2^-23 with a
// fair coin).
const maxDialsPerProcess = 24

// deliveryTimeout bounds the wait for one chat message at one client.
const deliveryTimeout = 10 * time.Second

// reconnectTimeout bounds the wait for the processes to find the restarted
// nats-server again (nats.go retries every few seconds, with jitter).
const reconnectTimeout = 30 * time.Second

// welcomeRE is the chat scripts' first line to a joining client.
var welcomeRE = regexp.MustCompile(`^\* you are (\S+) on worker (\d+)$`)

type dialect struct {
	name   string
	script string
	// listenArg is the script's argument for a listening port.
	listenArg func(port int) string
}

var (
	eco   = dialect{"eco", "scripts/eco/chat.lua", strconv.Itoa}
	silly = dialect{"silly", "scripts/silly/chat.lua", func(p int) string { return fmt.Sprintf("127.0.0.1:%d", p) }}
)

func TestChatAcrossProcessesEco(t *testing.T)   { runCluster(t, eco) }
func TestChatAcrossProcessesSilly(t *testing.T) { runCluster(t, silly) }

// node is one golua-ws process of the cluster.
type node struct {
	label string // "A" or "B"
	addr  string
	proc  *specrun.Process
}

// chatClient is one WebSocket client of the chat, with a goroutine reading
// its text messages into msgs (closed when the connection ends).
type chatClient struct {
	node   string
	name   string
	worker int
	conn   *websocket.Conn
	msgs   chan string
}

func (c *chatClient) String() string {
	return fmt.Sprintf("%s (process %s, worker %d)", c.name, c.node, c.worker)
}

func runCluster(t *testing.T, d dialect) {
	natsBin, err := bench.FindNATSServer()
	if err != nil {
		t.Fatalf("this test needs a real NATS server: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	nats, err := bench.StartNATS(ctx, natsBin, specrun.FreePort(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nats.Stop)

	root := specrun.Root(t)
	nodes := []*node{startNode(t, root, d, "A", nats.URL()), startNode(t, root, d, "B", nats.URL())}
	var clients []*chatClient
	perNode := map[string][]*chatClient{}
	for _, n := range nodes {
		cs := clientsOnEveryWorker(t, n)
		perNode[n.label] = cs
		clients = append(clients, cs...)
	}
	a, b := perNode["A"][0], perNode["B"][0]

	// Subscriptions travel to nats-server asynchronously: until a first
	// message from A has reached every client, a missing delivery says
	// nothing. After that, delivery is checked message by message.
	settle(t, a, clients)
	broadcastReachesAll(t, a, clients, "hello from A")
	broadcastReachesAll(t, b, clients, "hello from B")

	// The outage. Both processes notice it within milliseconds (the
	// server closes their connections); the pause makes the publish below
	// meet a connection that knows it is down.
	nats.Stop()
	time.Sleep(300 * time.Millisecond)
	outage := "sent during the outage"
	send(t, a, outage)
	// bus.publish buffers it (README, golua.bus outages): it returns true,
	// so the chat does not fall back to a local broadcast, and nobody gets
	// the message while there is no server.
	for _, c := range clients {
		if got, ok := await(c, func(s string) bool { return strings.HasSuffix(s, ": "+outage) }, 100*time.Millisecond); ok {
			t.Fatalf("%s received %q while nats-server was down", c, got)
		}
	}
	// No task hangs: both processes still accept, upgrade and greet new
	// clients, serve the page, and the sender's own task still reads.
	for _, n := range nodes {
		c := dialChat(t, n)
		c.conn.Close()
		getPage(t, n)
	}
	send(t, a, outage+" (2)")

	if err := nats.Start(ctx); err != nil {
		t.Fatalf("restarting nats-server on the same port: %v", err)
	}
	// Publishes during an outage are buffered by the publishing process's
	// NATS connection and sent once it has reconnected, after its own
	// subscriptions were renewed: so the clients of A (both workers) get
	// them. B's clients get them only if B had resubscribed by then, which
	// NATS (at most once) does not promise; see README "golua.bus".
	for _, c := range perNode["A"] {
		expect(t, c, a.name+": "+outage, reconnectTimeout)
		expect(t, c, a.name+": "+outage+" (2)", deliveryTimeout)
	}
	// Subscriptions resume: a message sent to B after the restart is
	// buffered until B has reconnected and renewed its own subscription,
	// and A is back already, so every client gets it.
	broadcastReachesAllWithin(t, b, clients, "after the restart from B", reconnectTimeout)
	broadcastReachesAll(t, a, clients, "after the restart from A")

	// Clean shutdown on SIGTERM.
	for _, n := range nodes {
		stopNode(t, n)
	}
	for _, c := range clients {
		c.conn.Close()
	}
}

// startNode runs the chat script in its own golua-ws process with two
// workers on the NATS bus, on a free port.
func startNode(t *testing.T, root string, d dialect, label, natsURL string) *node {
	t.Helper()
	port := specrun.FreePort(t)
	n := &node{label: label, addr: fmt.Sprintf("127.0.0.1:%d", port)}
	n.proc = specrun.Start(t, filepath.Join(root, d.script), specrun.Options{
		Flags:   []string{"--workers", strconv.Itoa(workersPerProcess), "--bus", natsURL},
		Args:    []string{d.listenArg(port)},
		Dir:     root,
		Timeout: 4 * time.Minute,
	})
	n.proc.WaitForPort(n.addr, 30*time.Second)
	return n
}

// clientsOnEveryWorker connects clients to n until every worker has one
// (at most maxDialsPerProcess dials) and returns them all.
func clientsOnEveryWorker(t *testing.T, n *node) []*chatClient {
	t.Helper()
	var clients []*chatClient
	seen := map[int]int{}
	for len(seen) < workersPerProcess {
		if len(clients) == maxDialsPerProcess {
			t.Fatalf("process %s: %d connections reached only workers %v of 1..%d", n.label, len(clients), seen, workersPerProcess)
		}
		c := dialChat(t, n)
		if c.worker < 1 || c.worker > workersPerProcess {
			t.Fatalf("process %s: client %s says worker %d, want 1..%d", n.label, c.name, c.worker, workersPerProcess)
		}
		seen[c.worker]++
		clients = append(clients, c)
	}
	t.Logf("process %s: %d clients, per worker %v", n.label, len(clients), seen)
	return clients
}

// dialChat opens a WebSocket to the chat and reads its welcome line.
func dialChat(t *testing.T, n *node) *chatClient {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, resp, err := d.Dial("ws://"+n.addr+"/ws", nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		t.Fatalf("process %s: dial: %v\n%s", n.label, err, output(n))
	}
	_ = conn.SetReadDeadline(time.Now().Add(deliveryTimeout))
	typ, first, err := conn.ReadMessage()
	if err != nil {
		conn.Close()
		t.Fatalf("process %s: no welcome line: %v\n%s", n.label, err, output(n))
	}
	_ = conn.SetReadDeadline(time.Time{})
	m := welcomeRE.FindStringSubmatch(string(first))
	if typ != websocket.TextMessage || m == nil {
		conn.Close()
		t.Fatalf("process %s: first message %q is not `* you are NAME on worker ID`", n.label, first)
	}
	worker, _ := strconv.Atoi(m[2])
	c := &chatClient{node: n.label, name: m[1], worker: worker, conn: conn, msgs: make(chan string, 1024)}
	go func() {
		defer close(c.msgs)
		for {
			typ, p, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if typ == websocket.TextMessage {
				c.msgs <- string(p)
			}
		}
	}()
	t.Cleanup(func() { conn.Close() })
	return c
}

func send(t *testing.T, from *chatClient, text string) {
	t.Helper()
	if err := from.conn.WriteMessage(websocket.TextMessage, []byte(text)); err != nil {
		t.Fatalf("%s: send %q: %v", from, text, err)
	}
}

// expect reads c's messages until one equals want, skipping others
// (presence notices, earlier messages), for at most timeout.
func expect(t *testing.T, c *chatClient, want string, timeout time.Duration) {
	t.Helper()
	if got, ok := await(c, func(s string) bool { return s == want }, timeout); !ok {
		t.Fatalf("%s did not receive %q within %v; last message: %q", c, want, timeout, got)
	}
}

// await reads c's messages until match accepts one or timeout passes; it
// returns the last message read.
func await(c *chatClient, match func(string) bool, timeout time.Duration) (string, bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	last := ""
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				return last + " (connection closed)", false
			}
			last = m
			if match(m) {
				return m, true
			}
		case <-timer.C:
			return last, false
		}
	}
}

func broadcastReachesAll(t *testing.T, from *chatClient, all []*chatClient, text string) {
	t.Helper()
	broadcastReachesAllWithin(t, from, all, text, deliveryTimeout)
}

// broadcastReachesAllWithin sends text from one client and checks that
// every client, the sender included, receives `NAME: text`.
func broadcastReachesAllWithin(t *testing.T, from *chatClient, all []*chatClient, text string, timeout time.Duration) {
	t.Helper()
	send(t, from, text)
	for _, c := range all {
		expect(t, c, from.name+": "+text, timeout)
	}
}

// settle sends numbered pings from one client every 250 ms until every
// client has received one of them (at most 15 s).
func settle(t *testing.T, from *chatClient, all []*chatClient) {
	t.Helper()
	prefix := from.name + ": settle "
	got := make([]bool, len(all))
	deadline := time.Now().Add(15 * time.Second)
	for i := 0; ; i++ {
		send(t, from, "settle "+strconv.Itoa(i))
		pending := 0
		for j, c := range all {
			if !got[j] {
				_, got[j] = await(c, func(s string) bool { return strings.HasPrefix(s, prefix) }, 250*time.Millisecond/time.Duration(len(all)))
			}
			if !got[j] {
				pending++
			}
		}
		if pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			var missing []string
			for j, c := range all {
				if !got[j] {
					missing = append(missing, c.String())
				}
			}
			t.Fatalf("after 15 s of messages from %s, these clients got none: %s", from, strings.Join(missing, ", "))
		}
	}
}

// getPage checks that n still serves the chat page over plain HTTP.
func getPage(t *testing.T, n *node) {
	t.Helper()
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + n.addr + "/")
	if err != nil {
		t.Fatalf("process %s: GET /: %v", n.label, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<html") {
		t.Fatalf("process %s: GET /: %d %v (%d bytes)", n.label, resp.StatusCode, err, len(body))
	}
}

// stopNode sends SIGTERM and checks that the process exits within 20 s with
// the status the README gives for SIGTERM (143 after a graceful shutdown;
// 0 is accepted for a script that ends by itself).
func stopNode(t *testing.T, n *node) {
	t.Helper()
	if err := syscall.Kill(n.proc.Pid(), syscall.SIGTERM); err != nil {
		t.Fatalf("process %s: SIGTERM: %v", n.label, err)
	}
	res, err := n.proc.Wait(20 * time.Second)
	if err != nil {
		t.Fatalf("process %s did not exit after SIGTERM: %v\n%s", n.label, err, output(n))
	}
	if res.ExitCode != 143 && res.ExitCode != 0 {
		t.Fatalf("process %s: exit status %d after SIGTERM, want 143 (or 0)\nstdout:\n%s\nstderr:\n%s", n.label, res.ExitCode, res.Stdout, res.Stderr)
	}
	if strings.Contains(res.Stderr, "stack traceback") || strings.Contains(res.Stderr, "panic:") {
		t.Fatalf("process %s: error output during the test:\n%s", n.label, res.Stderr)
	}
}

func output(n *node) string {
	stdout, stderr := n.proc.Output()
	return "stdout:\n" + stdout + "\nstderr:\n" + stderr
}

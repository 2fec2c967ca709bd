package chat

import (
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/natstest"
	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/gorilla/websocket"
)

// TestChatPresenceAcrossProcesses runs two processes of each chat script
// on one nats-server. A announces every 60 s, B every second. A client of
// B sees A's client at once: B asks on start (who) and A answers with its
// roster. When B is killed without a word, A's client sees B's drop out
// after the TTL B gave (3 s), although A itself announces only every 60 s.
func TestChatPresenceAcrossProcesses(t *testing.T) {
	srv := natstest.Start(t)
	for _, dialect := range []string{"eco", "silly"} {
		t.Run(dialect, func(t *testing.T) {
			slow := chatCase{dialect: dialect, mode: "nats", presence: true, env: []string{"CHAT_PRESENCE_INTERVAL=60"}}
			fast := chatCase{dialect: dialect, mode: "nats", presence: true, env: []string{"CHAT_PRESENCE_INTERVAL=1"}}
			portA, portB := specrun.FreePort(t), specrun.FreePort(t)
			startOn(t, slow, srv.URL(), portA)
			alice := dial(t, "ws://127.0.0.1:"+strconv.Itoa(portA)+"/ws?name=alice")
			awaitFrame(t, alice, "alice", "* peers: alice", 10*time.Second)

			b := startOn(t, fast, srv.URL(), portB)
			bob := dial(t, "ws://127.0.0.1:"+strconv.Itoa(portB)+"/ws?name=bob")
			awaitFrame(t, bob, "bob", "* peers: alice, bob", 5*time.Second)
			awaitFrame(t, alice, "alice", "* peers: alice, bob", 5*time.Second)
			// Messages cross too.
			send(t, bob, "hi from B")
			awaitFrame(t, alice, "alice", "bob: hi from B", 5*time.Second)

			if err := b.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			awaitFrame(t, alice, "alice", "* peers: alice", 10*time.Second)
			if d := time.Since(start); d < 1500*time.Millisecond {
				t.Fatalf("bob dropped out after %v, before B's TTL could pass", d)
			}
		})
	}
}

// awaitFrame reads c's text frames until one is want; it fails the test
// with the frames it read when timeout passes first.
func awaitFrame(t *testing.T, c *websocket.Conn, who, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var seen []string
	for {
		_ = c.SetReadDeadline(deadline)
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("%s: no %q within %v (read %q): %v", who, want, timeout, strings.Join(seen, " | "), err)
		}
		if string(data) == want {
			return
		}
		seen = append(seen, string(data))
	}
}

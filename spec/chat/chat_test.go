// Package chat tests the chat scripts (scripts/eco/chat.lua,
// scripts/silly/chat.lua) as their users run them: the golua-ws binary,
// real WebSocket clients, and for --bus a real nats-server.
package chat

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/bus/natsbus"
	"github.com/golua-ws/golua-ws/internal/natstest"
	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/gorilla/websocket"
)

type chatCase struct {
	dialect  string // "eco" or "silly"
	mode     string // "embedded", "nats" (--bus) or "no-bus" (golua.bus absent)
	presence bool
	env      []string // more environment for the script
}

// start runs the chat script and returns its WebSocket URL.
func start(t *testing.T, c chatCase, natsURL string) string {
	t.Helper()
	port := specrun.FreePort(t)
	startOn(t, c, natsURL, port)
	return "ws://127.0.0.1:" + strconv.Itoa(port) + "/ws"
}

// startOn runs the chat script listening on port until the test ends (or
// Stop).
func startOn(t *testing.T, c chatCase, natsURL string, port int) *specrun.Process {
	t.Helper()
	root := specrun.Root(t)
	script := filepath.Join(root, "scripts", c.dialect, "chat.lua")
	arg := strconv.Itoa(port)
	if c.dialect == "silly" {
		arg = "127.0.0.1:" + arg
	}
	opts := specrun.Options{Args: []string{arg}, Timeout: 2 * time.Minute}
	opts.Env = append(opts.Env, c.env...)
	if !c.presence {
		opts.Env = append(opts.Env, "CHAT_PRESENCE=off")
	}
	switch c.mode {
	case "nats":
		opts.Flags = []string{"--bus", natsURL}
	case "no-bus":
		// As on real lua-eco or silly: require 'golua.bus' fails.
		wrapper := filepath.Join(t.TempDir(), "no-bus.lua")
		src := fmt.Sprintf("package.preload['golua.bus'] = nil\narg = { [0] = %q, %q }\ndofile(%q)\n", script, arg, script)
		if err := os.WriteFile(wrapper, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		script = wrapper
		opts.Args = nil
	}
	opts.Env = append(opts.Env, "GOLUA_BUS=") // the embedded bus unless --bus
	p := specrun.Start(t, script, opts)
	t.Cleanup(p.Stop)
	p.WaitForPort("127.0.0.1:"+strconv.Itoa(port), 15*time.Second)
	return p
}

func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func expect(t *testing.T, c *websocket.Conn, who, want string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	typ, data, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("%s: waiting for %q: %v", who, want, err)
	}
	if typ != websocket.TextMessage || string(data) != want {
		t.Fatalf("%s: got %q (type %d), want %q", who, data, typ, want)
	}
}

func send(t *testing.T, c *websocket.Conn, text string) {
	t.Helper()
	if err := c.WriteMessage(websocket.TextMessage, []byte(text)); err != nil {
		t.Fatal(err)
	}
}

// TestChatScripts runs both chat scripts with the embedded bus, on NATS,
// and without golua.bus (the local broadcast real lua-eco and silly get),
// with and without presence notices.
func TestChatScripts(t *testing.T) {
	srv := natstest.Start(t)
	for _, dialect := range []string{"eco", "silly"} {
		for _, mode := range []string{"embedded", "nats", "no-bus"} {
			for _, presence := range []bool{true, false} {
				c := chatCase{dialect: dialect, mode: mode, presence: presence}
				name := fmt.Sprintf("%s/%s/presence=%v", dialect, mode, presence)
				t.Run(name, func(t *testing.T) {
					runChat(t, c, srv.URL())
				})
			}
		}
	}
}

func runChat(t *testing.T, c chatCase, natsURL string) {
	url := start(t, c, natsURL)
	// On NATS, a Go client stands for another node in the room.
	var node bus.Bus
	var room bus.Subscription
	if c.mode == "nats" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var err error
		if node, err = natsbus.Connect(ctx, natsURL); err != nil {
			t.Fatal(err)
		}
		defer node.Close()
		if room, err = node.Subscribe("chat.room"); err != nil {
			t.Fatal(err)
		}
		if err := node.(*natsbus.Bus).Conn().Flush(); err != nil {
			t.Fatal(err)
		}
	}
	a := dial(t, url)
	expect(t, a, "a", "* you are user1 on worker 1")
	if c.presence {
		expect(t, a, "a", "* peers: user1")
		expect(t, a, "a", "* user1 joined")
	}
	// A name asked for in the query is kept, cut to the allowed bytes.
	b := dial(t, url+"?name=bob%20<b>")
	expect(t, b, "b", "* you are bobb on worker 1")
	if c.presence {
		expect(t, b, "b", "* peers: bobb, user1")
		expect(t, b, "b", "* bobb joined")
		expect(t, a, "a", "* peers: bobb, user1")
		expect(t, a, "a", "* bobb joined")
	}
	send(t, a, "hello")
	expect(t, a, "a", "user1: hello")
	expect(t, b, "b", "user1: hello")
	send(t, b, "hi, all")
	expect(t, a, "a", "bobb: hi, all")
	expect(t, b, "b", "bobb: hi, all")
	if node != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for {
			m, err := room.Recv(ctx)
			if err != nil {
				t.Fatalf("the other node did not see the message: %v", err)
			}
			if string(m.Data) == "user1: hello" {
				break
			}
		}
		if err := node.Publish("chat.room", []byte("user9@elsewhere: hi from another node")); err != nil {
			t.Fatal(err)
		}
		expect(t, a, "a", "user9@elsewhere: hi from another node")
		expect(t, b, "b", "user9@elsewhere: hi from another node")
	}
	if c.presence {
		b.Close()
		// The notice goes round the bus, the list is local: either first.
		expectAll(t, a, "a", "* bobb left", "* peers: user1")
	}
}

// expectAll reads len(want) messages from c, which must be want in any
// order.
func expectAll(t *testing.T, c *websocket.Conn, who string, want ...string) {
	t.Helper()
	missing := map[string]bool{}
	for _, w := range want {
		missing[w] = true
	}
	for range want {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("%s: waiting for %q: %v", who, want, err)
		}
		if !missing[string(data)] {
			t.Fatalf("%s: got %q, want one of %q", who, data, want)
		}
		delete(missing, string(data))
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestJSONAndLuaChatOnOneMux talks to both halves of the example with
// independent clients: net/http for the Go JSON API and gorilla/websocket
// for the Lua chat.
func TestJSONAndLuaChatOnOneMux(t *testing.T) {
	before := goruntime.NumGoroutine()
	ctx := context.Background()
	var logs bytes.Buffer
	app, err := NewApp(ctx, ".", slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler)
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/chat?name="

	alice := dial(t, wsURL+"alice")
	expect(t, alice, "* alice joined")
	bob := dial(t, wsURL+"bob")
	expect(t, bob, "* bob joined")
	expect(t, alice, "* bob joined")

	send(t, alice, "  hello bob  ")
	expect(t, alice, "alice: hello bob")
	expect(t, bob, "alice: hello bob")
	// The Go service refuses a message; only the sender hears about it.
	send(t, bob, strings.Repeat("x", maxMessage+1))
	expect(t, bob, "! message longer than 500 characters")
	send(t, bob, "hi")
	expect(t, alice, "bob: hi")
	expect(t, bob, "bob: hi")

	var snap Snapshot
	getJSON(t, srv.URL+"/api/stats", http.StatusOK, &snap)
	if strings.Join(snap.Online, ",") != "alice,bob" || snap.Messages != 2 {
		t.Fatalf("stats %+v", snap)
	}

	// Go calls Lua: the announcement reaches every chat connection.
	var out map[string]any
	postJSON(t, srv.URL+"/api/announce", `{"text":"maintenance at noon"}`, http.StatusOK, &out)
	if out["delivered_to"] != float64(2) {
		t.Fatalf("announce: %v", out)
	}
	expect(t, alice, "[announcement] maintenance at noon")
	expect(t, bob, "[announcement] maintenance at noon")
	postJSON(t, srv.URL+"/api/announce", `{}`, http.StatusBadRequest, &out)

	// A chat request without a name is answered by the Lua handler.
	resp, err := http.Get(srv.URL + "/chat")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "name= is required") {
		t.Fatalf("/chat without a name: %d %q", resp.StatusCode, body)
	}

	// bob leaves: alice hears it and the Go side knows.
	_ = bob.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	expect(t, alice, "* bob left")
	getJSON(t, srv.URL+"/api/stats", http.StatusOK, &snap)
	if strings.Join(snap.Online, ",") != "alice" {
		t.Fatalf("stats after bob left: %+v", snap)
	}

	// Shut down with alice still connected: closing the runtime closes her
	// connection and leaves no goroutine behind.
	srv.Close()
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := app.Close(cctx); err != nil {
		t.Fatal(err)
	}
	// alice's client side is still open: only Close can have ended the
	// task serving her.
	waitGoroutines(t, before)
	_ = alice.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := alice.ReadMessage(); err != nil {
			break // closed by the server
		}
	}
	alice.Close()
	bob.Close()
	if logs.Len() != 0 {
		t.Fatalf("unexpected log output: %s", logs.String())
	}
}

// waitGoroutines waits until no more goroutines run than before the test
// (the runtime's, the server's and the clients' have all ended).
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for goruntime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := goruntime.Stack(buf, true)
			t.Fatalf("%d goroutines left, %d before:\n%s", goruntime.NumGoroutine(), before, buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v (%v)", url, err, resp)
	}
	return c
}

func send(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatal(err)
	}
}

func expect(t *testing.T, c *websocket.Conn, want string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	typ, data, err := c.ReadMessage()
	if err != nil || typ != websocket.TextMessage || string(data) != want {
		t.Fatalf("got %q (type %d, err %v), want %q", data, typ, err, want)
	}
}

func getJSON(t *testing.T, url string, status int, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	decode(t, resp, status, v)
}

func postJSON(t *testing.T, url, body string, status int, v any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	decode(t, resp, status, v)
}

func decode(t *testing.T, resp *http.Response, status int, v any) {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != status || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%s: status %d (want %d), content type %q", resp.Request.URL, resp.StatusCode, status, resp.Header.Get("Content-Type"))
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

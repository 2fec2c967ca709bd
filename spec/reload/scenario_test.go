package reload_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// openConns is how many WebSocket connections stay open across the reloads.
const openConns = 100

// scenarioSteps are the two ways the scenario changes the server's code:
// install handler_v2.lua and reload it (which must succeed), and install
// handler_broken.lua and reload (which must be refused; the function
// returns the refusal's text).
type scenarioSteps struct {
	installV2     func()
	installBroken func() string
}

// runReloadScenario drives a server running testdata/handler_v1.lua at addr
// through a good reload and a refused one, with openConns connections open
// the whole time, all checked with gorilla/websocket as an independent peer.
func runReloadScenario(t *testing.T, addr string, steps scenarioSteps) {
	wsURL := "ws://" + addr + "/ws"
	httpURL := "http://" + addr + "/"

	old := make([]*websocket.Conn, openConns)
	for i := range old {
		old[i] = dial(t, wsURL)
	}
	exchangeAll(t, old, "before", func(msg string) string { return "v1:" + msg })
	if got := get(t, httpURL); got != fmt.Sprintf("v1 served=%d", openConns) {
		t.Fatalf("GET before the reload: %q", got)
	}

	steps.installV2()
	// Every connection opened before the reload is still open and still
	// runs the old code.
	exchangeAll(t, old, "after", func(msg string) string { return "v1:" + msg })
	// A new connection gets the new code at once...
	fresh := dial(t, wsURL)
	exchangeAll(t, []*websocket.Conn{fresh}, "fresh", func(msg string) string { return "v2:" + strings.ToUpper(msg) })
	// ...and __reload carried the old module's counter over.
	if got := get(t, httpURL); got != fmt.Sprintf("v2 served=%d", openConns+1) {
		t.Fatalf("GET after the reload: %q", got)
	}

	refusal := steps.installBroken()
	if !strings.Contains(refusal, "handler.lua") {
		t.Fatalf("the refusal does not name the broken file:\n%s", refusal)
	}
	// The refused reload changed nothing: old connections still v1, the
	// module still v2, new connections still accepted.
	exchangeAll(t, old, "still", func(msg string) string { return "v1:" + msg })
	exchangeAll(t, []*websocket.Conn{fresh}, "still", func(msg string) string { return "v2:" + strings.ToUpper(msg) })
	late := dial(t, wsURL)
	exchangeAll(t, []*websocket.Conn{late}, "late", func(msg string) string { return "v2:" + strings.ToUpper(msg) })
	if got := get(t, httpURL); got != fmt.Sprintf("v2 served=%d", openConns+2) {
		t.Fatalf("GET after the refused reload: %q", got)
	}

	// Every connection closes cleanly: the server echoes the close.
	for i, c := range append(old, fresh, late) {
		_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
			t.Fatalf("conn %d: want a normal close back, got %v", i, err)
		}
	}
}

func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	c, resp, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v (response %v)", url, err, resp)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// exchangeAll sends one message on every connection at once and checks
// each reply.
func exchangeAll(t *testing.T, conns []*websocket.Conn, tag string, want func(string) string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(conns))
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := fmt.Sprintf("%s-%d", tag, i)
			if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
				errs <- fmt.Errorf("conn %d: write: %w", i, err)
				return
			}
			_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
			typ, data, err := c.ReadMessage()
			if err != nil {
				errs <- fmt.Errorf("conn %d: read: %w", i, err)
				return
			}
			if typ != websocket.TextMessage || string(data) != want(msg) {
				errs <- fmt.Errorf("conn %d: got %q (type %d), want %q", i, data, typ, want(msg))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	cl := http.Client{Timeout: 10 * time.Second}
	resp, err := cl.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %q %v", url, resp.StatusCode, body, err)
	}
	return string(body)
}

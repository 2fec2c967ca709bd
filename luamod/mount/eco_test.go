package mount_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/luamod/mount"
	"github.com/gorilla/websocket"
)

func TestEcoHandlerBesideGoHandler(t *testing.T) {
	rt, errOut := newRuntime(t)
	run(t, rt, `
		local websocket = require 'eco.websocket'
		function serve(con, req)
			if req.path == '/ws' then
				local ws, err = websocket.upgrade(con, req)
				if not ws then return nil, err end
				while true do
					local data, typ = ws:recv_frame()
					if not data or typ == 'close' then break end
					if typ == 'text' then ws:send_text('eco: ' .. data) end
				end
				return
			end
			if req.path == '/boom' then error('handler failed') end
			con:add_header('content-type', 'text/plain')
			con:send('hello from eco, ', req.method, ' ', req.path)
		end
	`)
	h, err := mount.Eco(rt, "serve", nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/go", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello from go") })
	mux.Handle("/", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/go"); code != 200 || body != "hello from go" {
		t.Fatalf("go handler: %d %q", code, body)
	}
	if code, body := get("/page"); code != 200 || body != "hello from eco, GET /page" {
		t.Fatalf("eco handler: %d %q", code, body)
	}
	if code, _ := get("/boom"); code != 500 {
		t.Fatalf("failing handler answered %d, want 500", code)
	}
	waitStderr(t, errOut, "handler failed")

	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for _, msg := range []string{"one", "two"} {
		if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		_, got, err := c.ReadMessage()
		if err != nil || string(got) != "eco: "+msg {
			t.Fatalf("echo %q: %q %v", msg, got, err)
		}
	}
	// The server keeps serving plain requests after a failure and while a
	// WebSocket is open.
	if code, body := get("/again"); code != 200 || body != "hello from eco, GET /again" {
		t.Fatalf("after: %d %q", code, body)
	}
}

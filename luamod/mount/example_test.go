package mount_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/mount"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/gorilla/websocket"
)

// A Lua WebSocket endpoint and a Go handler on one http.ServeMux.
func ExampleSilly() {
	ctx := context.Background()
	rt := runtime.New()
	luamod.Register(rt) // silly.net.websocket and friends
	defer rt.Close(ctx)

	// Define the Lua handler (a host would usually require a module).
	_ = rt.Do(ctx, func(t *runtime.Task) error {
		fn, err := rt.Compile([]byte(`
			local websocket = require "silly.net.websocket"
			function echo(stream)
				local sock = assert(websocket.upgrade(stream))
				while true do
					local data, typ = sock:read()
					if not data or typ == "close" then break end
					sock:write("lua says: " .. data, "text")
				end
			end
		`), "=echo")
		if err != nil {
			return err
		}
		t.L.Push(fn)
		return t.L.PCall(0, 0, nil)
	})

	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "go says: hello")
	})
	mux.Handle("/echo", mount.Silly(rt, "echo"))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, _ := http.Get(srv.URL + "/hello")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))

	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/echo", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	_ = c.WriteMessage(websocket.TextMessage, []byte("hi"))
	_, msg, _ := c.ReadMessage()
	fmt.Println(string(msg))
	// Output:
	// go says: hello
	// lua says: hi
}

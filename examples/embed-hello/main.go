// Command embed-hello is the smallest complete golua-ws host: a Go
// http.ServeMux with a Go handler at /hello and a WebSocket echo written in
// Lua (silly dialect) at /echo. docs/embedding.md shows it line by line.
//
//	go run ./examples/embed-hello      (listens on $ADDR, default 127.0.0.1:8080)
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/mount"
	"github.com/golua-ws/golua-ws/runtime"
)

const script = `
local websocket = require "silly.net.websocket"

function echo(stream)
	local sock = assert(websocket.upgrade(stream))
	while true do
		local data, typ = sock:read()
		if not data or typ == "close" then break end
		sock:write("echo: " .. data, "text")
	end
end
`

func main() {
	ctx := context.Background()
	rt := runtime.New() // one Lua VM
	luamod.Register(rt) // the eco and silly modules
	defer rt.Close(ctx) // ends every task, closes every socket

	// Load the script; it defines the global function echo.
	if _, err := rt.DoString(ctx, script, "=echo.lua"); err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from Go")
	})
	mux.Handle("/echo", mount.Silly(rt, "echo")) // each request runs echo(stream)

	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	log.Printf("listening on http://%s (/hello, ws /echo)", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}

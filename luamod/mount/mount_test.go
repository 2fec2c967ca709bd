package mount_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/mount"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/gorilla/websocket"
	lua "github.com/yuin/gopher-lua"
)

func newRuntime(t *testing.T, opts ...runtime.Option) (*runtime.Runtime, *syncbuf.Buffer) {
	t.Helper()
	errOut := &syncbuf.Buffer{}
	rt := runtime.New(append([]runtime.Option{runtime.WithStderr(errOut), runtime.WithStdout(errOut)}, opts...)...)
	luamod.Register(rt)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := rt.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return rt, errOut
}

// run runs Lua code on rt and returns the function it returns, if any.
func run(t *testing.T, rt *runtime.Runtime, code string) *lua.LFunction {
	t.Helper()
	var fn *lua.LFunction
	err := rt.Do(context.Background(), func(task *runtime.Task) error {
		chunk, err := rt.Compile([]byte(code), "=test")
		if err != nil {
			return err
		}
		L := task.L
		L.Push(chunk)
		if err := L.PCall(0, 1, nil); err != nil {
			return err
		}
		fn, _ = L.Get(-1).(*lua.LFunction)
		L.Pop(1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

const echoHandler = `
local websocket = require "silly.net.websocket"
return function(stream)
	if stream.header["upgrade"] == "websocket" then
		local sock = assert(websocket.upgrade(stream))
		while true do
			local data, typ = sock:read()
			if not data or typ == "close" then break end
			if typ == "text" then sock:write("lua:" .. data, "text") end
		end
		sock:close()
		return
	end
	if stream.path == "/lua/boom" then
		error("boom in the handler")
	end
	local body = stream:readall()
	stream:respond(200, {["content-type"] = "text/plain", ["x-scheme"] = stream.scheme})
	stream:closewrite(stream.method .. " " .. stream.path .. " q=" .. tostring(stream.query.q) .. " body=" .. body)
end
`

func TestSillyBesideGoHandlers(t *testing.T) {
	rt, errOut := newRuntime(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /go", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"from": "go"})
	})
	mux.Handle("/lua/", mount.Silly(rt, run(t, rt, echoHandler)))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	if got := httpDo(t, "GET", srv.URL+"/go", ""); got != `{"from":"go"}`+"\n" {
		t.Fatalf("Go handler: %q", got)
	}
	if got := httpDo(t, "POST", srv.URL+"/lua/x?q=1", "payload"); got != "POST /lua/x q=1 body=payload" {
		t.Fatalf("Lua handler: %q", got)
	}
	// Keep-alive: many requests on the client's pooled connection.
	for i := 0; i < 20; i++ {
		if got := httpDo(t, "GET", srv.URL+"/lua/k", ""); got != "GET /lua/k q=nil body=" {
			t.Fatalf("request %d: %q", i, got)
		}
	}

	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/lua/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, msg := range []string{"hello", "", strings.Repeat("é", 70000)} {
		if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, data, err := c.ReadMessage()
		if err != nil || string(data) != "lua:"+msg {
			t.Fatalf("echo: %.40q %v", data, err)
		}
	}
	// The Go side keeps serving while the WebSocket is open.
	if got := httpDo(t, "GET", srv.URL+"/go", ""); !strings.Contains(got, "go") {
		t.Fatalf("Go handler with a socket open: %q", got)
	}
	_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
		t.Fatalf("close: %v", err)
	}
	if s := errOut.String(); s != "" {
		t.Fatalf("stderr: %s", s)
	}
}

func TestSillyLuaErrorDropsOnlyThatRequest(t *testing.T) {
	rt, errOut := newRuntime(t)
	srv := httptest.NewServer(mount.Silly(rt, run(t, rt, echoHandler)))
	defer srv.Close()
	cl := http.Client{Timeout: 10 * time.Second}
	if resp, err := cl.Get(srv.URL + "/lua/boom"); err == nil {
		resp.Body.Close()
		t.Fatalf("a failing handler answered %d", resp.StatusCode)
	}
	// The client can see the request fail before the task that failed
	// has printed its report: wait for it.
	waitStderr(t, errOut, "boom in the handler", "stack traceback")
	if got := httpDo(t, "GET", srv.URL+"/lua/ok", ""); got != "GET /lua/ok q=nil body=" {
		t.Fatalf("after the error: %q", got)
	}
}

func TestSillyByNameFollowsReload(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "greeter.lua")
	writeModule(t, mod, "v1", 1)
	rt, _ := newRuntime(t, runtime.WithPackagePath(dir))
	if _, err := rt.Call(context.Background(), "require", "greeter"); err != nil {
		t.Fatal(err)
	}
	// "greeter" is not a global: the name resolves through package.loaded.
	srv := httptest.NewServer(mount.Silly(rt, "greeter.serve"))
	defer srv.Close()
	if got := httpDo(t, "GET", srv.URL, ""); got != "v1" {
		t.Fatalf("before reload: %q", got)
	}
	writeModule(t, mod, "v2", 2)
	if names, err := rt.Reload(context.Background()); err != nil || len(names) != 1 {
		t.Fatalf("reload: %v %v", names, err)
	}
	if got := httpDo(t, "GET", srv.URL, ""); got != "v2" {
		t.Fatalf("after reload: %q", got)
	}
}

func TestSillyUnknownNameFailsTheRequest(t *testing.T) {
	rt, errOut := newRuntime(t)
	srv := httptest.NewServer(mount.Silly(rt, "nothing.here"))
	defer srv.Close()
	cl := http.Client{Timeout: 10 * time.Second}
	if resp, err := cl.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d", resp.StatusCode)
	}
	waitStderr(t, errOut, "mount: nothing.here is not a function")
}

func TestSillyConnContext(t *testing.T) {
	rt, _ := newRuntime(t)
	fn := run(t, rt, `return function(stream)
		stream:respond(200, {})
		stream:closewrite(type(stream.conn) .. " " .. stream.remoteaddr)
	end`)
	plain := httptest.NewServer(mount.Silly(rt, fn))
	defer plain.Close()
	if got := httpDo(t, "GET", plain.URL, ""); !strings.HasPrefix(got, "nil 127.0.0.1:") {
		t.Fatalf("without ConnContext: %q", got)
	}
	withConn := httptest.NewUnstartedServer(mount.Silly(rt, fn))
	withConn.Config.ConnContext = mount.ConnContext
	withConn.Start()
	defer withConn.Close()
	if got := httpDo(t, "GET", withConn.URL, ""); !strings.HasPrefix(got, "userdata 127.0.0.1:") {
		t.Fatalf("with ConnContext: %q", got)
	}
}

func TestSillyTLSScheme(t *testing.T) {
	rt, _ := newRuntime(t)
	srv := httptest.NewTLSServer(mount.Silly(rt, run(t, rt, echoHandler)))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/lua/s")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Scheme"); got != "https" {
		t.Fatalf("scheme %q", got)
	}
}

func TestSillyAfterCloseAborts(t *testing.T) {
	rt, _ := newRuntime(t)
	srv := httptest.NewServer(mount.Silly(rt, run(t, rt, echoHandler)))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rt.Close(ctx); err != nil {
		t.Fatal(err)
	}
	cl := http.Client{Timeout: 10 * time.Second}
	if resp, err := cl.Get(srv.URL + "/lua/x"); err == nil {
		resp.Body.Close()
		t.Fatalf("a closed runtime answered %d", resp.StatusCode)
	}
}

func TestSillyRejectsBadFunctionArgument(t *testing.T) {
	rt, _ := newRuntime(t)
	for _, bad := range []any{42, "", (*lua.LFunction)(nil)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("mount.Silly(%#v) did not panic", bad)
				}
			}()
			mount.Silly(rt, bad)
		}()
	}
}

func writeModule(t *testing.T, path, version string, tick int) {
	t.Helper()
	src := `local M = {}
function M.serve(stream)
	stream:respond(200, {})
	stream:closewrite("` + version + `")
end
return M
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// A distinct mtime per version, whatever the file system's resolution.
	mt := time.Now().Add(time.Duration(tick) * 2 * time.Second)
	if err := os.Chtimes(path, mt, mt); err != nil {
		t.Fatal(err)
	}
}

func httpDo(t *testing.T, method, url, body string) string {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	cl := http.Client{Timeout: 10 * time.Second}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %q %v", method, url, resp.StatusCode, b, err)
	}
	return string(b)
}

// waitStderr waits up to 10 s for every want to appear on a runtime's
// stderr.
func waitStderr(t *testing.T, errOut interface{ String() string }, want ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(errOut.String(), w)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("stderr lacks %q: %q", want, errOut.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/mount"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/gorilla/websocket"
	lua "github.com/yuin/gopher-lua"
)

// waitGoroutines waits until at most n goroutines run, and fails with a
// dump of them if they do not end.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for goruntime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:goruntime.Stack(buf, true)]
			t.Fatalf("%d goroutines left (%d before):\n%s", goruntime.NumGoroutine(), n, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestCloseReleasesSocketsOfBothDialects opens an eco listener, a silly
// listener and a handler mounted on a Go server, with a WebSocket open on
// each, then closes the runtime: every socket and listener is released and
// no goroutine is left, although the clients never closed their side.
func TestCloseReleasesSocketsOfBothDialects(t *testing.T) {
	before := goruntime.NumGoroutine()
	var errOut syncbuf.Buffer
	rt := runtime.New(runtime.WithStderr(&errOut), runtime.WithStdout(&errOut))
	luamod.Register(rt)
	ecoPort := freePort(t)
	rt.RunString(`
		local eco = require 'eco'
		local ehttp = require 'eco.http.server'
		local ews = require 'eco.websocket'
		local shttp = require 'silly.net.http'
		local sws = require 'silly.net.websocket'
		local ecoport = tonumber((...))

		eco.run(function()
			ehttp.listen('127.0.0.1', ecoport, {}, function(con, req)
				local ws = assert(ews.upgrade(con, req))
				while true do
					local data, typ = ws:recv_frame()
					if not data or typ == 'close' then return end
					ws:send_text('eco:' .. data)
				end
			end)
		end)

		function silly_serve(stream)
			local s = assert(sws.upgrade(stream))
			while true do
				local data, typ = s:read()
				if not data or typ == 'close' then break end
				s:write('silly:' .. data, 'text')
			end
		end
		local srv = assert(shttp.listen { addr = '127.0.0.1:0', handler = silly_serve })
		silly_addr = srv:addr()
		function get_addr() return silly_addr end
	`, "=servers", fmt.Sprint(ecoPort))

	ctx := context.Background()
	var sillyAddr string
	for deadline := time.Now().Add(10 * time.Second); sillyAddr == ""; {
		if out, err := rt.Call(ctx, "get_addr"); err == nil && out[0] != nil {
			sillyAddr = out[0].(string)
		} else if time.Now().After(deadline) {
			t.Fatalf("the script did not listen: %v\n%s", err, errOut.String())
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
	host := httptest.NewServer(mount.Silly(rt, "silly_serve"))
	defer host.Close()

	ecoURL := fmt.Sprintf("ws://127.0.0.1:%d/", ecoPort)
	conns := map[string]*websocket.Conn{
		"eco:":   dialRetry(t, ecoURL),
		"silly:": dialRetry(t, "ws://"+sillyAddr+"/"),
		// The host's server runs the same Lua function.
		"silly:mounted": dialRetry(t, "ws"+strings.TrimPrefix(host.URL, "http")+"/"),
	}
	for prefix, c := range conns {
		prefix = strings.TrimSuffix(prefix, "mounted")
		if err := c.WriteMessage(websocket.TextMessage, []byte("hi")); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, data, err := c.ReadMessage(); err != nil || string(data) != prefix+"hi" {
			t.Fatalf("%s: %q %v", prefix, data, err)
		}
	}

	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := rt.Close(cctx); err != nil {
		t.Fatal(err)
	}
	host.Close()
	// The clients still hold their ends open; only the runtime can have
	// ended the tasks, the listeners' goroutines and the sockets'.
	waitGoroutines(t, before)
	for name, c := range conns {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, _, err := c.ReadMessage(); err == nil {
			t.Errorf("%s: connection still open after Close", name)
		}
		c.Close()
	}
	for _, addr := range []string{fmt.Sprintf("127.0.0.1:%d", ecoPort), sillyAddr} {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after Close", addr)
		}
	}
	if _, err := rt.Call(ctx, "get_addr"); !errors.Is(err, runtime.ErrClosed) {
		t.Errorf("Call after Close: %v", err)
	}
	if s := errOut.String(); s != "" {
		t.Errorf("stderr: %s", s)
	}
}

func dialRetry(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err == nil {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("dial %s: %v", url, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEmbeddingCallsFromFiftyGoroutines mixes every embedding entry point
// from 50 goroutines at once — Call, SetGlobal, Do, and calls abandoned by
// their context — while the Lua side blocks and calls back into Go. Run
// with -race.
func TestEmbeddingCallsFromFiftyGoroutines(t *testing.T) {
	ctx := context.Background()
	rt := runtime.New()
	defer rt.Close(ctx)
	var fromLua atomic.Int64
	rt.RegisterGoModule("host", map[string]any{
		"note": func(n int) int { fromLua.Add(int64(n)); return n },
	})
	if err := rt.Do(ctx, func(task *runtime.Task) error {
		fn, err := rt.Compile([]byte(`
			local host = require 'host'
			count = 0
			function work(n)
				coroutine.wrap(function() end)()
				count = count + 1
				return host.note(n) * 2
			end
			function slow() while true do coroutine.yield() end end
		`), "=setup")
		if err != nil {
			return err
		}
		task.L.Push(fn)
		return task.L.PCall(0, 0, nil)
	}); err != nil {
		t.Fatal(err)
	}

	const goroutines, rounds = 50, 20
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("g%d", g)
			for i := 0; i < rounds; i++ {
				out, err := rt.Call(ctx, "work", g)
				if err != nil || out[0] != float64(2*g) {
					errs <- fmt.Errorf("%s: work: %v %v", name, out, err)
					return
				}
				if err := rt.SetGlobal(ctx, name, i); err != nil {
					errs <- err
					return
				}
				var got lua.LValue
				if err := rt.Do(ctx, func(task *runtime.Task) error {
					task.Sleep(0) // let others run between the set and the get
					got = task.L.GetGlobal(name)
					return nil
				}); err != nil || got != lua.LNumber(i) {
					errs <- fmt.Errorf("%s: global %v %v", name, got, err)
					return
				}
				// A call whose context is already done never runs.
				dead, cancel := context.WithCancel(ctx)
				cancel()
				if _, err := rt.Call(dead, "work", 1000); !errors.Is(err, context.Canceled) {
					errs <- fmt.Errorf("%s: cancelled call: %v", name, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	out, err := rt.Call(ctx, "tostring", nil)
	if err != nil || out[0] != "nil" {
		t.Fatal(out, err)
	}
	var count lua.LValue
	_ = rt.Do(ctx, func(task *runtime.Task) error { count = task.L.GetGlobal("count"); return nil })
	if count != lua.LNumber(goroutines*rounds) {
		t.Fatalf("count %v, want %d (a cancelled call ran, or a call was lost)", count, goroutines*rounds)
	}
	want := int64(0)
	for g := 0; g < goroutines; g++ {
		want += int64(g * rounds)
	}
	if fromLua.Load() != want {
		t.Fatalf("Go saw %d from Lua, want %d", fromLua.Load(), want)
	}
}

// TestWatchdogReportOnly: without cancel the watchdog reports a runaway
// task and lets it finish.
func TestWatchdogReportOnly(t *testing.T) {
	ctx := context.Background()
	var errOut syncbuf.Buffer
	rt := runtime.New(runtime.WithWatchdog(20*time.Millisecond, false), runtime.WithStderr(&errOut))
	defer rt.Close(ctx)
	// The loop never blocks; it ends only once the report is out.
	if err := rt.SetGlobal(ctx, "reported", func() bool {
		return strings.Contains(errOut.String(), "without blocking")
	}); err != nil {
		t.Fatal(err)
	}
	if err := rt.Do(ctx, func(task *runtime.Task) error {
		fn, err := rt.Compile([]byte(`function spin() local n = 0 while not reported() do n = n + 1 end return "finished" end`), "=spin")
		if err != nil {
			return err
		}
		task.L.Push(fn)
		return task.L.PCall(0, 0, nil)
	}); err != nil {
		t.Fatal(err)
	}
	out, err := rt.Call(ctx, "spin")
	if err != nil || out[0] != "finished" {
		t.Fatalf("spin: %v %v", out, err)
	}
	if !strings.Contains(errOut.String(), ": reported") {
		t.Fatalf("report: %q", errOut.String())
	}
}

// TestConversions pins what crosses between Go and Lua and how, as
// docs/embedding.md describes it.
func TestConversions(t *testing.T) {
	ctx := context.Background()
	rt := runtime.New()
	defer rt.Close(ctx)
	type point struct {
		X, Y   int
		hidden int // set but unexported: Lua must not see it
	}
	ch := make(chan int, 1)
	ch <- 7
	values := map[string]any{
		"s":     "text",
		"b":     []byte("bytes"),
		"n":     3,
		"f":     1.5,
		"ok":    true,
		"nilv":  nil,
		"pt":    &point{X: 1, Y: 2, hidden: 3},
		"m":     map[string]int{"a": 1},
		"sl":    []string{"x", "y"},
		"fn":    func(a, b int) (int, string) { return a + b, "sum" },
		"ch":    ch,
		"lv":    lua.LString("raw"),
		"errfn": func() error { return errors.New("go failed") },
	}
	for k, v := range values {
		if err := rt.SetGlobal(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := rt.Do(ctx, func(task *runtime.Task) error {
		fn, err := rt.Compile([]byte(`
			function probe()
				local r = {}
				r[#r+1] = type(s) .. ":" .. s
				r[#r+1] = type(b) .. ":" .. b
				r[#r+1] = type(n) .. ":" .. n
				r[#r+1] = type(f) .. ":" .. f
				r[#r+1] = type(ok) .. ":" .. tostring(ok)
				r[#r+1] = type(nilv)
				r[#r+1] = type(pt) .. ":" .. pt.X .. "," .. pt.Y .. ":" .. tostring(pt.hidden)
				pt.X = 10
				r[#r+1] = type(m) .. ":" .. m.a .. ":" .. tostring(m.zz)
				m.b = 2
				r[#r+1] = type(sl) .. ":" .. #sl .. ":" .. sl[1] .. sl[2]
				local sum, what = fn(2, 3)
				r[#r+1] = type(fn) .. ":" .. sum .. what
				local v, okr = ch()                 -- receive; ch(v) sends, -ch closes
				r[#r+1] = type(ch) .. ":" .. v .. ":" .. tostring(okr) .. ":" .. #ch
				r[#r+1] = type(lv) .. ":" .. lv
				local keys = ""
				for i, v in sl() do keys = keys .. i .. "=" .. v .. "," end
				local sum = 0
				for _, v in m() do sum = sum + v end -- Go's map order: random
				keys = keys .. "sum=" .. sum
				r[#r+1] = keys
				-- A Go error is a returned value (userdata), not a Lua error.
				local okcall, e = pcall(errfn)
				r[#r+1] = tostring(okcall) .. ":" .. type(e) .. ":" .. tostring(e ~= nil)
				return table.concat(r, " | ")
			end
		`), "=probe")
		if err != nil {
			return err
		}
		task.L.Push(fn)
		return task.L.PCall(0, 0, nil)
	}); err != nil {
		t.Fatal(err)
	}
	out, err := rt.Call(ctx, "probe")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", out[0])
	want := []string{
		"string:text", "string:bytes", "number:3", "number:1.5", "boolean:true", "nil",
		"userdata:1,2:nil", "userdata:1:nil", "userdata:2:xy", "function:5sum",
		"userdata:7:true:0", "string:raw", "1=x,2=y,sum=3", "true:userdata:true",
	}
	got := strings.Split(out[0].(string), " | ")
	for i, w := range want {
		if i >= len(got) || got[i] != w {
			t.Errorf("item %d: got %q, want %q", i, got[min(i, len(got)-1)], w)
		}
	}
	// Lua's writes went to the Go values.
	if values["pt"].(*point).X != 10 || values["m"].(map[string]int)["b"] != 2 {
		t.Errorf("writes through gopher-luar: %+v %v", values["pt"], values["m"])
	}
}

// TestCloseWhileCallsWaitLeavesNothing closes a runtime that has its
// watchdog and reload watcher running, one call holding the token and 50
// more queued behind it: every caller gets an answer and no goroutine is
// left.
func TestCloseWhileCallsWaitLeavesNothing(t *testing.T) {
	before := goruntime.NumGoroutine()
	ctx := context.Background()
	rt := runtime.New(runtime.WithWatchdog(time.Hour, true), runtime.WithStderr(&syncbuf.Buffer{}))
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		rt.Watch(watchCtx, 5*time.Millisecond)
	}()
	holding := make(chan struct{})
	release := make(chan struct{})
	go func() {
		_ = rt.Do(ctx, func(task *runtime.Task) error {
			close(holding)
			<-release // keeps the token: the calls below queue up
			return nil
		})
	}()
	<-holding
	var wg sync.WaitGroup
	results := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := rt.Call(ctx, "tostring", i)
			results <- err
		}()
	}
	for rt.ReadyCount() < 50 {
		time.Sleep(time.Millisecond)
	}
	closed := make(chan error, 1)
	go func() {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		closed <- rt.Close(cctx)
	}()
	// Every queued caller returns, though the token never came.
	wg.Wait()
	close(results)
	for err := range results {
		if !errors.Is(err, runtime.ErrClosed) {
			t.Errorf("queued call: %v, want ErrClosed", err)
		}
	}
	close(release)
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	<-watching // Watch stops by itself once the runtime has exited
	waitGoroutines(t, before)
}

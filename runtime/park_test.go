//go:build linux

package runtime

import (
	"context"
	"errors"
	"net"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	lua "github.com/yuin/gopher-lua"
)

// parkHarness is a Lua module ("pk") over real loopback TCP pairs: a task
// started with pk.serve runs as a StartLua task, and pk.recv parks when it
// can, or blocks as any binding does.
type parkHarness struct {
	rt      *Runtime
	servers []net.Conn // the task's side
	clients []net.Conn // the test's side
	parks   int        // successful Park calls
}

func (h *parkHarness) pair(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	h.servers = append(h.servers, s)
	h.clients = append(h.clients, c)
	return len(h.servers)
}

// read waits for data on the task's side of pair id, without the token.
func (h *parkHarness) read(L *lua.LState, id int) int {
	var buf [64]byte
	var n int
	err := h.rt.MustTask(L).Block(func(context.Context) error {
		var err error
		n, err = h.servers[id-1].Read(buf[:])
		return err
	})
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString("closed"))
		return 2
	}
	L.Push(lua.LString(buf[:n]))
	return 1
}

func (h *parkHarness) open(t testing.TB, rt *Runtime) {
	h.rt = rt
	rt.RegisterModule("pk", func(L *lua.LState) int {
		mod := L.NewTable()
		L.SetFuncs(mod, map[string]lua.LGFunction{
			"pair": func(L *lua.LState) int {
				L.Push(lua.LNumber(h.pair(t)))
				return 1
			},
			"serve": func(L *lua.LState) int {
				fn := L.CheckFunction(1)
				arg := L.Get(2)
				rt.StartLua("serve", Queued|ReuseThread, LuaBody{
					Setup: func(*Task) (*lua.LFunction, []lua.LValue) { return fn, []lua.LValue{arg} },
					Finish: func(_ *Task, rets []lua.LValue, err error) error {
						return err
					},
				})
				return 0
			},
			"recv": func(L *lua.LState) int {
				id := L.CheckInt(1)
				tcp := h.servers[id-1].(*net.TCPConn)
				if n, ok := rt.MustTask(L).Park(L, tcp, func(L *lua.LState) int { return h.read(L, id) }); ok {
					h.parks++
					return n
				}
				return h.read(L, id)
			},
			// recv_fail(id): parks like recv; its retry raises.
			"recv_fail": func(L *lua.LState) int {
				id := L.CheckInt(1)
				tcp := h.servers[id-1].(*net.TCPConn)
				if n, ok := rt.MustTask(L).Park(L, tcp, func(L *lua.LState) int {
					h.read(L, id)
					L.RaiseError("the retry failed")
					return 0
				}); ok {
					return n
				}
				L.RaiseError("did not park")
				return 0
			},
			"send": func(L *lua.LState) int {
				_, _ = h.clients[L.CheckInt(1)-1].Write([]byte(L.CheckString(2)))
				return 0
			},
			"shut": func(L *lua.LState) int {
				id := L.CheckInt(1)
				_ = h.servers[id-1].Close()
				return 0
			},
			"unpark_all": func(L *lua.LState) int {
				rt.Tasks(func(t *Task) { t.Unpark() })
				return 0
			},
			"parked": func(L *lua.LState) int {
				L.Push(lua.LNumber(rt.ParkedTasks()))
				return 1
			},
			// wait_parked(n): block until n tasks are parked.
			"wait_parked": func(L *lua.LState) int {
				n := L.CheckInt(1)
				_ = rt.MustTask(L).Block(func(ctx context.Context) error {
					for rt.ParkedTasks() < n {
						select {
						case <-ctx.Done():
							return ctx.Err()
						case <-time.After(time.Millisecond):
						}
					}
					return nil
				})
				return 0
			},
			"sleep": func(L *lua.LState) int {
				rt.MustTask(L).Sleep(time.Duration(float64(L.CheckNumber(1)) * float64(time.Second)))
				return 0
			},
		})
		L.Push(mod)
		return 1
	})
}

func runParked(t *testing.T, code string) (h *parkHarness, stdout, stderr string) {
	t.Helper()
	var out, errOut syncbuf.Buffer
	rt := New(WithStdout(&out), WithStderr(&errOut))
	h = &parkHarness{}
	h.open(t, rt)
	rt.RunString(code, "=test")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := rt.Wait(ctx); err != nil {
		t.Fatalf("runtime did not finish: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	for _, c := range append(h.servers, h.clients...) {
		_ = c.Close()
	}
	return h, out.String(), errOut.String()
}

func sortedLines(s string) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	sort.Strings(l)
	return strings.Join(l, "|")
}

// A flat call parks (no goroutine while it waits) and returns what the
// retry read, with exactly the results its caller asked for; calls under a
// pcall, in a coroutine, from a for-loop iterator or from a sort comparator
// cannot yield through Go frames and block as before, with the same results.
func TestParkOnlyFromFlatCallsAndResultsAreExact(t *testing.T) {
	h, out, errOut := runParked(t, `
		local pk = require 'pk'
		local a, b, c, d, e, f = pk.pair(), pk.pair(), pk.pair(), pk.pair(), pk.pair(), pk.pair()
		pk.serve(function(id) local x, y = pk.recv(id); print('flat', x, y) end, a)
		pk.serve(function(id) print('multi', select('#', pk.recv(id))) end, b)
		pk.serve(function(id) local ok, x = pcall(pk.recv, id); print('pcall', ok, x) end, c)
		pk.serve(function(id)
			local co = coroutine.wrap(function() return pk.recv(id) end)
			print('coroutine', co())
		end, d)
		pk.serve(function(id) for x in pk.recv, id do print('iterator', x) break end end, e)
		pk.serve(function(id)
			local t, done = {2, 1}, false
			table.sort(t, function(p, q)
				if not done then done = true print('sort', pk.recv(id)) end
				return p < q
			end)
		end, f)
		pk.wait_parked(2)
		print('parked', pk.parked())
		for i, id in ipairs({a, b, c, d, e, f}) do pk.send(id, 'm' .. i) end
	`)
	want := "coroutine\tm4|flat\tm1\tnil|iterator\tm5|multi\t1|parked\t2|pcall\ttrue\tm3|sort\tm6"
	if got := sortedLines(out); got != want || errOut != "" {
		t.Fatalf("got %q, want %q; stderr %q", got, want, errOut)
	}
	if h.parks != 2 {
		t.Fatalf("%d parks, want 2 (the flat calls only)", h.parks)
	}
}

// A task parks again and again (its retry itself parks when the wait is
// long), resumes on other goroutines, and an error after a park is reported
// with its traceback.
func TestParkRepeatedlyThenFailWithTraceback(t *testing.T) {
	_, out, errOut := runParked(t, `
		local pk = require 'pk'
		local a = pk.pair()
		pk.serve(function(id)
			local got = {}
			for i = 1, 3 do got[#got + 1] = pk.recv(id) end
			print(table.concat(got, ','))
			local t = nil
			return t.field -- an error the VM raises, after three parks
		end, a)
		for i = 1, 3 do pk.wait_parked(1) pk.send(a, 'x' .. i) pk.sleep(0.01) end
	`)
	if strings.TrimSpace(out) != "x1,x2,x3" {
		t.Fatalf("stdout %q, stderr %q", out, errOut)
	}
	if !strings.Contains(errOut, "test:9: attempt to index a nil value") || !strings.Contains(errOut, "stack traceback:") ||
		!strings.Contains(errOut, "test:9:") {
		t.Fatalf("stderr %q", errOut)
	}
}

// Unpark resumes a parked task at once (a connection closed locally), and
// a runtime closing with parked tasks ends them and leaves no goroutine.
func TestUnparkAndShutdownWithParkedTasks(t *testing.T) {
	_, out, errOut := runParked(t, `
		local pk = require 'pk'
		local a = pk.pair()
		pk.serve(function(id) print('unparked', pk.recv(id)) end, a)
		pk.wait_parked(1)
		pk.shut(a)
		pk.unpark_all()
	`)
	if strings.TrimSpace(out) != "unparked\tnil\tclosed" || errOut != "" {
		t.Fatalf("stdout %q, stderr %q", out, errOut)
	}

	var buf syncbuf.Buffer
	rt := New(WithStdout(&buf), WithStderr(&buf))
	h := &parkHarness{}
	h.open(t, rt)
	rt.RunString(`
		local pk = require 'pk'
		for i = 1, 20 do pk.serve(function(id) pk.recv(id) print('never') end, pk.pair()) end
		pk.wait_parked(20)
		print('all parked')
	`, "=shutdown")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(buf.String(), "all parked") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rt.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if rt.LiveTasks() != 0 || strings.Contains(buf.String(), "never") {
		t.Fatalf("live %d, output %q", rt.LiveTasks(), buf.String())
	}
	for _, c := range append(h.servers, h.clients...) {
		_ = c.Close()
	}
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

// StartLua tasks interleave at every Block; an error in one that blocked
// while others started and ended is still reported, not a crash.
func TestInterleavedStartLuaTasksReportErrors(t *testing.T) {
	_, out, errOut := runParked(t, `
		local pk = require 'pk'
		pk.serve(function() pk.sleep(0.01) print('A done') end)
		pk.serve(function() pk.sleep(0.05) error('B failed late') end)
	`)
	if sortedLines(out) != "A done" || !strings.Contains(errOut, "test:4: B failed late") ||
		!strings.Contains(errOut, "stack traceback:") {
		t.Fatalf("stdout %q, stderr %q", out, errOut)
	}
}

// An error raised by a parked call's retry (which runs outside the VM loop)
// ends that task with a report, as if the call had raised where the script
// made it; the runtime and the other tasks go on.
func TestParkRetryErrorEndsTheTask(t *testing.T) {
	_, out, errOut := runParked(t, `
		local pk = require 'pk'
		local a, b = pk.pair(), pk.pair()
		pk.serve(function(id) pk.recv_fail(id) print('not reached') end, a)
		pk.serve(function(id) print('b got', pk.recv(id)) end, b)
		pk.wait_parked(2)
		pk.send(a, 'x')
		pk.sleep(0.05)
		pk.send(b, 'y')
	`)
	if strings.TrimSpace(out) != "b got\ty" || !strings.Contains(errOut, "the retry failed") ||
		!strings.Contains(errOut, "stack traceback:") || !strings.Contains(errOut, "test:4:") {
		t.Fatalf("stdout %q, stderr %q", out, errOut)
	}
}

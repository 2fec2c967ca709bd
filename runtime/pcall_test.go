package runtime

import (
	"context"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	lua "github.com/yuin/gopher-lua"
)

// Issue #12, bug 1, on the runtime's VM (gopher-lua v1.1.2 with the lua54
// front-end and library): a caught error must not detach the closures of
// the callers from their locals, and closures created inside the failed
// call keep what they captured. Expected values are lua5.4's.

func TestPCallKeepsCallerUpvaluesOpen(t *testing.T) {
	out, errOut, code := runLua(t, `
		local a; local function use() return a end; pcall(error, 'x'); a = 5; print(use())
		local b; local function useb() return b end
		xpcall(function() pcall(error, 'in'); error('out') end, function(m) return m end)
		b = 7; print(useb())
		-- an error raised after the task blocked inside the pcall
		local rt = require 'rt'
		local c; local function usec() return c end
		print(pcall(function() rt.sleep(0.001) error('late', 0) end))
		c = 9; print(usec())
	`)
	if want := "5 7 false late 9"; code != 0 || lines(out) != want {
		t.Fatalf("code %d\n got %q\nwant %q\nerr %q", code, lines(out), want, errOut)
	}
}

func TestPCallClosesUpvaluesOfUnwoundFrames(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		local function clobber(a, b, c, d, e, f) local x, y, z = 'junk', 'junk', 'junk' return x end
		local saved = {}
		pcall(function(...)
			local v = 'pcall'
			saved[1] = function() return v end
			rt.sleep(0.001) -- other tasks run on their own threads meanwhile
			error('x')
		end, 1, 2, 3)
		xpcall(function()
			local v = 'xpcall'
			saved[2] = function() return v end
			string.rep() -- raised by a Go function
		end, function(m) local h = 'handler' saved[3] = function() return h end return m end)
		do
			local v <close> = setmetatable({}, {__close = function() end})
			local w = 'close'
			saved[4] = function() return w end
		end
		pcall(function()
			local x <close> = setmetatable({}, {__close = function(_, e) print('closing', e) end})
			local w = 'close+error'
			saved[5] = function() return w end
			error('boom', 0)
		end)
		clobber(1, 2, 3, 4, 5, 6)
		print(saved[1](), saved[2](), saved[3](), saved[4](), saved[5]())
	`)
	if want := "closing boom pcall xpcall handler close close+error"; code != 0 || lines(out) != want {
		t.Fatalf("code %d\n got %q\nwant %q\nerr %q", code, lines(out), want, errOut)
	}
}

// A thread given back to the pool after its task caught an error must not
// leave closures pointing into the slots the next task reuses.
func TestPCallOnReusedThread(t *testing.T) {
	rt, _ := newTestRuntime(t)
	run := func(code string) {
		t.Helper()
		var runErr error
		task := rt.Start("reuse", Queued|ReuseThread, func(task *Task) error {
			fn, err := rt.Compile([]byte(code), "=reuse")
			if err != nil {
				return err
			}
			task.L.Push(fn)
			runErr = task.L.PCall(0, 0, nil)
			return nil
		})
		<-task.Done()
		if runErr != nil {
			t.Fatal(runErr)
		}
	}
	run(`pcall(function() local v = 'first task'; saved = function() return v end; error('x') end)`)
	run(`local a, b, c, d, e, f, g = 'second', 'second', 'second', 'second', 'second', 'second', 'second'; pcall(print)`)
	var got lua.LValue
	if err := rt.Do(context.Background(), func(task *Task) error {
		task.L.Push(task.L.GetGlobal("saved"))
		task.L.Call(0, 1)
		got = task.L.Get(-1)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got.String() != "first task" {
		t.Fatalf("closure from a failed call on a reused thread reads %q", got.String())
	}
}

// Uncaught errors end the task; the closures it stored keep their values.
func TestUncaughtErrorClosesTaskUpvalues(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		rt.fork(function()
			local v = 'from the failed task'
			saved = function() return v end
			error('uncaught', 0)
		end)
		rt.sleep(0.001)
		rt.fork(function() local a, b, c, d = 1, 2, 3, 4 print('other', a) end)
		rt.sleep(0.001)
		print(saved())
	`)
	if want := "other 1 from the failed task"; lines(out) != want || !strings.Contains(errOut, "uncaught") {
		t.Fatalf("code %d\n got %q\nwant %q\nerr %q", code, lines(out), want, errOut)
	}
}

// A Go panic inside a binding is reported as an error, with the caller's
// upvalues left open.
func TestPCallReportsGoPanics(t *testing.T) {
	var out, errOut syncbuf.Buffer
	rt := New(WithStdout(&out), WithStderr(&errOut))
	openTestModule(rt)
	rt.RegisterModule("panicky", func(L *lua.LState) int {
		L.Push(L.NewFunction(func(L *lua.LState) int { panic("binding bug") }))
		return 1
	})
	rt.RunString(`
		local panicky = require 'panicky'
		local a; local function use() return a end
		local ok, e = pcall(panicky)
		a = 1
		print(ok, e, use())
		print(xpcall(panicky, function(m) return 'handled: ' .. m end))
	`, "=test")
	ctx := context.Background()
	if _, err := rt.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rt.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if want := "false binding bug 1 false handled: binding bug"; lines(out.String()) != want {
		t.Fatalf("\n got %q\nwant %q\nerr %q", lines(out.String()), want, errOut.String())
	}
}

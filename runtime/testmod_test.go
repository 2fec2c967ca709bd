package runtime

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	lua "github.com/yuin/gopher-lua"
)

// The tests drive the scheduler through a small Lua module of their own
// ("rt"), so they exercise exactly what a dialect binding does: Start in both
// modes, Block, Yield, Suspend and Resume.

type testChan struct {
	queue   []lua.LValue
	waiters []*Task
}

func openTestModule(rt *Runtime) {
	rt.RegisterModule("rt", func(L *lua.LState) int {
		mod := L.NewTable()
		L.SetFuncs(mod, map[string]lua.LGFunction{
			"run": func(L *lua.LState) int {
				fn := L.CheckFunction(1)
				t := rt.Spawn("run", Immediate, fn)
				L.Push(t.Thread())
				return 1
			},
			"fork": func(L *lua.LState) int {
				fn := L.CheckFunction(1)
				rt.Spawn("fork", Queued, fn, L.Get(2))
				return 0
			},
			"sleep": func(L *lua.LState) int {
				d := time.Duration(float64(L.CheckNumber(1)) * float64(time.Second))
				rt.MustTask(L).Sleep(d)
				return 0
			},
			"yield": func(L *lua.LState) int {
				rt.MustTask(L).Yield()
				return 0
			},
			"chan": func(L *lua.LState) int {
				ud := L.NewUserData()
				ud.Value = &testChan{}
				mt := L.NewTable()
				L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
					switch L.CheckString(2) {
					case "send":
						L.Push(L.NewFunction(chanSend(rt)))
					case "recv":
						L.Push(L.NewFunction(chanRecv(rt)))
					default:
						L.Push(lua.LNil)
					}
					return 1
				}))
				L.SetMetatable(ud, mt)
				L.Push(ud)
				return 1
			},
			// at_release(label): when this task next gives up the token,
			// print label (from Go, holding the token).
			"at_release": func(L *lua.LState) int {
				label := L.CheckString(1)
				rt.MustTask(L).AtRelease(func() { fmt.Fprintln(rt.opts.stdout, label) })
				return 0
			},
			// block(label): Block with a function that prints label.
			"block": func(L *lua.LState) int {
				label := L.CheckString(1)
				_ = rt.MustTask(L).Block(func(context.Context) error {
					fmt.Fprintln(rt.opts.stdout, label)
					return nil
				})
				return 0
			},
			"count": func(L *lua.LState) int {
				L.Push(lua.LNumber(rt.TaskCount()))
				return 1
			},
		})
		L.Push(mod)
		return 1
	})
}

func chanSend(rt *Runtime) lua.LGFunction {
	return func(L *lua.LState) int {
		c := L.CheckUserData(1).Value.(*testChan)
		v := L.Get(2)
		if len(c.waiters) > 0 {
			w := c.waiters[0]
			c.waiters = c.waiters[1:]
			rt.MustTask(L).Resume(w, v)
			return 0
		}
		c.queue = append(c.queue, v)
		return 0
	}
}

func chanRecv(rt *Runtime) lua.LGFunction {
	return func(L *lua.LState) int {
		c := L.CheckUserData(1).Value.(*testChan)
		if len(c.queue) > 0 {
			v := c.queue[0]
			c.queue = c.queue[1:]
			L.Push(v)
			return 1
		}
		t := rt.MustTask(L)
		c.waiters = append(c.waiters, t)
		v, err := t.Suspend(0)
		if err != nil {
			L.RaiseError("%v", err)
		}
		L.Push(v.(lua.LValue))
		return 1
	}
}

// runLua runs code as the main task of a fresh runtime and returns what it
// printed, its error output and the exit code.
func runLua(t testing.TB, code string, opts ...Option) (stdout, stderr string, exit int) {
	t.Helper()
	var out, errOut syncbuf.Buffer
	opts = append([]Option{WithStdout(&out), WithStderr(&errOut)}, opts...)
	rt := New(opts...)
	openTestModule(rt)
	rt.RunString(code, "=test")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	exit, err := rt.Wait(ctx)
	if err != nil {
		t.Fatalf("runtime did not finish: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	if err := rt.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	return out.String(), errOut.String(), exit
}

func lines(s string) string { return strings.Join(strings.Fields(s), " ") }

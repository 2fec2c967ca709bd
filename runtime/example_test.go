package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// run compiles and runs a chunk of Lua on rt, waiting for it: the pattern a
// host uses to load code into a running Runtime.
func run(ctx context.Context, rt *runtime.Runtime, code string) error {
	return rt.Do(ctx, func(t *runtime.Task) error {
		fn, err := rt.Compile([]byte(code), "=example")
		if err != nil {
			return err
		}
		t.L.Push(fn)
		return t.L.PCall(0, 0, nil)
	})
}

// The smallest host: create a runtime, give it Go values, load Lua, call it
// from Go, and close it.
func Example() {
	ctx := context.Background()
	rt := runtime.New()
	defer rt.Close(ctx)

	if err := rt.SetGlobal(ctx, "greeting", "hello"); err != nil {
		fmt.Println(err)
		return
	}
	if err := run(ctx, rt, `function greet(name) return greeting .. ", " .. name .. "!" end`); err != nil {
		fmt.Println(err)
		return
	}
	out, err := rt.Call(ctx, "greet", "gopher")
	fmt.Println(out[0], err)
	// Output: hello, gopher! <nil>
}

// RunString starts a script as the "main" task, as the golua-ws command
// does; Wait returns when it has finished and nothing else can run.
func ExampleRuntime_RunString() {
	rt := runtime.New() // print writes to os.Stdout
	defer rt.Close(context.Background())
	rt.RunString(`
		local name = ...
		print("hello from " .. name)
	`, "=hello", "Lua")
	code, err := rt.Wait(context.Background())
	fmt.Println("exit", code, err)
	// Output:
	// hello from Lua
	// exit 0 <nil>
}

// Call is safe from any goroutine: each call waits for the VM token.
// Arguments and results convert as ToLua and ToGo describe.
func ExampleRuntime_Call() {
	ctx := context.Background()
	rt := runtime.New()
	defer rt.Close(ctx)
	_ = run(ctx, rt, `
		stats = {}
		function stats.summary(xs)
			local sum = 0
			for i = 1, #xs do sum = sum + xs[i] end -- a Go slice: userdata, indexable
			return sum, #xs, {mean = sum / #xs}
		end
	`)
	out, err := rt.Call(ctx, "stats.summary", []int{1, 2, 3, 6})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out[0], out[1], out[2], err)

	_, err = rt.Call(ctx, "stats.missing")
	fmt.Println(err)
	// Output:
	// 12 4 map[mean:3] <nil>
	// runtime: Call: stats.missing is not a function
}

// A Lua error comes back to Go as an error with the message and traceback.
func ExampleRuntime_Call_error() {
	ctx := context.Background()
	rt := runtime.New()
	defer rt.Close(ctx)
	_ = run(ctx, rt, `function check(n) if n < 0 then error("negative: " .. n) end return n end`)
	_, err := rt.Call(ctx, "check", -1)
	fmt.Println(strings.SplitN(err.Error(), "\n", 2)[0])
	// Output: runtime: Call check: example:1: negative: -1
}

// Temperature is a Go type scripts use through gopher-luar.
type Temperature struct {
	Celsius float64
}

// Fahrenheit is callable from Lua as t:Fahrenheit().
func (t *Temperature) Fahrenheit() float64 { return t.Celsius*9/5 + 32 }

// RegisterGoModule makes a Go value available to require: exported fields
// and methods of a struct pointer, entries of a map, and functions.
func ExampleRuntime_RegisterGoModule() {
	ctx := context.Background()
	rt := runtime.New()
	defer rt.Close(ctx)
	rt.RegisterGoModule("weather", map[string]any{
		"today":  &Temperature{Celsius: 21.5},
		"cities": []string{"Oslo", "Lima"},
		"round":  func(x float64) int { return int(x + 0.5) },
	})
	_ = run(ctx, rt, `
		local weather = require "weather"
		local t = weather.today
		t.Celsius = t.Celsius + 1          -- writes the Go field
		function report()
			return weather.cities[1] .. " " .. weather.round(t:Fahrenheit()) .. "F, " .. #weather.cities .. " cities"
		end
	`)
	out, err := rt.Call(ctx, "report")
	fmt.Println(out[0], err)
	// Output: Oslo 73F, 2 cities <nil>
}

// SetGlobal converts with gopher-luar too: here a Go function and a
// channel-free struct. Go functions run on the calling task's goroutine,
// holding the token, so they must not block for long.
func ExampleRuntime_SetGlobal() {
	ctx := context.Background()
	rt := runtime.New()
	defer rt.Close(ctx)
	_ = rt.SetGlobal(ctx, "upper", strings.ToUpper)
	_ = rt.SetGlobal(ctx, "limits", struct{ MaxUsers int }{MaxUsers: 10})
	_ = run(ctx, rt, `function describe() return upper("max users: ") .. limits.MaxUsers end`)
	out, _ := rt.Call(ctx, "describe")
	fmt.Println(out[0])
	// Output: MAX USERS: 10
}

// Do runs Go code holding the VM token, on a task of its own: the way to
// use gopher-lua's API directly, or to run Lua that blocks.
func ExampleRuntime_Do() {
	ctx := context.Background()
	rt := runtime.New()
	defer rt.Close(ctx)
	err := rt.Do(ctx, func(t *runtime.Task) error {
		t.Sleep(time.Millisecond) // blocking releases the token meanwhile
		t.L.SetGlobal("answer", lua.LNumber(42))
		return nil
	})
	out, _ := rt.Call(ctx, "tostring", nil)
	fmt.Println(err, out[0])
	_ = run(ctx, rt, `function get() return answer end`)
	out, _ = rt.Call(ctx, "get")
	fmt.Println(out[0])
	// Output:
	// <nil> nil
	// 42
}

// ToLua and ToGo are the conversions Call, SetGlobal and RegisterGoModule
// use. Strings and []byte become Lua strings without reflection; tables
// come back as []any (sequences) or map[string]any.
func ExampleToGo() {
	ctx := context.Background()
	rt := runtime.New()
	defer rt.Close(ctx)
	_ = rt.Do(ctx, func(t *runtime.Task) error {
		L := t.L
		payload := runtime.ToLua(L, []byte("frame"))
		fmt.Println(payload.Type(), payload)
		fn, _ := rt.Compile([]byte(`return {1, 2, "three"}, {name = "x", ok = true}, nil`), "=conv")
		L.Push(fn)
		_ = L.PCall(0, 3, nil)
		for i := -3; i <= -1; i++ {
			fmt.Printf("%#v\n", runtime.ToGo(L.Get(i)))
		}
		L.Pop(3)
		return nil
	})
	// Output:
	// string frame
	// []interface {}{1, 2, "three"}
	// map[string]interface {}{"name":"x", "ok":true}
	// <nil>
}

// Reload swaps changed modules in place: code that looks functions up in
// the module table gets the new ones, a refused reload changes nothing, and
// M.__reload(old) carries state over.
func ExampleRuntime_Reload() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "reload-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "greeter.lua")
	write := func(src string, age time.Duration) {
		_ = os.WriteFile(path, []byte(src), 0o644)
		mt := time.Now().Add(age) // distinct mtimes, whatever the file system
		_ = os.Chtimes(path, mt, mt)
	}
	write(`local M = {calls = 0}
function M.greet() M.calls = M.calls + 1 return "hello" end
return M`, -time.Hour)

	rt := runtime.New(runtime.WithPackagePath(dir))
	defer rt.Close(ctx)
	_ = run(ctx, rt, `greeter = require "greeter"`)
	out, _ := rt.Call(ctx, "greeter.greet")
	fmt.Println(out[0])

	write(`local M = {calls = 0}
function M.__reload(old) M.calls = old.calls end
function M.greet() M.calls = M.calls + 1 return "bonjour #" .. M.calls end
return M`, 0)
	names, err := rt.Reload(ctx)
	fmt.Println(names, err)
	out, _ = rt.Call(ctx, "greeter.greet")
	fmt.Println(out[0])

	write(`local M = {`, time.Hour)
	_, err = rt.Reload(ctx)
	fmt.Println(err != nil)
	out, _ = rt.Call(ctx, "greeter.greet")
	fmt.Println(out[0])

	_, err = rt.Reload(ctx)
	fmt.Println(errors.Is(err, runtime.ErrNothingToReload))
	// Output:
	// hello
	// [greeter] <nil>
	// bonjour #2
	// true
	// bonjour #3
	// false
}

// WithWatchdog(limit, true) stops a task that runs too long without
// blocking (and reports it on Stderr); the rest of the runtime goes on
// serving.
func ExampleWithWatchdog() {
	ctx := context.Background()
	rt := runtime.New(runtime.WithWatchdog(20*time.Millisecond, true), runtime.WithStderr(io.Discard))
	defer rt.Close(ctx)
	_ = run(ctx, rt, `function spin() while true do end end`)
	_, err := rt.Call(ctx, "spin")
	fmt.Println(strings.Contains(err.Error(), "context canceled"))
	out, _ := rt.Call(ctx, "tostring", 1)
	fmt.Println(out[0])
	// Output:
	// true
	// 1
}

// WithMaxTasks bounds the number of live tasks; over the limit Start
// returns nil.
func ExampleWithMaxTasks() {
	ctx := context.Background()
	rt := runtime.New(runtime.WithMaxTasks(1))
	defer rt.Close(ctx)
	release := make(chan struct{})
	first := rt.Start("busy", runtime.Queued, func(t *runtime.Task) error {
		return t.Block(func(context.Context) error { <-release; return nil })
	})
	second := rt.Start("refused", runtime.Queued, func(*runtime.Task) error { return nil })
	fmt.Println(first != nil, second == nil)
	close(release)
	<-first.Done()
	// Output: true true
}

package runtime

import (
	"context"
	"testing"
	"time"
)

// TestOSExecute: 5.4's three results for success, an exit status and a
// signal; the command's output goes to the runtime's stdout.
func TestOSExecute(t *testing.T) {
	rt, out := newTestRuntime(t)
	rt.RunString(`
		print(os.execute())
		print(os.execute('exit 0'))
		print(os.execute('echo from-shell; exit 3'))
		print(os.execute('kill -9 $$'))
		print(select('#', os.execute('true')))
	`, "=main")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := rt.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	want := "true\n" +
		"true\texit\t0\n" +
		"from-shell\n" +
		"nil\texit\t3\n" +
		"nil\tsignal\t9\n" +
		"3\n"
	if got := out.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// TestOSExecuteHoldsTheVM: no other task runs while a command runs, as in
// Lua, lua-eco and silly (a timer due meanwhile fires only after it).
func TestOSExecuteHoldsTheVM(t *testing.T) {
	rt, out := newTestRuntime(t)
	rt.RunString(`
		local rt = require 'rt'
		local ran = false
		rt.fork(function() ran = true end)
		os.execute('sleep 0.2')
		print('other task ran during the command:', ran)
		rt.sleep(0)
		print('other task ran after:', ran)
	`, "=main")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := rt.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	want := "other task ran during the command:\tfalse\nother task ran after:\ttrue\n"
	if got := out.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

package runtime

import (
	"context"
	"testing"
	"time"
)

// TestMainChunkIsMainThread: the main chunk's task thread is Lua 5.4's
// main thread (coroutine.running() returns true, nothing can resume it,
// it cannot yield); other tasks are not main and may yield.
func TestMainChunkIsMainThread(t *testing.T) {
	rt, out := newTestRuntime(t)
	rt.RunString(`
		local co, main = coroutine.running()
		print("main", type(co), main, coroutine.isyieldable(), coroutine.status(co))
		print(coroutine.resume(co))
		print(coroutine.wrap(function() return coroutine.isyieldable(), select(2, coroutine.running()) end)())
		require('rt').run(function()
			print("task", select(2, coroutine.running()), coroutine.isyieldable())
		end)
	`, "=main")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := rt.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	want := "main\tthread\ttrue\tfalse\trunning\n" +
		"false\tcannot resume non-suspended coroutine\n" +
		"true\tfalse\n" +
		"task\tfalse\ttrue\n"
	if got := out.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

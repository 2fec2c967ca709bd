package hive

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/runtime"
)

// TestInvokeFromManyGoroutines drives one main VM from several goroutines
// at once, each call waiting in a bee without the token: run with -race, it
// checks that values cross between the VMs only by copy.
func TestInvokeFromManyGoroutines(t *testing.T) {
	rt := runtime.New(runtime.WithStdout(io.Discard), runtime.WithStderr(io.Discard))
	Register(rt, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	defer func() { _ = rt.Close(ctx) }()

	if _, err := rt.DoString(ctx, `
		local hive = require "silly.hive"
		local slow = [[
			local k = ...
			return function(x, t)
				local stop = os.clock() + 0.02
				while os.clock() < stop do end
				return x * k, t.v .. "!"
			end
		]]
		local bees = {}
		for i = 1, 4 do bees[i] = hive.spawn(slow, 3) end
		function callbee(i)
			return hive.invoke(bees[i % 4 + 1], i, {v = "n" .. i})
		end
		local failing = hive.spawn("return function() error('from the bee') end")
		function callfailing() return hive.invoke(failing) end
	`, "setup"); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := rt.Call(ctx, "callbee", i)
			if err != nil {
				errs <- err
				return
			}
			if got, want := fmt.Sprint(out...), fmt.Sprint(3*i, fmt.Sprintf("n%d!", i)); got != want {
				errs <- fmt.Errorf("callbee(%d) = %s, want %s", i, got, want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, err := rt.Call(ctx, "callfailing"); err == nil || !strings.Contains(err.Error(), "from the bee") {
		t.Fatalf("bee error = %v, want it raised in the caller", err)
	}
}

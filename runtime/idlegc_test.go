package runtime

import (
	"context"
	"testing"
	"time"
)

func TestIdleGCCollectsOnceAfterABurst(t *testing.T) {
	rt := New(WithIdleGC(50 * time.Millisecond))
	defer rt.Close(context.Background())
	ctx := context.Background()
	// A burst: 16 MiB of garbage, then nothing runs.
	if _, err := rt.DoString(ctx, `
		local t = {}
		for i = 1, 4096 do t[i % 16 + 1] = string.rep('x', 4096) .. i end
	`, "=burst"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for rt.IdleCollections() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no idle collection after the burst")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Idle without allocating: no further collections.
	n := rt.IdleCollections()
	time.Sleep(300 * time.Millisecond)
	if got := rt.IdleCollections(); got != n {
		t.Fatalf("collected again while idle without allocation: %d -> %d", n, got)
	}
}

func TestIdleGCLeavesABusyVMAlone(t *testing.T) {
	rt := New(WithIdleGC(100 * time.Millisecond))
	defer rt.Close(context.Background())
	openTestModule(rt)
	done := make(chan error, 1)
	go func() {
		// Allocates all the time and takes the token every millisecond or
		// so: never idle for 100 ms.
		_, err := rt.DoString(context.Background(), `
			local rt = require 'rt'
			local t = {}
			local stop = os.time() + 1
			while os.time() <= stop do
				for i = 1, 64 do t[i] = string.rep('y', 1024) .. i end
				rt.sleep(0.001)
			end
		`, "=busy")
		done <- err
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := rt.IdleCollections(); n != 0 {
		t.Fatalf("%d idle collections while the VM was busy", n)
	}
}

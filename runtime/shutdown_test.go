package runtime

import (
	"context"
	"syscall"
	"testing"
	"time"
)

func TestShutdownRunsHooksThenExits(t *testing.T) {
	rt := New()
	var ran []string
	done := make(chan string, 2)
	rt.OnShutdown(func(ctx context.Context) { done <- "a" })
	remove := rt.OnShutdown(func(ctx context.Context) { done <- "removed" })
	remove()
	rt.OnShutdown(func(ctx context.Context) {
		select {
		case <-rt.Draining():
		default:
			t.Error("Draining not closed while hooks run")
		}
		select {
		case <-rt.Done():
			t.Error("runtime exited before its shutdown hooks returned")
		default:
		}
		done <- "b"
	})
	if err := rt.Shutdown(context.Background(), 7); err != nil {
		t.Fatal(err)
	}
	close(done)
	for s := range done {
		ran = append(ran, s)
	}
	if len(ran) != 2 || ran[0] == "removed" || ran[1] == "removed" {
		t.Fatalf("hooks run: %v", ran)
	}
	if code := rt.ExitCode(); code != 7 {
		t.Fatalf("exit code %d, want 7", code)
	}
}

func TestShutdownBoundedByContext(t *testing.T) {
	rt := New()
	rt.OnShutdown(func(ctx context.Context) { <-ctx.Done() })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := rt.Shutdown(ctx, 0); err == nil {
		t.Fatal("Shutdown with a hook that never finishes returned no error")
	}
	select {
	case <-rt.Done():
	default:
		t.Fatal("runtime did not exit when the shutdown timed out")
	}
}

func TestSignalShutsDownWithinTimeout(t *testing.T) {
	rt := New(WithShutdownTimeout(100 * time.Millisecond))
	rt.OnShutdown(func(ctx context.Context) { <-ctx.Done() })
	rt.Signal(syscall.SIGTERM)
	select {
	case <-rt.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not end the runtime within its shutdown timeout")
	}
	if code := rt.ExitCode(); code != 143 {
		t.Fatalf("exit code %d, want 143", code)
	}
}

func TestTaskErrSeenByOnExit(t *testing.T) {
	rt := New()
	got := make(chan error, 2)
	rt.Start("ok", Queued, func(tk *Task) error {
		tk.OnExit(func() { got <- tk.Err() })
		return nil
	})
	rt.Start("failing", Queued, func(tk *Task) error {
		tk.OnExit(func() { got <- tk.Err() })
		return context.Canceled
	})
	var errs int
	for range 2 {
		select {
		case err := <-got:
			if err != nil {
				errs++
			}
		case <-time.After(5 * time.Second):
			t.Fatal("OnExit hooks did not run")
		}
	}
	if errs != 1 {
		t.Fatalf("OnExit saw %d failed tasks, want 1", errs)
	}
}

func TestServiceMadeOncePerRuntime(t *testing.T) {
	type key struct{}
	a, b := New(), New()
	made := 0
	mk := func() any { made++; return new(int) }
	if a.Service(key{}, mk) != a.Service(key{}, mk) {
		t.Fatal("Service returned two objects for one key")
	}
	if a.Service(key{}, mk) == b.Service(key{}, mk) {
		t.Fatal("two runtimes share one service object")
	}
	if made != 2 {
		t.Fatalf("create ran %d times, want 2", made)
	}
}

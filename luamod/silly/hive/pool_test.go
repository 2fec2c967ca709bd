package hive

import (
	"sync"
	"testing"
	"time"
)

// waitFor polls cond for up to a second.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestPoolGrowsToMaxAndPrunesIdleToMin(t *testing.T) {
	p := newPool(1)
	p.setLimit(2, 3)
	defer p.close()

	release := make(chan struct{})
	var started, finished sync.WaitGroup
	for i := 0; i < 5; i++ {
		started.Add(1)
		finished.Add(1)
		p.push(func() {
			started.Done()
			<-release
			finished.Done()
		})
		if i < 3 {
			started.Wait() // each job is running before the next is pushed
		}
	}
	if got := p.live(); got != 3 {
		t.Fatalf("live threads = %d, want max 3", got)
	}
	close(release)
	finished.Wait()

	waitFor(t, "all threads idle", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, th := range p.threads {
			if !th.idle {
				return false
			}
		}
		return true
	})
	p.prune(time.Now())
	if got := p.live(); got != 3 {
		t.Fatalf("prune retired threads idle for less than %v: live %d", idleTimeout, got)
	}
	p.prune(time.Now().Add(idleTimeout + time.Second))
	if got := p.live(); got != 2 {
		t.Fatalf("after prune live = %d, want min 2", got)
	}
}

func TestPoolRefusesJobsAfterClose(t *testing.T) {
	p := newPool(2)
	done := make(chan struct{})
	if !p.push(func() { close(done) }) {
		t.Fatal("push refused on an open pool")
	}
	<-done
	p.close()
	if p.push(func() {}) {
		t.Fatal("push accepted after close")
	}
	if p.live() != 0 {
		t.Fatal("threads left after close")
	}
}

func TestModuleAllowedInBeeFollowsSilly(t *testing.T) {
	for name, want := range map[string]bool{
		"string":                true,
		"test.aux.c":            true,
		"silly":                 false,
		"silly.time":            false,
		"silly.encoding.json":   true,
		"silly.crypto.hash":     true,
		"silly.adt.queue":       true,
		"sillyx":                false,
		"silly.net.tcp":         false,
		"silly.security.jwt":    true,
		"silly.compress.gzip":   true,
		"silly.perf":            true,
		"silly.store.redis":     false,
		"silly.sync.channel":    false,
		"silly.metrics.c":       false,
		"silly.hive":            false,
		"silly.encodingfoo":     true, // a prefix match, as in silly
		"silly.cryptography.x":  true,
		"silly.adtx.something":  true,
		"silly.signal":          false,
		"silly.task":            false,
		"silly.logger":          false,
		"silly.net.http.server": false,
	} {
		if got := moduleAllowedInBee(name); got != want {
			t.Errorf("moduleAllowedInBee(%q) = %v, want %v", name, got, want)
		}
	}
}

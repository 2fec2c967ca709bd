package silly_test

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/spec/specrun"
)

// startRedis runs a real redis-server (Debian's package, which .ci/run
// installs) on a free port of 127.0.0.1, with no persistence, and stops it
// when the test ends. Without redis-server the test is skipped, except in CI
// (the CI environment variable set), where it fails.
func startRedis(t *testing.T) int {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis-server required in CI (.ci/run installs Debian's redis-server): %v", err)
		}
		t.Skipf("redis-server not installed (apt-get install redis-server): %v", err)
	}
	port := specrun.FreePort(t)
	var out syncbuf.Buffer
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", t.TempDir())
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return port
		}
		select {
		case <-exited:
			t.Fatalf("redis-server exited before listening on %s:\n%s", addr, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server not listening on %s after 10 s:\n%s", addr, out.String())
		}
	}
}

func TestSillyStoreRedis(t *testing.T) {
	port := startRedis(t)
	dead := specrun.FreePort(t) // free a moment ago: connecting is refused
	odd := specrun.FreePort(t)  // the script's own misbehaving server
	specrun.RunToEnd(t, "redis_api.lua", specrun.Options{
		Flags: coreFatal(),
		Args:  []string{strconv.Itoa(port), strconv.Itoa(dead), strconv.Itoa(odd)},
	}, "redis_api ok")
}

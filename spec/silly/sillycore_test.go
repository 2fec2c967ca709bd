package silly_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

func TestSillySingleflight(t *testing.T) {
	specrun.RunToEnd(t, "singleflight.lua", specrun.Options{Flags: coreFatal()}, "singleflight ok")
}

func TestSillyPatch(t *testing.T) {
	specrun.RunToEnd(t, "patch.lua", specrun.Options{Flags: coreFatal()}, "patch ok")
}

func TestSillyTraceHookAndDumps(t *testing.T) {
	res := specrun.RunToEnd(t, "trace.lua", specrun.Options{}, "trace ok")
	if !strings.Contains(res.Stderr, "hooked task fails") {
		t.Fatalf("the failing task's error was not reported:\n%s", res.Stderr)
	}
}

func TestSillySignalC(t *testing.T) {
	specrun.RunToEnd(t, "signal_c.lua", specrun.Options{Flags: coreFatal(), Timeout: 20 * time.Second}, "signal_c ok")
}

func TestSillySignalHandlerKeepsTheProgramAlive(t *testing.T) {
	p := specrun.Start(t, "signal_wait.lua", specrun.Options{Flags: coreFatal(), Timeout: 20 * time.Second})
	p.WaitForOutput("waiting for SIGUSR2", 10*time.Second)
	// Long enough for an idle runtime to have ended.
	time.Sleep(300 * time.Millisecond)
	select {
	case <-p.Done():
		stdout, stderr := p.Output()
		t.Fatalf("ended while its handler waited for a signal: exit %d, stdout %q, stderr %q", p.ExitCode(), stdout, stderr)
	default:
	}
	if err := p.Signal(syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	res, err := p.Wait(10 * time.Second)
	stdout, stderr := p.Output()
	if err != nil || res.ExitCode != 0 || !strings.Contains(stdout, "got SIGUSR2") {
		t.Fatalf("after SIGUSR2: exit %d (%v), stdout %q, stderr %q", res.ExitCode, err, stdout, stderr)
	}
}

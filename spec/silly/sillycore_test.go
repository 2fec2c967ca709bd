package silly_test

import (
	"strings"
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

package eco_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// coreFatal makes any failed assertion in any task end the script with
// exit 1, so that specrun reports the failing line.
func coreFatal() []string { return []string{"--fatal-errors"} }

func TestCoreEcoModule(t *testing.T) {
	specrun.RunToEnd(t, "core_eco.lua", specrun.Options{Flags: coreFatal()}, "core_eco ok")
}

func TestCoreEcoTime(t *testing.T) {
	specrun.RunToEnd(t, "core_time.lua", specrun.Options{Flags: coreFatal()}, "core_time ok")
}

func TestCoreEcoSync(t *testing.T) {
	specrun.RunToEnd(t, "core_sync.lua", specrun.Options{Flags: coreFatal()}, "core_sync ok")
}

func TestCoreEcoChannel(t *testing.T) {
	specrun.RunToEnd(t, "core_channel.lua", specrun.Options{Flags: coreFatal()}, "core_channel ok")
}

func TestCoreEcoBlockingEverywhere(t *testing.T) {
	specrun.RunToEnd(t, "core_blocking.lua", specrun.Options{Flags: coreFatal()}, "core_blocking ok")
}

func TestCoreEcoTenThousandTasks(t *testing.T) {
	specrun.RunToEnd(t, "core_many.lua", specrun.Options{Flags: coreFatal(), Timeout: 60 * time.Second}, "core_many ok")
}

func TestCoreEcoTaskErrorEndsOnlyThatTask(t *testing.T) {
	res := specrun.RunToEnd(t, "core_errors.lua", specrun.Options{}, "done 99")
	if !strings.Contains(res.Stderr, "core_errors.lua:10: task 42 failed") {
		t.Fatalf("stderr does not name the failing line:\n%s", res.Stderr)
	}
	if !strings.Contains(res.Stderr, "stack traceback:") {
		t.Fatalf("stderr has no traceback:\n%s", res.Stderr)
	}
	if n := strings.Count(res.Stderr, "task 42 failed"); n != 1 {
		t.Fatalf("error reported %d times, want once:\n%s", n, res.Stderr)
	}
}

func TestCoreEcoTaskErrorWithFatalErrorsExits1(t *testing.T) {
	res := specrun.Run(t, "core_errors.lua", specrun.Options{Flags: coreFatal(), WantExit: 1, Timeout: 30 * time.Second})
	if strings.Contains(res.Stdout, "done 99") {
		t.Fatalf("--fatal-errors: the script went on after a task error:\n%s", res.Stdout)
	}
}

func TestCoreEcoPanicHook(t *testing.T) {
	res := specrun.RunToEnd(t, "core_panic_hook.lua", specrun.Options{}, "core_panic_hook ok")
	if strings.Contains(res.Stderr, "hooked failure") {
		t.Fatalf("the panic hook did not replace the default report:\n%s", res.Stderr)
	}
}

func TestCoreEcoWatchdog(t *testing.T) {
	res := specrun.RunToEnd(t, "core_watchdog.lua", specrun.Options{Args: []string{"1"}}, "still running")
	if !strings.Contains(res.Stderr, "coroutine execution timeout: run too long(") ||
		!strings.Contains(res.Stderr, "without yielding/dead (>1 ms)") {
		t.Fatalf("watchdog report missing:\n%s", res.Stderr)
	}
	res = specrun.RunToEnd(t, "core_watchdog.lua", specrun.Options{Args: []string{"0"}}, "still running")
	if strings.Contains(res.Stderr, "coroutine execution timeout") {
		t.Fatalf("set_watchdog_timeout(0) did not disable the watchdog:\n%s", res.Stderr)
	}
}

func TestCoreEcoUnloop(t *testing.T) {
	res := specrun.RunToEnd(t, "core_unloop.lua", specrun.Options{Timeout: 10 * time.Second}, "unloop")
	if strings.Contains(res.Stdout, "sleeper woke") {
		t.Fatalf("unloop waited for the sleeper:\n%s", res.Stdout)
	}
}

package silly_test

import (
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// coreFatal makes any failed assertion in any task end the script with
// exit 1, so that specrun reports the failing line.
func coreFatal() []string { return []string{"--fatal-errors"} }

func TestCoreSillyTask(t *testing.T) {
	specrun.RunToEnd(t, "core_task.lua", specrun.Options{Flags: coreFatal()}, "core_task ok")
}

func TestCoreSillyModule(t *testing.T) {
	res := specrun.RunToEnd(t, "core_silly.lua", specrun.Options{Flags: coreFatal()}, "core_silly ok")
	// silly.error: the message, then a traceback, both at ERROR level.
	re := regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [0-9a-f]{16} E \S*core_silly\.lua:\d+ silly\.error message $`)
	if !re.MatchString(res.Stdout) {
		t.Fatalf("silly.error line missing or malformed:\n%s", res.Stdout)
	}
	if !regexp.MustCompile(`(?m) E \S*core_silly\.lua:\d+ stack traceback:$`).MatchString(res.Stdout) {
		t.Fatalf("silly.error traceback missing:\n%s", res.Stdout)
	}
}

func TestCoreSillyExit(t *testing.T) {
	res := specrun.RunToEnd(t, "core_exit.lua", specrun.Options{Timeout: 10 * time.Second}, "first")
	for _, never := range []string{"after exit", "second"} {
		if strings.Contains(res.Stdout, never) {
			t.Fatalf("%q printed after silly.exit:\n%s", never, res.Stdout)
		}
	}
	if !strings.Contains(res.Stdout, "main done") {
		t.Fatalf("the main chunk did not finish before the forked tasks ran:\n%s", res.Stdout)
	}
}

func TestCoreSillyTime(t *testing.T) {
	specrun.RunToEnd(t, "core_time.lua", specrun.Options{Flags: coreFatal()}, "core_time ok")
}

func TestCoreSillySync(t *testing.T) {
	res := specrun.RunToEnd(t, "core_sync.lua", specrun.Options{Flags: coreFatal()}, "core_sync ok")
	if !strings.Contains(res.Stdout, "[waitgroup] fork err:") || !strings.Contains(res.Stdout, "waitgroup task error") {
		t.Fatalf("the waitgroup task error was not logged:\n%s", res.Stdout)
	}
}

func TestCoreSillyBlockingEverywhere(t *testing.T) {
	specrun.RunToEnd(t, "core_blocking.lua", specrun.Options{Flags: coreFatal()}, "core_blocking ok")
}

func TestCoreSillyTenThousandTasks(t *testing.T) {
	specrun.RunToEnd(t, "core_many.lua", specrun.Options{Flags: coreFatal(), Timeout: 60 * time.Second}, "core_many ok")
}

func TestCoreSillyTaskErrorEndsOnlyThatTask(t *testing.T) {
	res := specrun.RunToEnd(t, "core_errors.lua", specrun.Options{}, "done 99")
	re := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [0-9a-f]{16} E \[silly\] task resume \S*core_errors\.lua:13: task 42 failed\nstack traceback:`)
	if !re.MatchString(res.Stderr) {
		t.Fatalf("stderr lacks silly's task error log naming core_errors.lua:13:\n%s", res.Stderr)
	}
	if n := strings.Count(res.Stderr, "task 42 failed"); n != 1 {
		t.Fatalf("error reported %d times, want once:\n%s", n, res.Stderr)
	}
}

func TestCoreSillyEnv(t *testing.T) {
	dir := t.TempDir()
	specrun.RunToEnd(t, "core_env.lua", specrun.Options{
		Flags: coreFatal(),
		Env:   []string{"CORE_TMP=" + dir},
		Args:  []string{"--port=8080", "--a=b=c", "--==x=y", "--empty=", "--novalue", "plain", "-s=1", "--log-level=debug"},
	}, "core_env ok")
}

func TestCoreSillyLogger(t *testing.T) {
	res := specrun.RunToEnd(t, "core_logger.lua", specrun.Options{Flags: coreFatal()}, "core_logger ok")
	head := `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 0{16} `
	want := []string{
		`I \S*core_logger\.lua:14 info 1 1\.5 true nil \{a="s"\} `,
		`W \S*core_logger\.lua:15 warn line `,
		`E \S*core_logger\.lua:16 error line `,
		`I \S*core_logger\.lua:17 x=7  y=z  100%`,
		`D \S*core_logger\.lua:19 shown debug `,
		`D \S*core_logger\.lua:20 df v `,
		`E \S*core_logger\.lua:25 still error `,
	}
	lines := strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n")
	if len(lines) != len(want)+1 {
		t.Fatalf("got %d lines, want %d (hidden levels must print nothing):\n%s", len(lines), len(want)+1, res.Stdout)
	}
	for i, w := range want {
		if !regexp.MustCompile("^" + head + w + "$").MatchString(lines[i]) {
			t.Errorf("line %d = %q, want match for %q", i+1, lines[i], w)
		}
	}
}

func TestCoreSillyErrno(t *testing.T) {
	specrun.RunToEnd(t, "core_errno.lua", specrun.Options{Flags: coreFatal()}, "core_errno ok")
}

func TestCoreSillySignal(t *testing.T) {
	p := specrun.Start(t, "core_signal.lua", specrun.Options{Timeout: 30 * time.Second})
	p.WaitForOutput("ready", 10*time.Second)
	proc, err := os.FindProcess(p.Pid())
	if err != nil {
		t.Fatal(err)
	}
	if err := proc.Signal(syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	p.WaitForOutput("handler done", 10*time.Second)
	if err := proc.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	res, err := p.Wait(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("exit %d after SIGINT, want 0\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	if !strings.Contains(res.Stdout, "got SIGUSR1") || strings.Contains(res.Stdout, "first handler") {
		t.Fatalf("SIGUSR1 did not reach the replacing handler:\n%s", res.Stdout)
	}
	// silly.signal installs a SIGINT handler of its own when loaded, which
	// exits 0 without logging (only a watched signal with no handler logs
	// "[signal] signum: ... received").
	if strings.Contains(res.Stdout, "SIGINT received") || strings.Contains(res.Stdout, "not reached") {
		t.Fatalf("default SIGINT handling wrong:\n%s", res.Stdout)
	}
}

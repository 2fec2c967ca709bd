package luadiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/runtime"
)

// Oracle is the name of the reference interpreter looked up on $PATH.
const Oracle = "lua5.4"

// stderrMarker separates a program's stdout from its stderr in the
// compared lines, and exitMarker reports a non-zero exit status.
const (
	stderrMarker = "--- stderr ---"
	exitMarker   = "--- exit %d ---"
)

// oraclePrefix is how the lua5.4 command line prefixes the message of an
// uncaught error; golua-ws prints the message alone.
const oraclePrefix = Oracle + ": "

// Output is what one run of a program printed, reduced to the lines the
// harness compares: every stdout line, then (if anything went to stderr)
// stderrMarker and the stderr lines up to the first "stack traceback:"
// (tracebacks name C and Go frames differently in each interpreter and are
// not compared), then exitMarker when the exit status is not zero.
type Output struct {
	Lines []string
}

// normalise builds an Output from raw stdout, stderr and exit status.
// prefix is removed from the start of the stderr line that carries the
// uncaught error's message.
func normalise(stdout, stderr string, exit int, prefix string) Output {
	var lines []string
	if stdout != "" {
		lines = strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	}
	if stderr != "" {
		lines = append(lines, stderrMarker)
		for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
			if l == "stack traceback:" {
				break
			}
			if prefix != "" && strings.HasPrefix(l, prefix) {
				l = strings.TrimPrefix(l, prefix)
			}
			lines = append(lines, l)
		}
	}
	if exit != 0 {
		lines = append(lines, fmt.Sprintf(exitMarker, exit))
	}
	return Output{Lines: lines}
}

// RunOracle runs the Lua program at path (relative to dir) under lua5.4,
// killing it after timeout.
func RunOracle(ctx context.Context, dir, path string, timeout time.Duration) (Output, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, Oracle, path)
	cmd.Dir = dir
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return Output{}, fmt.Errorf("%s %s: still running after %v (killed)", Oracle, path, timeout)
	}
	code := 0
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return Output{}, fmt.Errorf("running %s %s: %w", Oracle, path, err)
		}
		code = exitErr.ExitCode()
	}
	return normalise(stdout.String(), stderr.String(), code, oraclePrefix), nil
}

// RunOurs runs the Lua program at path (relative to the working directory)
// in-process on a golua-ws runtime set up as the golua-ws command sets it
// up (every module registered, the script run as the main task), capturing
// what it writes to stdout and stderr. A program still running after
// timeout is stopped by the runtime's cancelling watchdog and reported as
// an error.
func RunOurs(path string, timeout time.Duration) (Output, error) {
	var stdout, stderr syncbuf.Buffer
	rt := runtime.New(
		runtime.WithStdout(&stdout),
		runtime.WithStderr(&stderr),
		// The corpus never blocks, so time without blocking is the
		// program's whole run time: the watchdog is the timeout.
		runtime.WithWatchdog(timeout, true),
	)
	luamod.Register(rt)
	rt.RunFile(path)
	// The watchdog stops a runaway program after timeout; the extra
	// grace covers its tick and the traceback report.
	ctx, cancel := context.WithTimeout(context.Background(), timeout+5*time.Second)
	defer cancel()
	code, err := rt.Wait(ctx)
	rt.Exit(code)
	closeCtx, closeCancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer closeCancel()
	_ = rt.Close(closeCtx)
	if err != nil {
		return Output{}, fmt.Errorf("golua-ws %s: still running after %v: %w", path, timeout, err)
	}
	if strings.Contains(stderr.String(), "golua-ws: watchdog:") {
		return Output{}, fmt.Errorf("golua-ws %s: still running after %v (stopped by the watchdog)\nstdout:\n%s", path, timeout, stdout.String())
	}
	return normalise(stdout.String(), stderr.String(), code, ""), nil
}

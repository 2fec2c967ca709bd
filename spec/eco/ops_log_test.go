package eco_test

import (
	"os"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// TestEcoLogReachesStderrWithoutSyslog runs a script whose stdout is a pipe
// (not a terminal) on a machine without /dev/log, as in a container: its
// eco.log records must be on stderr, one line each, and not on stdout.
func TestEcoLogReachesStderrWithoutSyslog(t *testing.T) {
	if _, err := os.Stat("/dev/log"); err == nil {
		t.Skip("/dev/log exists: records go to syslog here, as in lua-eco")
	}
	res := specrun.RunToEnd(t, "ops_log_stderr.lua", specrun.Options{Flags: coreFatal()}, "ops_log_stderr done")
	var records []string
	for _, line := range strings.Split(res.Stderr, "\n") {
		if strings.Contains(line, "record") || strings.Contains(line, "not written") {
			records = append(records, line)
		}
	}
	if len(records) != 2 ||
		!strings.Contains(records[0], " info ") || !strings.HasSuffix(records[0], ": container record 42") ||
		!strings.Contains(records[1], " err ") || !strings.HasSuffix(records[1], ": an error record") {
		t.Fatalf("stderr records %q; want the info and err records, in order\nstderr:\n%s", records, res.Stderr)
	}
	if strings.Contains(res.Stdout, "record") {
		t.Errorf("records on stdout too:\n%s", res.Stdout)
	}
}

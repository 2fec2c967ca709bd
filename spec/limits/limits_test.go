// Package limits checks the --max-tasks limit as scripts of both dialects
// see it: starting a task over the limit raises "too many tasks".
package limits

import (
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

func TestMaxTasksRaisesInBothDialects(t *testing.T) {
	res := specrun.Run(t, "limits.lua", specrun.Options{Flags: []string{"--max-tasks", "3"}})
	if !strings.Contains(res.Stdout, "limits ok") {
		t.Fatalf("stdout %q stderr %q", res.Stdout, res.Stderr)
	}
}

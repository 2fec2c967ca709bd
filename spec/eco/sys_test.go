package eco_test

import (
	"testing"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

func TestEcoSys(t *testing.T) {
	specrun.RunToEnd(t, "sys_spec.lua", specrun.Options{Flags: coreFatal()}, "sys_spec ok")
}

// TestEcoShared also runs a second golua-ws process on the same dictionary.
func TestEcoShared(t *testing.T) {
	specrun.RunToEnd(t, "shared_spec.lua", specrun.Options{
		Flags: coreFatal(),
		Args:  []string{specrun.Binary(t)},
	}, "shared_spec ok")
}

func TestEcoSysExecPipes(t *testing.T) {
	specrun.RunToEnd(t, "sys_exec_spec.lua", specrun.Options{Flags: coreFatal()}, "sys_exec_spec ok")
}

package eco_test

import (
	"testing"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// TestCLISpec runs the eco.cli spec script: option forms, defaults and
// every error message parse_args returns.
func TestCLISpec(t *testing.T) {
	specrun.RunToEnd(t, "cli_spec.lua", specrun.Options{Flags: coreFatal()}, "cli_spec ok")
}

package silly_test

import (
	"testing"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

func TestMetricsAPI(t *testing.T) {
	specrun.RunToEnd(t, "metrics_api.lua", specrun.Options{Flags: coreFatal()}, "metrics_api ok")
}

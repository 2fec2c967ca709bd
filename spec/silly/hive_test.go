package silly_test

import (
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

func TestSillyHive(t *testing.T) {
	specrun.RunToEnd(t, "hive.lua", specrun.Options{Flags: coreFatal(), Timeout: 30 * time.Second}, "hive ok")
}

func TestSillyMetricsNetstat(t *testing.T) {
	specrun.RunToEnd(t, "metrics.lua", specrun.Options{Flags: coreFatal(), Timeout: 30 * time.Second}, "metrics ok")
}

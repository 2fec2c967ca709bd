package eco_test

import (
	"testing"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

func TestEcoIOReaderWriterOnRawFds(t *testing.T) {
	specrun.RunToEnd(t, "io_fd.lua", specrun.Options{Flags: coreFatal(), Args: []string{t.TempDir()}}, "io_fd ok")
}

func TestEcoFileModules(t *testing.T) {
	specrun.RunToEnd(t, "file_module.lua", specrun.Options{Flags: coreFatal(), Args: []string{t.TempDir()}}, "file_module ok")
}

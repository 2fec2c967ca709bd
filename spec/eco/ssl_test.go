package eco_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
)

// TestSSLSpec runs the eco.ssl spec script against a self-signed
// certificate: servers and clients, contexts, sendfile, verification and
// the failure paths.
func TestSSLSpec(t *testing.T) {
	dir := t.TempDir()
	cert, key := httpSelfSigned(t, dir)
	otherDir := t.TempDir()
	_, otherKey := httpSelfSigned(t, otherDir)
	data := filepath.Join(dir, "data.txt")
	if err := os.WriteFile(data, []byte("abcdefghij"), 0o600); err != nil {
		t.Fatal(err)
	}
	specrun.RunToEnd(t, "ssl_spec.lua", specrun.Options{
		Flags:   coreFatal(),
		Args:    []string{cert, key, data, otherKey},
		Timeout: 60 * time.Second,
	}, "ssl_spec ok")
}

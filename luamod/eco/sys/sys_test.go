package sys

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLookupPasswd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "passwd")
	data := "# comment\n\nroot:x:0:0:root:/root:/bin/bash\nbroken:line\nsvc:*:101:102::/var/svc:/usr/sbin/nologin\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := lookupPasswd(path, "svc")
	if err != nil || f == nil || f[2] != "101" || f[5] != "/var/svc" || f[6] != "/usr/sbin/nologin" {
		t.Fatalf("svc: %q, %v", f, err)
	}
	if f, err := lookupPasswd(path, "broken"); f != nil || err != nil {
		t.Fatalf("a malformed line matched: %q, %v", f, err)
	}
	if f, err := lookupPasswd(path, "nobody-here"); f != nil || err != nil {
		t.Fatalf("absent user: %q, %v", f, err)
	}
	if _, err := lookupPasswd(filepath.Join(t.TempDir(), "missing"), "root"); err == nil {
		t.Fatal("a missing passwd file is not an error")
	}
}

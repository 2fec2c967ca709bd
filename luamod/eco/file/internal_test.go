package file

import (
	"encoding/binary"
	"errors"
	"testing"
)

func TestDirnameBasenameArePOSIX(t *testing.T) {
	cases := []struct{ in, dir, base string }{
		{"/usr/lib", "/usr", "lib"},
		{"/usr/", "/", "usr"},
		{"usr", ".", "usr"},
		{"/", "/", "/"},
		{"//", "/", "/"},
		{".", ".", "."},
		{"..", ".", ".."},
		{"", ".", "."},
		{"a//b", "a", "b"},
	}
	for _, c := range cases {
		if got := dirname(c.in); got != c.dir {
			t.Errorf("dirname(%q) = %q, want %q", c.in, got, c.dir)
		}
		if got := basename(c.in); got != c.base {
			t.Errorf("basename(%q) = %q, want %q", c.in, got, c.base)
		}
	}
}

func event(wd int32, mask uint32, name string) []byte {
	b := make([]byte, inotifyHeader, inotifyHeader+len(name))
	binary.NativeEndian.PutUint32(b[0:], uint32(wd))
	binary.NativeEndian.PutUint32(b[4:], mask)
	binary.NativeEndian.PutUint32(b[12:], uint32(len(name)))
	return append(b, name...)
}

func TestParseInotify(t *testing.T) {
	buf := append(event(-1, 0x8000, ""), event(3, 0x100, "name\x00\x00\x00\x00")...)
	evs, err := parseInotify(buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].wd != -1 || evs[0].hasName || evs[1].name != "name" || evs[1].mask != 0x100 {
		t.Fatalf("parsed %+v", evs)
	}
	for _, bad := range [][]byte{buf[:15], event(1, 1, "abcdefgh")[:20], append(buf, 0)} {
		if _, err := parseInotify(bad); !errors.Is(err, errInotifyBuffer) {
			t.Errorf("parse of %d bytes = %v, want invalid buffer", len(bad), err)
		}
	}
}

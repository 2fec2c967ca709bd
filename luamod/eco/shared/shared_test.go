package shared

import (
	"path/filepath"
	"syscall"
	"testing"
)

// unmapForTest releases d without the Lua wrapper.
func (d *dict) unmapForTest() error {
	err := syscall.Munmap(d.mem)
	syscall.Close(d.fd)
	return err
}

func TestItemHeaderRoundTripKeepsBitfields(t *testing.T) {
	rec := make([]byte, itemSize)
	want := item{typ: typeStr, dead: true, hash: 0x1fffffff, keyLen: 3, valLen: 70000, expiresAt: -5}
	storeItem(rec, want)
	if got := loadItem(rec); got != want {
		t.Fatalf("loadItem = %+v, want %+v", got, want)
	}
	// lua-eco's bitfield order on little-endian: type in bits 0-1, dead in
	// bit 2, hash above.
	if rec[0]&3 != typeStr || rec[0]&4 == 0 {
		t.Fatalf("first byte %08b does not hold type and dead in the low bits", rec[0])
	}
}

func TestKeyHashIsFoldedFNV1a(t *testing.T) {
	// FNV-1a 32 of "a" is 0xe40c292c; folded to 29 bits.
	if got := keyHash("a"); got != 0xe40c292c&0x1fffffff {
		t.Fatalf("keyHash(a) = %#x", got)
	}
	if keyHash("") == 0 {
		t.Fatal("hash 0 is reserved")
	}
}

func TestMapDictCompactsDeadRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.shm")
	d, err := mapDict(path, true, 2*itemSize+8)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.unmapForTest() }()
	put := func(key string) {
		off := d.used()
		storeItem(d.base()[off:], item{typ: typeBool, hash: keyHash(key), keyLen: len(key), valLen: 1})
		copy(d.base()[off+itemSize:], key)
		d.setUsed(off + itemSize + len(key) + 1)
	}
	put("ab")
	put("cd")
	if !d.del("ab", keyHash("ab")) {
		t.Fatal("del ab")
	}
	d.compact()
	if d.used() != itemSize+3 {
		t.Fatalf("used after compaction = %d", d.used())
	}
	if off, _ := d.find("cd", keyHash("cd")); off != 0 {
		t.Fatalf("cd at %d after compaction", off)
	}
	if _, err := mapDict(path, true, 16); err == nil || err.Error() != "File exists" {
		t.Fatalf("second create: %v", err)
	}
}

// Package shared provides lua-eco's "eco.shared": dictionaries of string
// keys and boolean, number or string values that several processes share
// through a file under /dev/shm mapped with MAP_SHARED and locked with
// flock, with per-key expiry.
//
// The file layout is lua-eco's (a 16-byte header, then records appended
// one after another: a 24-byte item header, the key, the value; deleted
// and expired records are compacted away when a set runs out of room), so
// a golua-ws process and a lua-eco process on the same machine can share
// one dictionary. Expiry times are CLOCK_MONOTONIC milliseconds, which
// every process of the machine shares.
package shared

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strings"
	"syscall"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

const dictTypeName = "struct eco_shared_dict *"

// Layout constants of lua-eco's shared.c on 64-bit Linux.
const (
	magic      = 0x45434f2d534844 // "ECO-SHD"
	headerSize = 16               // magic u64, used length u64
	itemSize   = 24               // bits u32, key_len u32, val_len u32, pad, expires_at i64
	maxPath    = 256              // the C path buffer, NUL included
)

// Value types stored in an item header's low two bits.
const (
	typeBool = 0
	typeNum  = 1
	typeStr  = 2
)

// Register makes "eco.shared" available to require.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("eco.shared", open)
}

func open(L *lua.LState) int {
	mt := L.NewTypeMetatable(dictTypeName)
	methods := L.NewTable()
	L.SetFuncs(methods, map[string]lua.LGFunction{
		"set":       dictSet,
		"get":       dictGet,
		"del":       dictDel,
		"incr":      dictIncr,
		"ttl":       dictTTL,
		"expire":    dictExpire,
		"flush_all": dictFlushAll,
		"get_keys":  dictGetKeys,
		"close":     dictClose,
	})
	mt.RawSetString("__index", methods)
	mt.RawSetString("__close", methods.RawGetString("close"))
	mt.RawSetString("__name", lua.LString(dictTypeName))
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"new": sharedNew,
		"get": sharedGet,
	})
	L.Push(mod)
	return 1
}

// dict is an open dictionary: the mapping, and the file's descriptor for
// flock. The owner (the creator) removes the file when it closes.
type dict struct {
	mem   []byte
	fd    int
	path  string
	owner bool
}

func nowMs() int64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return ts.Sec*1000 + ts.Nsec/1e6
}

func pushErr(L *lua.LState, msg string) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(msg))
	return 2
}

// sharedNew is shared.new(name, size): a new dictionary with room for size
// bytes of records, or nil, err (the name exists, is invalid or too long).
func sharedNew(L *lua.LState) int {
	name := luaarg.CheckString(L, 1, "new")
	size := luaarg.CheckInteger(L, 2, "new")
	if size <= 0 || size > math.MaxInt32 {
		luaarg.Error(L, 2, "new", "size must be great than 0")
	}
	return openDict(L, name, true, int(size))
}

// sharedGet is shared.get(name): the existing dictionary, or nil, err.
func sharedGet(L *lua.LState) int {
	name := luaarg.CheckString(L, 1, "get")
	return openDict(L, name, false, 0)
}

func openDict(L *lua.LState, name string, create bool, size int) int {
	if strings.Contains(name, "/") {
		return pushErr(L, "invalid name")
	}
	path := "/dev/shm/eco-shared-" + name + ".shm"
	if len(path) >= maxPath {
		return pushErr(L, "name too long")
	}
	d, err := mapDict(path, create, size)
	if err != nil {
		return pushErr(L, err.Error())
	}
	ud := L.NewUserData()
	ud.Value = d
	L.SetMetatable(ud, L.GetTypeMetatable(dictTypeName))
	L.Push(ud)
	return 1
}

// mapDict opens (or creates) and maps the file. Its errors are the texts
// lua-eco returns.
func mapDict(path string, create bool, size int) (d *dict, err error) {
	flags := syscall.O_RDWR | syscall.O_CLOEXEC
	if create {
		flags |= syscall.O_CREAT | syscall.O_EXCL
	}
	fd, err := syscall.Open(path, flags, 0o666)
	if err != nil {
		return nil, fmt.Errorf("%s", fdio.Strerror(err))
	}
	if err := syscall.Flock(fd, syscall.LOCK_EX); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("%s", fdio.Strerror(err))
	}
	defer func() {
		if err != nil {
			syscall.Close(fd)
			if create {
				os.Remove(path)
			}
			return
		}
		_ = syscall.Flock(fd, syscall.LOCK_UN)
	}()
	if create {
		if err := syscall.Ftruncate(fd, int64(headerSize+size)); err != nil {
			return nil, fmt.Errorf("%s", fdio.Strerror(err))
		}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, fmt.Errorf("%s", fdio.Strerror(err))
	}
	if st.Size < headerSize {
		return nil, fmt.Errorf("invalid shared memory file")
	}
	mem, err := syscall.Mmap(fd, 0, int(st.Size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("%s", fdio.Strerror(err))
	}
	if create {
		clear(mem)
		binary.LittleEndian.PutUint64(mem[0:], magic)
	} else if binary.LittleEndian.Uint64(mem[0:]) != magic {
		_ = syscall.Munmap(mem)
		return nil, fmt.Errorf("invalid shared memory header")
	}
	return &dict{mem: mem, fd: fd, path: path, owner: create}, nil
}

// item is a decoded record header.
type item struct {
	typ       int
	dead      bool
	hash      uint32
	keyLen    int
	valLen    int
	expiresAt int64
}

func (it item) size() int { return itemSize + it.keyLen + it.valLen }

func (it item) isDead(now int64) bool {
	return it.dead || (it.expiresAt > 0 && now > it.expiresAt)
}

func (d *dict) used() int          { return int(binary.LittleEndian.Uint64(d.mem[8:])) }
func (d *dict) setUsed(n int)      { binary.LittleEndian.PutUint64(d.mem[8:], uint64(n)) }
func (d *dict) base() []byte       { return d.mem[headerSize:] }
func (d *dict) capacity() int      { return len(d.mem) - headerSize }
func (d *dict) lock(how int) error { return syscall.Flock(d.fd, how) }
func (d *dict) unlock()            { _ = syscall.Flock(d.fd, syscall.LOCK_UN) }

// acquire takes the lock for a method of an open dict (how is LOCK_SH or
// LOCK_EX) and returns "" or the method's error text: "closed" once
// closed, else the flock errno's. The caller defers unlock on "".
func (d *dict) acquire(how int) string {
	if d.mem == nil {
		return errClosed
	}
	if err := d.lock(how); err != nil {
		return fdio.Strerror(err)
	}
	return ""
}

func loadItem(rec []byte) item {
	bits := binary.LittleEndian.Uint32(rec[0:])
	return item{
		typ:       int(bits & 3),
		dead:      bits&4 != 0,
		hash:      bits >> 3,
		keyLen:    int(binary.LittleEndian.Uint32(rec[4:])),
		valLen:    int(binary.LittleEndian.Uint32(rec[8:])),
		expiresAt: int64(binary.LittleEndian.Uint64(rec[16:])),
	}
}

func storeItem(rec []byte, it item) {
	bits := uint32(it.typ&3) | it.hash<<3
	if it.dead {
		bits |= 4
	}
	binary.LittleEndian.PutUint32(rec[0:], bits)
	binary.LittleEndian.PutUint32(rec[4:], uint32(it.keyLen))
	binary.LittleEndian.PutUint32(rec[8:], uint32(it.valLen))
	binary.LittleEndian.PutUint32(rec[12:], 0)
	binary.LittleEndian.PutUint64(rec[16:], uint64(it.expiresAt))
}

// keyHash is FNV-1a folded to the 29 bits of the header; 0 is reserved.
func keyHash(key string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	h &= 0x1fffffff
	if h == 0 {
		h = 1
	}
	return h
}

// find returns the offset of key's live record, or -1.
func (d *dict) find(key string, hash uint32) (int, item) {
	base, used, now := d.base(), d.used(), nowMs()
	for off := 0; off < used; {
		it := loadItem(base[off:])
		if !it.isDead(now) && it.keyLen == len(key) && it.hash == hash &&
			string(base[off+itemSize:off+itemSize+it.keyLen]) == key {
			return off, it
		}
		off += it.size()
	}
	return -1, item{}
}

// compact moves the live records together, dropping deleted and expired
// ones.
func (d *dict) compact() {
	base, used, now := d.base(), d.used(), nowMs()
	dst := 0
	for src := 0; src < used; {
		it := loadItem(base[src:])
		n := it.size()
		if !it.isDead(now) {
			copy(base[dst:], base[src:src+n])
			dst += n
		}
		src += n
	}
	d.setUsed(dst)
}

func (d *dict) del(key string, hash uint32) bool {
	off, it := d.find(key, hash)
	if off < 0 {
		return false
	}
	it.dead = true
	storeItem(d.base()[off:], it)
	return true
}

func expiry(exptime float64) int64 {
	if exptime > 0 {
		return nowMs() + int64(exptime*1000)
	}
	return 0
}

// checkDict returns the receiver or raises lua-eco's bad-self error.
func checkDict(L *lua.LState, method string) *dict {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if d, ok := ud.Value.(*dict); ok {
			return d
		}
	}
	luaarg.Method(method).TypeError(L, 1, dictTypeName)
	return nil
}

// optExptime reads an optional finite expiry argument.
func optExptime(L *lua.LState, n int, method string) (float64, bool) {
	if L.Get(n) == lua.LNil {
		return 0, false
	}
	v := luaarg.GoFloats.CheckNumber(L, n, method)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		luaarg.Method(method).Error(L, n, "exptime must be finite")
	}
	return v, true
}

func checkKey(L *lua.LState, method string) string {
	return luaarg.Method(method).CheckString(L, 2)
}

const errClosed = "closed"

// dictSet is d:set(key, value, [exptime]): true, or nil, err ('no memory'
// when the record does not fit even after compaction).
func dictSet(L *lua.LState) int {
	d := checkDict(L, "set")
	key := checkKey(L, "set")
	if key == "" {
		luaarg.Method("set").Error(L, 2, "invalid key")
	}
	exptime, _ := optExptime(L, 4, "set")
	var typ int
	var val []byte
	switch v := L.Get(3).(type) {
	case lua.LBool:
		typ, val = typeBool, []byte{0}
		if v {
			val[0] = 1
		}
	case lua.LNumber:
		typ, val = typeNum, binary.LittleEndian.AppendUint64(nil, math.Float64bits(float64(v)))
	case lua.LString:
		typ, val = typeStr, []byte(v)
	default:
		return pushErr(L, "bad value type (only string/number/boolean)")
	}
	if e := d.acquire(syscall.LOCK_EX); e != "" {
		return pushErr(L, e)
	}
	defer d.unlock()
	n := itemSize + len(key) + len(val)
	if d.used()+n > d.capacity() {
		d.compact()
		if d.used()+n > d.capacity() {
			return pushErr(L, "no memory")
		}
	}
	hash := keyHash(key)
	d.del(key, hash)
	off := d.used()
	rec := d.base()[off:]
	storeItem(rec, item{typ: typ, hash: hash, keyLen: len(key), valLen: len(val), expiresAt: expiry(exptime)})
	copy(rec[itemSize:], key)
	copy(rec[itemSize+len(key):], val)
	d.setUsed(off + n)
	L.Push(lua.LTrue)
	return 1
}

// dictGet is d:get(key): the value, or nothing if key is absent or expired.
func dictGet(L *lua.LState) int {
	d := checkDict(L, "get")
	key := checkKey(L, "get")
	if e := d.acquire(syscall.LOCK_SH); e != "" {
		return pushErr(L, e)
	}
	defer d.unlock()
	off, it := d.find(key, keyHash(key))
	if off < 0 {
		return 0
	}
	val := d.base()[off+itemSize+it.keyLen : off+it.size()]
	switch it.typ {
	case typeBool:
		L.Push(lua.LBool(val[0] != 0))
	case typeNum:
		L.Push(lua.LNumber(math.Float64frombits(binary.LittleEndian.Uint64(val))))
	case typeStr:
		L.Push(lua.LString(val))
	default:
		L.Push(lua.LNil)
	}
	return 1
}

// dictDel is d:del(key): whether the key existed.
func dictDel(L *lua.LState) int {
	d := checkDict(L, "del")
	key := checkKey(L, "del")
	if e := d.acquire(syscall.LOCK_EX); e != "" {
		return pushErr(L, e)
	}
	defer d.unlock()
	L.Push(lua.LBool(d.del(key, keyHash(key))))
	return 1
}

// dictIncr is d:incr(key, delta, [exptime]): the new number; nothing if
// the key is absent; nil, 'not a number' if it holds something else. An
// exptime replaces the key's expiry; without one the expiry stays.
func dictIncr(L *lua.LState) int {
	d := checkDict(L, "incr")
	key := checkKey(L, "incr")
	delta := luaarg.GoFloats.CheckNumber(L, 3, "incr")
	if math.IsNaN(delta) || math.IsInf(delta, 0) {
		luaarg.Method("incr").Error(L, 3, "delta must be finite")
	}
	exptime, hasExp := optExptime(L, 4, "incr")
	if e := d.acquire(syscall.LOCK_EX); e != "" {
		return pushErr(L, e)
	}
	defer d.unlock()
	off, it := d.find(key, keyHash(key))
	if off < 0 {
		return 0
	}
	if it.typ != typeNum {
		return pushErr(L, "not a number")
	}
	if it.valLen != 8 {
		return pushErr(L, "corrupted number value")
	}
	rec := d.base()[off:]
	val := rec[itemSize+it.keyLen:]
	n := math.Float64frombits(binary.LittleEndian.Uint64(val)) + delta
	binary.LittleEndian.PutUint64(val, math.Float64bits(n))
	if hasExp {
		it.expiresAt = expiry(exptime)
		storeItem(rec, it)
	}
	L.Push(lua.LNumber(n))
	return 1
}

// dictTTL is d:ttl(key): seconds left, 0 for a key without expiry, nothing
// for an absent key.
func dictTTL(L *lua.LState) int {
	d := checkDict(L, "ttl")
	key := checkKey(L, "ttl")
	if e := d.acquire(syscall.LOCK_SH); e != "" {
		return pushErr(L, e)
	}
	defer d.unlock()
	off, it := d.find(key, keyHash(key))
	if off < 0 {
		return 0
	}
	left := float64(it.expiresAt-nowMs()) / 1000
	if left < 0 {
		left = 0
	}
	L.Push(lua.LNumber(left))
	return 1
}

// dictExpire is d:expire(key, exptime): a positive exptime sets the expiry,
// else it is cleared; true, or nothing if the key is absent.
func dictExpire(L *lua.LState) int {
	d := checkDict(L, "expire")
	key := checkKey(L, "expire")
	exptime := luaarg.GoFloats.CheckNumber(L, 3, "expire")
	if math.IsNaN(exptime) || math.IsInf(exptime, 0) {
		luaarg.Method("expire").Error(L, 3, "exptime must be finite")
	}
	if e := d.acquire(syscall.LOCK_EX); e != "" {
		return pushErr(L, e)
	}
	defer d.unlock()
	off, it := d.find(key, keyHash(key))
	if off < 0 {
		return 0
	}
	it.expiresAt = expiry(exptime)
	storeItem(d.base()[off:], it)
	L.Push(lua.LTrue)
	return 1
}

func dictFlushAll(L *lua.LState) int {
	d := checkDict(L, "flush_all")
	if e := d.acquire(syscall.LOCK_EX); e != "" {
		return pushErr(L, e)
	}
	defer d.unlock()
	d.setUsed(0)
	return 0
}

// dictGetKeys is d:get_keys(): the live keys, in insertion order.
func dictGetKeys(L *lua.LState) int {
	d := checkDict(L, "get_keys")
	t := L.NewTable()
	if d.mem == nil {
		L.Push(t)
		return 1
	}
	if err := d.lock(syscall.LOCK_SH); err != nil {
		return pushErr(L, fdio.Strerror(err))
	}
	defer d.unlock()
	base, used, now := d.base(), d.used(), nowMs()
	for off := 0; off < used; {
		it := loadItem(base[off:])
		if !it.isDead(now) {
			t.Append(lua.LString(base[off+itemSize : off+itemSize+it.keyLen]))
		}
		off += it.size()
	}
	L.Push(t)
	return 1
}

// dictClose unmaps and closes the dictionary; the owner also removes the
// file, so that later shared.get calls fail while open handles go on
// working. Idempotent.
func dictClose(L *lua.LState) int {
	d := checkDict(L, "close")
	if d.mem != nil {
		_ = syscall.Munmap(d.mem)
		d.mem = nil
	}
	if d.fd >= 0 {
		syscall.Close(d.fd)
		d.fd = -1
	}
	if d.owner {
		os.Remove(d.path)
		d.owner = false
	}
	return 0
}

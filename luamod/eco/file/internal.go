package file

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// module is the per-runtime state of the two modules.
type module struct {
	rt  *runtime.Runtime
	fds *fdio.Table
}

// Register makes "eco.internal.file" and "eco.file" available to require
// in rt.
func Register(rt *runtime.Runtime) {
	m := &module{rt: rt, fds: fdio.TableOf(rt)}
	rt.RegisterModule("eco.internal.file", m.openInternal)
	rt.RegisterModule("eco.file", m.openFile)
}

// constants returns file.c's constants, with Linux's values.
func constants() map[string]int {
	return map[string]int{
		"O_RDONLY": unix.O_RDONLY, "O_WRONLY": unix.O_WRONLY, "O_RDWR": unix.O_RDWR,
		"O_APPEND": unix.O_APPEND, "O_CLOEXEC": unix.O_CLOEXEC, "O_CREAT": unix.O_CREAT,
		"O_EXCL": unix.O_EXCL, "O_NOCTTY": unix.O_NOCTTY, "O_NONBLOCK": unix.O_NONBLOCK,
		"O_TRUNC": unix.O_TRUNC,

		"S_IRWXU": unix.S_IRWXU, "S_IRUSR": unix.S_IRUSR, "S_IWUSR": unix.S_IWUSR, "S_IXUSR": unix.S_IXUSR,
		"S_IRWXG": unix.S_IRWXG, "S_IRGRP": unix.S_IRGRP, "S_IWGRP": unix.S_IWGRP, "S_IXGRP": unix.S_IXGRP,
		"S_IRWXO": unix.S_IRWXO, "S_IROTH": unix.S_IROTH, "S_IWOTH": unix.S_IWOTH, "S_IXOTH": unix.S_IXOTH,
		"S_ISUID": unix.S_ISUID, "S_ISGID": unix.S_ISGID, "S_ISVTX": unix.S_ISVTX,

		"SEEK_SET": unix.SEEK_SET, "SEEK_CUR": unix.SEEK_CUR, "SEEK_END": unix.SEEK_END,

		"LOCK_SH": unix.LOCK_SH, "LOCK_EX": unix.LOCK_EX, "LOCK_UN": unix.LOCK_UN,

		"IN_ACCESS": unix.IN_ACCESS, "IN_MODIFY": unix.IN_MODIFY, "IN_ATTRIB": unix.IN_ATTRIB,
		"IN_CLOSE_WRITE": unix.IN_CLOSE_WRITE, "IN_CLOSE_NOWRITE": unix.IN_CLOSE_NOWRITE,
		"IN_CLOSE": unix.IN_CLOSE, "IN_OPEN": unix.IN_OPEN, "IN_MOVED_FROM": unix.IN_MOVED_FROM,
		"IN_MOVED_TO": unix.IN_MOVED_TO, "IN_MOVE": unix.IN_MOVE, "IN_CREATE": unix.IN_CREATE,
		"IN_DELETE": unix.IN_DELETE, "IN_DELETE_SELF": unix.IN_DELETE_SELF,
		"IN_MOVE_SELF": unix.IN_MOVE_SELF, "IN_ALL_EVENTS": unix.IN_ALL_EVENTS, "IN_ISDIR": unix.IN_ISDIR,
	}
}

func (m *module) openInternal(L *lua.LState) int {
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"sync":                m.lSync,
		"mkdir":               lMkdir,
		"open":                m.lOpen,
		"close":               m.lClose,
		"lseek":               lLseek,
		"access":              lAccess,
		"readlink":            lReadlink,
		"stat":                lStat,
		"fstat":               lFstat,
		"statvfs":             lStatvfs,
		"chown":               lChown,
		"dirname":             lDirname,
		"basename":            lBasename,
		"flock":               lFlock,
		"dir":                 lDir,
		"inotify_init":        m.lInotifyInit,
		"inotify_add_watch":   lInotifyAddWatch,
		"inotify_rm_watch":    lInotifyRmWatch,
		"inotify_parse_event": lInotifyParseEvent,
	})
	for name, v := range constants() {
		mod.RawSetString(name, lua.LNumber(v))
	}
	L.Push(mod)
	return 1
}

// pushErr pushes lua-eco's nil, strerror(errno).
func pushErr(L *lua.LState, err error) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(fdio.Strerror(err)))
	return 2
}

func pushTrue(L *lua.LState) int {
	L.Push(lua.LTrue)
	return 1
}

func checkInt(L *lua.LState, n int, fname string) int {
	return int(luaarg.GoFloats.CheckInteger(L, n, fname))
}

// optInt is luaL_optinteger.
func optInt(L *lua.LState, n int, fname string, def int) int {
	if L.Get(n) == lua.LNil {
		return def
	}
	return checkInt(L, n, fname)
}

// lSync is sync(): flushing every filesystem can take seconds, so it runs
// with the token released.
func (m *module) lSync(L *lua.LState) int {
	_ = m.rt.MustTask(L).Block(func(context.Context) error {
		unix.Sync()
		return nil
	})
	return 0
}

func lMkdir(L *lua.LState) int {
	path := luaarg.CheckString(L, 1, "mkdir")
	mode := optInt(L, 2, "mkdir", 0o777)
	if mode < 0 {
		luaarg.Error(L, 2, "mkdir", "invalid mode")
	}
	if err := unix.Mkdir(path, uint32(mode)); err != nil {
		return pushErr(L, err)
	}
	return pushTrue(L)
}

// lOpen is open(path[, flags[, mode]]): the new fd, adopted by the
// runtime's fd table so that it is closed when the runtime ends.
func (m *module) lOpen(L *lua.LState) int {
	path := luaarg.CheckString(L, 1, "open")
	flags := optInt(L, 2, "open", unix.O_RDONLY)
	mode := optInt(L, 3, "open", 0)
	fd, err := m.open(L, path, flags, uint32(mode))
	if err != nil {
		return pushErr(L, err)
	}
	if err := m.fds.Adopt(fd); err != nil {
		_ = unix.Close(fd)
		return pushErr(L, err)
	}
	L.Push(lua.LNumber(fd))
	return 1
}

// open is open(2). Opening a FIFO without O_NONBLOCK waits for the other
// end, so that open runs with the token released; if the runtime ends
// first, the open is left to finish on its goroutine, which closes the fd.
// Anything else opens at once.
func (m *module) open(L *lua.LState, path string, flags int, mode uint32) (int, error) {
	var st unix.Stat_t
	if flags&unix.O_NONBLOCK != 0 || unix.Stat(path, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFIFO {
		return unix.Open(path, flags, mode)
	}
	type result struct {
		fd  int
		err error
	}
	var res result
	err := m.rt.MustTask(L).Block(func(ctx context.Context) error {
		done := make(chan result, 1)
		go func() {
			fd, err := unix.Open(path, flags, mode)
			done <- result{fd, err}
		}()
		select {
		case res = <-done:
			return nil
		case <-ctx.Done():
			go func() {
				if r := <-done; r.err == nil {
					_ = unix.Close(r.fd)
				}
			}()
			return ctx.Err()
		}
	})
	if err != nil {
		return -1, err
	}
	return res.fd, res.err
}

// lClose is close(fd): close(2) on any fd, through the fd table so that a
// wait on the fd ends and the table forgets it.
func (m *module) lClose(L *lua.LState) int {
	if err := m.fds.Close(checkInt(L, 1, "close")); err != nil {
		return pushErr(L, err)
	}
	return pushTrue(L)
}

func lLseek(L *lua.LState) int {
	fd := checkInt(L, 1, "lseek")
	offset := luaarg.GoFloats.CheckInteger(L, 2, "lseek")
	whence := checkInt(L, 3, "lseek")
	off, err := unix.Seek(fd, offset, whence)
	if err != nil {
		return pushErr(L, err)
	}
	L.Push(lua.LNumber(off))
	return 1
}

// lAccess is access(path[, mode]): mode holds 'r', 'w' or 'x'; like
// file.c only the strongest of them is checked (x, else w, else r).
func lAccess(L *lua.LState) int {
	path := luaarg.CheckString(L, 1, "access")
	how := uint32(unix.F_OK)
	if s, ok := L.Get(2).(lua.LString); ok {
		switch mode := string(s); {
		case strings.Contains(mode, "x"):
			how |= unix.X_OK
		case strings.Contains(mode, "w"):
			how |= unix.W_OK
		case strings.Contains(mode, "r"):
			how |= unix.R_OK
		}
	}
	L.Push(lua.LBool(unix.Access(path, how) == nil))
	return 1
}

func lReadlink(L *lua.LState) int {
	target, err := os.Readlink(luaarg.CheckString(L, 1, "readlink"))
	if err != nil {
		return pushErr(L, err)
	}
	L.Push(lua.LString(target))
	return 1
}

// statTable is file.c's stat table.
func statTable(L *lua.LState, st *unix.Stat_t) *lua.LTable {
	t := L.CreateTable(0, 10)
	var typ string
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFBLK:
		typ = "BLK"
	case unix.S_IFCHR:
		typ = "CHR"
	case unix.S_IFDIR:
		typ = "DIR"
	case unix.S_IFIFO:
		typ = "FIFO"
	case unix.S_IFLNK:
		typ = "LNK"
	case unix.S_IFREG:
		typ = "REG"
	case unix.S_IFSOCK:
		typ = "SOCK"
	}
	t.RawSetString("type", lua.LString(typ))
	t.RawSetString("mode", lua.LNumber(st.Mode&0o777))
	t.RawSetString("atime", lua.LNumber(st.Atim.Sec))
	t.RawSetString("mtime", lua.LNumber(st.Mtim.Sec))
	t.RawSetString("ctime", lua.LNumber(st.Ctim.Sec))
	t.RawSetString("nlink", lua.LNumber(st.Nlink))
	t.RawSetString("uid", lua.LNumber(st.Uid))
	t.RawSetString("gid", lua.LNumber(st.Gid))
	t.RawSetString("size", lua.LNumber(st.Size))
	t.RawSetString("ino", lua.LNumber(st.Ino))
	return t
}

func lStat(L *lua.LState) int {
	var st unix.Stat_t
	if err := unix.Stat(luaarg.CheckString(L, 1, "stat"), &st); err != nil {
		return pushErr(L, err)
	}
	L.Push(statTable(L, &st))
	return 1
}

func lFstat(L *lua.LState) int {
	var st unix.Stat_t
	if err := unix.Fstat(checkInt(L, 1, "fstat"), &st); err != nil {
		return pushErr(L, err)
	}
	L.Push(statTable(L, &st))
	return 1
}

// lStatvfs is statvfs(path): total, available and used space in KiB.
func lStatvfs(L *lua.LState) int {
	var s unix.Statfs_t
	if err := unix.Statfs(luaarg.CheckString(L, 1, "statvfs"), &s); err != nil {
		return pushErr(L, err)
	}
	frsize := float64(s.Frsize)
	if frsize == 0 {
		frsize = float64(s.Bsize)
	}
	L.Push(lua.LNumber(float64(s.Blocks) * frsize / 1024))
	L.Push(lua.LNumber(float64(s.Bavail) * frsize / 1024))
	L.Push(lua.LNumber(float64(s.Blocks-s.Bfree) * frsize / 1024))
	return 3
}

// lChown is chown(path[, uid[, gid]]): an id that is not a number is left
// unchanged.
func lChown(L *lua.LState) int {
	path := luaarg.CheckString(L, 1, "chown")
	id := func(n int) int {
		if v, ok := luaarg.GoFloats.ToNumber(L.Get(n)); ok {
			return int(v)
		}
		return -1
	}
	if err := unix.Chown(path, id(2), id(3)); err != nil {
		return pushErr(L, err)
	}
	return pushTrue(L)
}

func lDirname(L *lua.LState) int {
	L.Push(lua.LString(dirname(luaarg.CheckString(L, 1, "dirname"))))
	return 1
}

func lBasename(L *lua.LState) int {
	L.Push(lua.LString(basename(luaarg.CheckString(L, 1, "basename"))))
	return 1
}

// dirname is POSIX dirname(3): trailing slashes do not count, "." for a
// path without a slash, "/" for the root.
func dirname(p string) string {
	p = trimSlashes(p)
	i := strings.LastIndexByte(p, '/')
	switch {
	case p == "/":
		return "/"
	case i < 0:
		return "."
	}
	if d := trimSlashes(p[:i]); d != "" {
		return d
	}
	return "/"
}

// basename is POSIX basename(3): the last component, trailing slashes
// ignored; "." for an empty path, "/" for the root.
func basename(p string) string {
	if p == "" {
		return "."
	}
	p = trimSlashes(p)
	if p == "/" {
		return "/"
	}
	return p[strings.LastIndexByte(p, '/')+1:]
}

// trimSlashes drops trailing slashes, keeping one if the path is all
// slashes.
func trimSlashes(p string) string {
	t := strings.TrimRight(p, "/")
	if t == "" && p != "" {
		return "/"
	}
	return t
}

// lFlock is flock(fd, operation): never blocks (LOCK_NB is added); on
// failure it returns nil and the errno as a number, as file.c does.
func lFlock(L *lua.LState) int {
	fd := checkInt(L, 1, "flock")
	op := checkInt(L, 2, "flock")
	if err := unix.Flock(fd, op|unix.LOCK_NB); err != nil {
		var errno unix.Errno
		if !errors.As(err, &errno) {
			errno = unix.EINVAL
		}
		L.Push(lua.LNil)
		L.Push(lua.LNumber(errno))
		return 2
	}
	return pushTrue(L)
}

// lDir is dir(path): an iterator over the entries of path other than "."
// and "..", giving the name and the stat table of each (of the link itself
// for a dangling symlink). A path that cannot be opened gives no entries.
// The names are read at once, so a loop left early holds no fd open.
func lDir(L *lua.LState) int {
	path := luaarg.CheckString(L, 1, "dir")
	var names []string
	if d, err := os.Open(path); err == nil {
		names, _ = d.Readdirnames(-1)
		_ = d.Close()
	}
	next := 0
	iter := func(L *lua.LState) int {
		for next < len(names) {
			name := names[next]
			next++
			full := path + "/" + name
			var st unix.Stat_t
			if unix.Stat(full, &st) != nil && unix.Lstat(full, &st) != nil {
				continue
			}
			L.Push(lua.LString(name))
			L.Push(statTable(L, &st))
			return 2
		}
		return 0
	}
	L.Push(L.NewFunction(iter))
	return 1
}

func (m *module) lInotifyInit(L *lua.LState) int {
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		return pushErr(L, err)
	}
	if err := m.fds.Adopt(fd); err != nil {
		_ = unix.Close(fd)
		return pushErr(L, err)
	}
	L.Push(lua.LNumber(fd))
	return 1
}

func lInotifyAddWatch(L *lua.LState) int {
	fd := checkInt(L, 1, "inotify_add_watch")
	path := luaarg.CheckString(L, 2, "inotify_add_watch")
	mask := luaarg.GoFloats.CheckInteger(L, 3, "inotify_add_watch")
	wd, err := unix.InotifyAddWatch(fd, path, uint32(mask))
	if err != nil {
		return pushErr(L, err)
	}
	L.Push(lua.LNumber(wd))
	return 1
}

func lInotifyRmWatch(L *lua.LState) int {
	fd := checkInt(L, 1, "inotify_rm_watch")
	wd := checkInt(L, 2, "inotify_rm_watch")
	if _, err := unix.InotifyRmWatch(fd, uint32(wd)); err != nil {
		return pushErr(L, err)
	}
	return pushTrue(L)
}

// inotifyHeader is the size of struct inotify_event without its name.
const inotifyHeader = unix.SizeofInotifyEvent

// lInotifyParseEvent is inotify_parse_event(buf): the events in a buffer
// read from an inotify fd, as {wd, mask, name} tables (name only when the
// event has one). A header or name cut short raises an argument error.
func lInotifyParseEvent(L *lua.LState) int {
	buf := luaarg.CheckString(L, 1, "inotify_parse_event")
	events, err := parseInotify([]byte(buf))
	if err != nil {
		luaarg.Error(L, 1, "inotify_parse_event", "invalid inotify event buffer")
	}
	list := L.CreateTable(len(events), 0)
	for _, ev := range events {
		t := L.CreateTable(0, 3)
		t.RawSetString("wd", lua.LNumber(ev.wd))
		t.RawSetString("mask", lua.LNumber(ev.mask))
		if ev.hasName {
			t.RawSetString("name", lua.LString(ev.name))
		}
		list.Append(t)
	}
	L.Push(list)
	return 1
}

type inotifyEvent struct {
	wd      int32
	mask    uint32
	name    string
	hasName bool
}

var errInotifyBuffer = errors.New("invalid inotify event buffer")

// parseInotify splits buf into struct inotify_event records (native byte
// order: the kernel's).
func parseInotify(buf []byte) ([]inotifyEvent, error) {
	var out []inotifyEvent
	for len(buf) > 0 {
		if len(buf) < inotifyHeader {
			return nil, fmt.Errorf("%w: %d bytes left, header is %d", errInotifyBuffer, len(buf), inotifyHeader)
		}
		ev := inotifyEvent{
			wd:   int32(binary.NativeEndian.Uint32(buf[0:])),
			mask: binary.NativeEndian.Uint32(buf[4:]),
		}
		nameLen := binary.NativeEndian.Uint32(buf[12:])
		if uint64(nameLen) > uint64(len(buf)-inotifyHeader) {
			return nil, fmt.Errorf("%w: name of %d bytes cut short", errInotifyBuffer, nameLen)
		}
		if nameLen > 0 {
			name := buf[inotifyHeader : inotifyHeader+int(nameLen)]
			if i := strings.IndexByte(string(name), 0); i >= 0 {
				name = name[:i]
			}
			ev.name, ev.hasName = string(name), true
		}
		out = append(out, ev)
		buf = buf[inotifyHeader+int(nameLen):]
	}
	return out, nil
}

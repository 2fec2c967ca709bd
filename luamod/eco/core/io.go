package core

import (
	"errors"
	"math"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// The metatable names of eco.io, eco.reader and eco.writer objects, as
// lua-eco names them (they show in argument errors).
const (
	ioTypeName     = "struct eco_io *"
	readerTypeName = "struct eco_reader *"
	writerTypeName = "struct eco_writer *"
)

// maxNeedle is the longest delimiter reader:readuntil accepts.
const maxNeedle = 256

type ioObject struct{ h *fdio.Handle }

type readerObject struct{ r *fdio.Reader }

type writerObject struct{ h *fdio.Handle }

// registerIO adds eco.io, eco.reader and eco.writer to the eco table and
// makes their metatables.
func (s *state) registerIO(L *lua.LState, eco *lua.LTable) {
	s.fds = fdio.TableOf(s.rt)
	L.SetFuncs(eco, map[string]lua.LGFunction{
		"io":     s.newIO,
		"reader": s.newReader,
		"writer": s.newWriter,
	})
	s.typeMeta(L, ioTypeName, map[string]lua.LGFunction{
		"wait":   s.ioWait,
		"cancel": ioCancel,
		"close":  ioCancel,
	}, "close")
	s.typeMeta(L, readerTypeName, map[string]lua.LGFunction{
		"wait":      s.readerWait,
		"read":      s.readerRead,
		"readfull":  s.readerReadFull,
		"readuntil": s.readerReadUntil,
		"cancel":    readerCancel,
		"close":     readerCancel,
	}, "close")
	s.typeMeta(L, writerTypeName, map[string]lua.LGFunction{
		"wait":     s.writerWait,
		"write":    s.writerWrite,
		"sendfile": s.writerSendfile,
		"cancel":   writerCancel,
		"close":    writerCancel,
	}, "close")
}

// handle makes the fdio handle of a new eco.io/reader/writer on argument
// 1, or pushes nil, err.
func (s *state) handle(L *lua.LState, fname string) (*fdio.Handle, bool) {
	fd := luaarg.CheckInteger(L, 1, fname)
	h, err := s.fds.NewHandle(int(fd))
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(fdio.Strerror(err)))
		return nil, false
	}
	return h, true
}

// newIO is eco.io(fd).
func (s *state) newIO(L *lua.LState) int {
	h, ok := s.handle(L, "io")
	if !ok {
		return 2
	}
	L.Push(newObject(L, ioTypeName, &ioObject{h: h}))
	return 1
}

// newReader is eco.reader(fd). lua-eco's optional C read callback
// (lightuserdata) has no Go equivalent and is not accepted.
func (s *state) newReader(L *lua.LState) int {
	h, ok := s.handle(L, "reader")
	if !ok {
		return 2
	}
	L.Push(newObject(L, readerTypeName, &readerObject{r: fdio.NewReader(h)}))
	return 1
}

// newWriter is eco.writer(fd).
func (s *state) newWriter(L *lua.LState) int {
	h, ok := s.handle(L, "writer")
	if !ok {
		return 2
	}
	L.Push(newObject(L, writerTypeName, &writerObject{h: h}))
	return 1
}

// timeoutArg is lua_tonumber(L, n) as a timeout: a number of seconds, and
// no timeout for nil, 0 or anything that is not a number.
func timeoutArg(L *lua.LState, n int) time.Duration {
	sec, ok := luaarg.GoFloats.ToNumber(L.Get(n))
	if !ok || !(sec > 0) {
		return 0
	}
	if sec > float64(math.MaxInt64/int64(time.Second)) {
		return math.MaxInt64
	}
	return time.Duration(sec * float64(time.Second))
}

// checkBusy raises lua-eco's error when another task waits on the object
// or on the same direction of its fd.
func checkBusy(L *lua.LState, h *fdio.Handle, ev fdio.Events) {
	if err := h.CheckBusy(ev); err != nil {
		L.RaiseError("%s", err.Error())
	}
}

// pushIOResult pushes v, or nil and lua-eco's error string for err. A busy
// error (a race the early check could not see) is raised as lua-eco does.
func pushIOResult(L *lua.LState, h *fdio.Handle, v lua.LValue, err error) int {
	if err == nil {
		L.Push(v)
		return 1
	}
	if errors.Is(err, fdio.ErrBusy) || errors.Is(err, fdio.ErrReadBusy) || errors.Is(err, fdio.ErrWriteBusy) {
		L.RaiseError("%s", err.Error())
	}
	L.Push(lua.LNil)
	L.Push(lua.LString(fdio.ErrString(h.FD(), err)))
	return 2
}

// ioWait is io:wait(ev[, timeout]).
func (s *state) ioWait(L *lua.LState) int {
	o := checkSelf[*ioObject](L, ioTypeName, "wait")
	ev := luaarg.GoFloats.CheckInteger(L, 2, "wait")
	if ev == 0 || ev&^int64(fdio.Read|fdio.Write) != 0 {
		luaarg.Method("wait").Error(L, 2, "invalid")
	}
	return s.wait(L, o.h, fdio.Events(ev), timeoutArg(L, 3))
}

func (s *state) wait(L *lua.LState, h *fdio.Handle, ev fdio.Events, timeout time.Duration) int {
	checkBusy(L, h, ev)
	err := h.Wait(s.task(L), ev, timeout)
	return pushIOResult(L, h, lua.LTrue, err)
}

func ioCancel(L *lua.LState) int {
	checkSelf[*ioObject](L, ioTypeName, "cancel").h.Cancel()
	return 0
}

func readerCancel(L *lua.LState) int {
	checkSelf[*readerObject](L, readerTypeName, "cancel").r.Handle().Cancel()
	return 0
}

func writerCancel(L *lua.LState) int {
	checkSelf[*writerObject](L, writerTypeName, "cancel").h.Cancel()
	return 0
}

// readerWait is reader:wait([timeout]).
func (s *state) readerWait(L *lua.LState) int {
	o := checkSelf[*readerObject](L, readerTypeName, "wait")
	return s.wait(L, o.r.Handle(), fdio.Read, timeoutArg(L, 2))
}

// readerRead is reader:read(format[, timeout]): format is a byte count or
// "a", "l", "L" (optionally prefixed with '*').
func (s *state) readerRead(L *lua.LState) int {
	o := checkSelf[*readerObject](L, readerTypeName, "read")
	h := o.r.Handle()
	checkBusy(L, h, fdio.Read)
	m := luaarg.Method("read")
	timeout := timeoutArg(L, 3)
	var (
		data []byte
		err  error
	)
	switch f := L.Get(2).(type) {
	case lua.LNumber:
		n := float64(f)
		if n != math.Trunc(n) {
			m.Error(L, 2, "invalid format")
		}
		if n <= 0 {
			m.Error(L, 2, "expected size must be greater than 0")
		}
		data, err = o.r.Read(s.task(L), int(min(n, math.MaxInt32)), timeout)
	case lua.LString:
		format := string(f)
		if len(format) > 0 && format[0] == '*' {
			format = format[1:]
		}
		switch format {
		case "a":
			data, err = o.r.ReadAll(s.task(L), timeout)
		case "l", "L":
			data, err = o.r.ReadLine(s.task(L), format == "L", timeout)
		default:
			m.Error(L, 2, "invalid format")
		}
	default:
		m.Error(L, 2, "invalid format")
	}
	return pushIOResult(L, h, lua.LString(data), err)
}

// readerReadFull is reader:readfull(size[, timeout]).
func (s *state) readerReadFull(L *lua.LState) int {
	o := checkSelf[*readerObject](L, readerTypeName, "readfull")
	size := luaarg.GoFloats.CheckInteger(L, 2, "readfull")
	if size <= 0 {
		luaarg.Method("readfull").Error(L, 2, "size must be greater than 0")
	}
	h := o.r.Handle()
	checkBusy(L, h, fdio.Read)
	data, err := o.r.ReadFull(s.task(L), int(min(size, math.MaxInt32)), timeoutArg(L, 3))
	return pushIOResult(L, h, lua.LString(data), err)
}

// readerReadUntil is reader:readuntil(needle[, timeout]).
func (s *state) readerReadUntil(L *lua.LState) int {
	o := checkSelf[*readerObject](L, readerTypeName, "readuntil")
	m := luaarg.Method("readuntil")
	needle := m.CheckString(L, 2)
	if len(needle) == 0 || len(needle) > maxNeedle {
		m.Error(L, 2, "needle length must be 1~256 bytes")
	}
	h := o.r.Handle()
	checkBusy(L, h, fdio.Read)
	data, found, err := o.r.ReadUntil(s.task(L), []byte(needle), timeoutArg(L, 3))
	if err != nil || !found {
		return pushIOResult(L, h, lua.LString(data), err)
	}
	L.Push(lua.LString(data))
	L.Push(lua.LTrue)
	return 2
}

// writerWait is writer:wait([timeout]).
func (s *state) writerWait(L *lua.LState) int {
	o := checkSelf[*writerObject](L, writerTypeName, "wait")
	return s.wait(L, o.h, fdio.Write, timeoutArg(L, 2))
}

// writerWrite is writer:write(data[, timeout]): the number of bytes
// written, all of data.
func (s *state) writerWrite(L *lua.LState) int {
	o := checkSelf[*writerObject](L, writerTypeName, "write")
	data := luaarg.Method("write").CheckString(L, 2)
	checkBusy(L, o.h, fdio.Write)
	n, err := o.h.Write(s.task(L), []byte(data), timeoutArg(L, 3))
	return pushIOResult(L, o.h, lua.LNumber(n), err)
}

// writerSendfile is writer:sendfile(path, offset, len[, timeout]).
func (s *state) writerSendfile(L *lua.LState) int {
	o := checkSelf[*writerObject](L, writerTypeName, "sendfile")
	m := luaarg.Method("sendfile")
	path := m.CheckString(L, 2)
	offset := luaarg.GoFloats.CheckInteger(L, 3, "sendfile")
	size := luaarg.GoFloats.CheckInteger(L, 4, "sendfile")
	if offset < 0 {
		m.Error(L, 3, "offset must be greater than or equal to 0")
	}
	if size <= 0 {
		m.Error(L, 4, "len must be great than 0")
	}
	checkBusy(L, o.h, fdio.Write)
	n, err := o.h.Sendfile(s.task(L), path, offset, int(min(size, math.MaxInt32)), timeoutArg(L, 5))
	return pushIOResult(L, o.h, lua.LNumber(n), err)
}

package lua54lib

import (
	"os"
	"strings"
	"syscall"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// ioState holds gopher-lua's io functions that the 5.4 versions wrap, and
// the standard files, which 5.4 refuses to close. gopher-lua's file type
// is unexported, so the wrappers work through its functions: they adapt
// arguments and results (numbers written with NumberToString, read
// formats without '*', "L", write returning the file, lines with formats,
// C-style error messages) and leave the file handling to gopher-lua.
type ioState struct {
	read, write, close, lines, seek          *lua.LFunction // file methods
	open, ioWrite, ioOutput, ioInput, ioType *lua.LFunction // io functions
	stdin, stdout, stderr                    lua.LValue
}

func openIO(L *lua.LState) {
	iot, ok := L.GetGlobal("io").(*lua.LTable)
	if !ok {
		return
	}
	mt, ok := L.GetTypeMetatable("FILE*").(*lua.LTable)
	if !ok {
		return
	}
	fn := func(t *lua.LTable, name string) *lua.LFunction {
		f, _ := t.RawGetString(name).(*lua.LFunction)
		return f
	}
	st := &ioState{
		read: fn(mt, "read"), seek: fn(mt, "seek"), write: fn(mt, "write"), close: fn(mt, "close"), lines: fn(mt, "lines"),
		open: fn(iot, "open"), ioWrite: fn(iot, "write"), ioOutput: fn(iot, "output"), ioInput: fn(iot, "input"),
		ioType: fn(iot, "type"),
		stdin:  iot.RawGetString("stdin"), stdout: iot.RawGetString("stdout"), stderr: iot.RawGetString("stderr"),
	}
	for _, f := range []*lua.LFunction{st.read, st.seek, st.write, st.close, st.lines, st.open, st.ioWrite,
		st.ioOutput, st.ioInput, st.ioType} {
		if f == nil {
			return // not gopher-lua's io library: leave it alone
		}
	}
	register(L, mt, map[string]lua.LGFunction{
		"write":      st.fileWrite,
		"read":       st.fileRead,
		"close":      st.fileClose,
		"lines":      st.fileLines,
		"seek":       st.fileSeek,
		"__tostring": st.fileToString,
	})
	if ost, ok := L.GetGlobal("os").(*lua.LTable); ok {
		wrapOSResult(L, ost, "remove", true)
		wrapOSResult(L, ost, "rename", false)
		ost.RawSetString("getenv", L.NewFunction(osGetenv))
	}
	register(L, iot, map[string]lua.LGFunction{
		"write": st.ioWriteFn,
		"read":  st.ioReadFn,
		"close": st.ioCloseFn,
		"lines": st.ioLinesFn,
		"open":  st.ioOpen,
	})
}

// call calls fn with args and returns its results.
func call(L *lua.LState, fn *lua.LFunction, args ...lua.LValue) []lua.LValue {
	top := L.GetTop()
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	L.Call(len(args), lua.MultRet)
	res := make([]lua.LValue, L.GetTop()-top)
	for i := range res {
		res[i] = L.Get(top + 1 + i)
	}
	L.SetTop(top)
	return res
}

// pushResults pushes vals and returns their count.
func pushResults(L *lua.LState, vals []lua.LValue) int {
	for _, v := range vals {
		L.Push(v)
	}
	return len(vals)
}

// cError rewrites a Go error message from gopher-lua's io ("open /x: no
// such file or directory") the way C's strerror reads ("/x: No such file
// or directory") and finds its errno, as 5.4's luaL_fileresult returns.
func cError(msg string) (string, int) {
	for _, op := range []string{"open ", "remove ", "rename ", "read ", "write ", "seek ", "close "} {
		msg = strings.TrimPrefix(msg, op)
	}
	i := strings.LastIndex(msg, ": ")
	text := msg
	if i >= 0 {
		text = msg[i+2:]
	}
	code := 0
	for e := syscall.Errno(1); e < 200; e++ {
		if e.Error() == text {
			code = int(e)
			break
		}
	}
	if text != "" {
		text = strings.ToUpper(text[:1]) + text[1:]
	}
	if i >= 0 {
		return msg[:i+2] + text, code
	}
	return text, code
}

// failResult is luaL_fileresult's failure: nil, message, errno.
func failResult(L *lua.LState, msg string) int {
	text, code := cError(msg)
	L.Push(lua.LNil)
	L.Push(lua.LString(text))
	L.Push(lua.LNumber(float64(code)))
	return 3
}

func (st *ioState) isStd(v lua.LValue) bool {
	return v == st.stdin || v == st.stdout || v == st.stderr
}

// writeArgs checks and converts write's arguments from index first on:
// strings, and numbers formatted with NumberToString. argBase makes the
// reported argument number count from the first written value.
func writeArgs(L *lua.LState, first, argBase int, name string) []lua.LValue {
	top := L.GetTop()
	args := make([]lua.LValue, 0, top-first+1)
	for i := first; i <= top; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			args = append(args, v)
		case lua.LNumber:
			args = append(args, lua.LString(lua54.NumberToString(v)))
		default:
			argError(L, i-argBase, name, "string expected, got "+lua54.ObjTypeName(L, v))
		}
	}
	return args
}

// wrapOSResult makes os.name return 5.4's nil, message, errno on failure;
// withName keeps the file name before the message (os.remove), else only
// the system's message remains (os.rename).
func wrapOSResult(L *lua.LState, ost *lua.LTable, name string, withName bool) {
	orig, ok := ost.RawGetString(name).(*lua.LFunction)
	if !ok {
		return
	}
	ost.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
		args := make([]lua.LValue, L.GetTop())
		for i := range args {
			args[i] = L.Get(i + 1)
		}
		res := call(L, orig, args...)
		if len(res) < 2 || res[0] != lua.LNil {
			return pushResults(L, res)
		}
		msg := lua.LVAsString(res[1])
		if !withName {
			if i := strings.LastIndex(msg, ": "); i >= 0 {
				msg = msg[i+2:]
			}
		}
		return failResult(L, msg)
	}))
}

// checkOpen raises 5.4's error for a closed file (gopher-lua's is an
// argument error, "file is closed").
func (st *ioState) checkOpen(L *lua.LState, f lua.LValue) {
	if t := call(L, st.ioType, f); len(t) > 0 && t[0] == lua.LString("closed file") {
		L.Error(lua.LString("attempt to use a closed file"), 0)
	}
}

// fileSeek is file:seek([whence [, offset]]) with 5.4's option check.
func (st *ioState) fileSeek(L *lua.LState) int {
	f := L.Get(1)
	st.checkOpen(L, f)
	whence := optString(L, 2, "seek", "cur")
	switch whence {
	case "set", "cur", "end":
	default:
		argError(L, 1, "seek", "invalid option '"+whence+"'")
	}
	off := optInteger(L, 3, "seek", 0)
	res := call(L, st.seek, f, lua.LString(whence), lua.LNumber(float64(off)))
	if len(res) > 1 && res[0] == lua.LNil {
		return failResult(L, lua.LVAsString(res[1]))
	}
	return pushResults(L, res)
}

// fileWrite is file:write(...): the file on success.
func (st *ioState) fileWrite(L *lua.LState) int {
	f := L.Get(1)
	st.checkOpen(L, f)
	args := writeArgs(L, 2, 1, "write")
	res := call(L, st.write, append([]lua.LValue{f}, args...)...)
	if len(res) == 1 && res[0] == lua.LTrue {
		L.Push(f)
		return 1
	}
	return pushResults(L, res)
}

// ioWriteFn is io.write(...): writes to the default output, returns it.
func (st *ioState) ioWriteFn(L *lua.LState) int {
	args := writeArgs(L, 1, 0, "write")
	res := call(L, st.ioWrite, args...)
	if len(res) == 1 && res[0] == lua.LTrue {
		return pushResults(L, call(L, st.ioOutput))
	}
	return pushResults(L, res)
}

// readFormat checks one read format and returns it in gopher-lua's
// spelling ("*l"), or "L" for the line-with-newline format gopher-lua
// lacks. Numbers (byte counts) pass as they are.
func readFormat(L *lua.LState, v lua.LValue, arg int) lua.LValue {
	switch x := v.(type) {
	case lua.LNumber:
		return x
	case lua.LString:
		s := strings.TrimPrefix(string(x), "*")
		if s != "" {
			switch s[0] {
			case 'n', 'l', 'a':
				return lua.LString("*" + s[:1])
			case 'L':
				return lua.LString("L")
			}
		}
	}
	argError(L, arg, "read", "invalid format")
	return nil
}

// readFrom reads the formats (already checked) from file with gopher-lua's
// read, one format at a time so that "L" can be done here; it stops at the
// first format that fails, as 5.4 does.
func (st *ioState) readFrom(L *lua.LState, file lua.LValue, formats []lua.LValue) []lua.LValue {
	if len(formats) == 0 {
		formats = []lua.LValue{lua.LString("*l")}
	}
	var out []lua.LValue
	for _, f := range formats {
		var v []lua.LValue
		switch f {
		case lua.LString("L"):
			v = st.readLineKeep(L, file)
		case lua.LString("*n"):
			v = st.readNumber(L, file)
		default:
			v = call(L, st.read, file, f)
		}
		if len(v) == 0 {
			v = []lua.LValue{lua.LNil}
		}
		out = append(out, v...)
		if v[0] == lua.LNil {
			break
		}
	}
	return out
}

// readNumber is read("n") as 5.4's read_number: after spaces, the longest
// prefix that can start a numeral (at most 200 bytes: sign, "0x", digits,
// point, exponent), converted with lua54.StringToNumber; nil when it is
// not a numeral. gopher-lua's own "*n" scans Go's float syntax only (no
// hex), so files are read a byte at a time here and the one byte read
// ahead is given back with a seek. Unseekable files (pipes, terminals)
// keep gopher-lua's reading.
func (st *ioState) readNumber(L *lua.LState, file lua.LValue) []lua.LValue {
	if r := call(L, st.seek, file, lua.LString("cur"), lua.LNumber(0)); len(r) == 0 || r[0] == lua.LNil {
		return call(L, st.read, file, lua.LString("*n"))
	}
	var c byte
	ok := true
	next := func() {
		v := call(L, st.read, file, lua.LNumber(1))
		if len(v) == 0 || v[0] == lua.LNil {
			ok = false
			return
		}
		c = lua.LVAsString(v[0])[0]
	}
	next()
	for ok && (c == ' ' || c >= '\t' && c <= '\r') {
		next()
	}
	var buf []byte
	test2 := func(set string) bool {
		if ok && strings.IndexByte(set, c) >= 0 && len(buf) < 200 {
			buf = append(buf, c)
			next()
			return true
		}
		return false
	}
	digits := func(hex bool) int {
		n := 0
		for ok && len(buf) < 200 && ('0' <= c && c <= '9' || hex && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			buf = append(buf, c)
			next()
			n++
		}
		return n
	}
	test2("-+")
	count, hex := 0, false
	if test2("0") {
		if test2("xX") {
			hex = true
		} else {
			count = 1
		}
	}
	count += digits(hex)
	if test2(".") {
		count += digits(hex)
	}
	if count > 0 {
		exp := "eE"
		if hex {
			exp = "pP"
		}
		if test2(exp) {
			test2("-+")
			digits(false)
		}
	}
	if ok { // give back the byte read ahead
		call(L, st.seek, file, lua.LString("cur"), lua.LNumber(-1))
	}
	if v, good := lua54.StringToNumber(string(buf)); good {
		return []lua.LValue{lua.LNumber(v)}
	}
	return []lua.LValue{lua.LNil}
}

// readLineKeep is read("L"): a line with its newline, nil at end of file.
// gopher-lua has no such format and hides its buffer, so it reads one
// byte at a time through read(1).
func (st *ioState) readLineKeep(L *lua.LState, file lua.LValue) []lua.LValue {
	var b strings.Builder
	for {
		v := call(L, st.read, file, lua.LNumber(1))
		if len(v) == 0 || v[0] == lua.LNil {
			if len(v) > 1 {
				return v // an error
			}
			if b.Len() == 0 {
				return []lua.LValue{lua.LNil}
			}
			break
		}
		s := lua.LVAsString(v[0])
		b.WriteString(s)
		if s == "\n" {
			break
		}
	}
	return []lua.LValue{lua.LString(b.String())}
}

func checkFormats(L *lua.LState, first int) []lua.LValue {
	var formats []lua.LValue
	for i := first; i <= L.GetTop(); i++ {
		formats = append(formats, readFormat(L, L.Get(i), i-first+1))
	}
	return formats
}

// fileRead is file:read(...).
func (st *ioState) fileRead(L *lua.LState) int {
	f := L.Get(1)
	st.checkOpen(L, f)
	return pushResults(L, st.readFrom(L, f, checkFormats(L, 2)))
}

// ioReadFn is io.read(...), from the default input.
func (st *ioState) ioReadFn(L *lua.LState) int {
	formats := checkFormats(L, 1)
	in := call(L, st.ioInput)
	return pushResults(L, st.readFrom(L, in[0], formats))
}

// fileClose is file:close(): the standard files stay open.
func (st *ioState) fileClose(L *lua.LState) int {
	f := L.Get(1)
	if st.isStd(f) {
		L.Push(lua.LNil)
		L.Push(lua.LString("cannot close standard file"))
		return 2
	}
	return pushResults(L, call(L, st.close, f))
}

// ioCloseFn is io.close([file]): the default output when none is given.
func (st *ioState) ioCloseFn(L *lua.LState) int {
	f := L.Get(1)
	if L.GetTop() == 0 {
		f = call(L, st.ioOutput)[0]
	}
	if st.isStd(f) {
		L.Push(lua.LNil)
		L.Push(lua.LString("cannot close standard file"))
		return 2
	}
	return pushResults(L, call(L, st.close, f))
}

// fileToString is 5.4's "file (0x...)" / "file (closed)".
func (st *ioState) fileToString(L *lua.LState) int {
	ud, ok := L.Get(1).(*lua.LUserData)
	if !ok {
		typeError(L, 1, "tostring", "FILE*")
	}
	if t := call(L, st.ioType, ud); len(t) > 0 && t[0] == lua.LString("closed file") {
		L.Push(lua.LString("file (closed)"))
		return 1
	}
	L.Push(lua.LString("file (" + pointerString(ud) + ")"))
	return 1
}

// linesIter returns an iterator reading formats from file; close makes it
// close the file at the end (io.lines(name, ...)).
func (st *ioState) linesIter(L *lua.LState, file lua.LValue, formats []lua.LValue, close bool) *lua.LFunction {
	return L.NewFunction(func(L *lua.LState) int {
		res := st.readFrom(L, file, formats)
		if len(res) > 0 && res[0] == lua.LNil {
			if len(res) > 1 {
				raise(L, "%s", lua.LVAsString(res[1]))
			}
			if close {
				call(L, st.close, file)
			}
		}
		return pushResults(L, res)
	})
}

// fileLines is file:lines(...) with 5.4's read formats.
func (st *ioState) fileLines(L *lua.LState) int {
	f := L.Get(1)
	st.checkOpen(L, f)
	if L.GetTop() < 2 {
		return pushResults(L, call(L, st.lines, f))
	}
	L.Push(st.linesIter(L, f, checkFormats(L, 2), false))
	return 1
}

// ioLinesFn is io.lines([name, ...]): raises when name cannot be opened,
// and reads with formats; the file closes at its end.
func (st *ioState) ioLinesFn(L *lua.LState) int {
	if L.GetTop() == 0 || L.Get(1) == lua.LNil {
		in := call(L, st.ioInput)
		formats := checkFormats(L, 2)
		L.Push(st.linesIter(L, in[0], formats, false))
		return 1
	}
	name := checkString(L, 1, "lines")
	formats := checkFormats(L, 2)
	res := call(L, st.open, lua.LString(name), lua.LString("r"))
	if len(res) == 0 || res[0] == lua.LNil {
		msg := ""
		if len(res) > 1 {
			msg, _ = cError(lua.LVAsString(res[1]))
			msg = strings.TrimPrefix(msg, name+": ")
		}
		raise(L, "cannot open file '%s' (%s)", name, msg)
	}
	L.Push(st.linesIter(L, res[0], formats, true))
	return 1
}

// ioOpen is io.open(name [, mode]) with 5.4's mode check and messages.
func (st *ioState) ioOpen(L *lua.LState) int {
	name := checkString(L, 1, "io.open")
	mode := optString(L, 2, "io.open", "r")
	m := strings.TrimSuffix(strings.Replace(mode, "b", "", 1), "")
	switch m {
	case "r", "w", "a", "r+", "w+", "a+":
	default:
		argError(L, 2, "io.open", "invalid mode")
	}
	if strings.Count(mode, "b") > 1 || strings.HasPrefix(mode, "b") || strings.Contains(mode, "+b") && len(mode) != 3 {
		argError(L, 2, "io.open", "invalid mode")
	}
	res := call(L, st.open, lua.LString(name), lua.LString(normalMode(mode)))
	if len(res) > 1 && res[0] == lua.LNil {
		return failResult(L, lua.LVAsString(res[1]))
	}
	return pushResults(L, res)
}

// normalMode spells a valid 5.4 mode the way gopher-lua's list has it
// ("r+b" as "rb+").
func normalMode(mode string) string {
	if strings.Contains(mode, "b") && strings.Contains(mode, "+") {
		return mode[:1] + "b+"
	}
	return mode
}

// osGetenv is os.getenv(name): nil when the variable is not set.
func osGetenv(L *lua.LState) int {
	if v, ok := os.LookupEnv(checkString(L, 1, "os.getenv")); ok {
		L.Push(lua.LString(v))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// Package log provides lua-eco's "eco.log" module for gopher-lua.
//
// Functions: debug, info, err, log(priority, ...), set_level, set_flags,
// set_path, set_roll_size, set_roll_count, set_ident; constants EMERG..DEBUG
// (syslog priorities 0..7) and FLAG_LF, FLAG_FILE, FLAG_PATH.
//
// A record is "YYYY/MM/DD HH:MM:SS <level %-5s> <ident>[<pid>]: <msg>",
// followed by "\n" when FLAG_LF is set (the default). With FLAG_FILE or
// FLAG_PATH the message starts with "(<file>:<line %3d>) ", naming the Lua
// caller. Arguments are strings and numbers (as tostring), booleans and nil
// joined by one space; other types are skipped. A message holding "\n" is
// written as one record per line, a trailing "\r" removed from each.
//
// Records go, as in lua-eco, to the file given by set_path (rolled over by
// size), else to stdout when it is a terminal, else to syslog (facility
// daemon), else (no syslog to dial: a container) to stderr, where lua-eco
// drops them. Options.Output replaces the stdout/syslog choice, so
// embedders and tests can capture records.
//
// The logger state (level, flags, path, ...) is per Lua VM: it is created
// when the module is first required. In lua-eco it is process-wide.
package log

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// Syslog priorities and flags, with lua-eco's values.
const (
	EMERG   = 0
	ALERT   = 1
	CRIT    = 2
	ERR     = 3
	WARNING = 4
	NOTICE  = 5
	INFO    = 6
	DEBUG   = 7

	FlagLF   = 1 // end each record with "\n"
	FlagFile = 2 // prefix "(<basename>:<line>) "
	FlagPath = 4 // prefix "(<source path>:<line>) "
)

const (
	defaultRollSize  = 100 * 1024
	defaultRollCount = 10
	maxMessage       = 8191 // lua-eco formats into a BUFSIZ (8 KiB) buffer
	maxIdent         = 31   // and keeps the ident in char[32]
	pathMax          = 4096
)

var levelNames = [8]string{"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"}

// Options configures the eco.log module of one VM. The zero value behaves
// like lua-eco.
type Options struct {
	// Output receives records while no file path is set. nil means
	// os.Stdout when it is a terminal, else syslog, else os.Stderr.
	Output io.Writer
	// Now returns the time printed in records; nil means time.Now.
	Now func() time.Time
	// Ident is the initial ident; "" means the process name.
	Ident string
	// Pid is the number printed after the ident; 0 means os.Getpid().
	Pid int
	// Structured, when set, receives every record that would go to
	// Output, stdout or syslog, as an slog record at the mapped level
	// (see SlogLevel) with the Lua caller as "source" and the ident:
	// golua-ws --log-format json. A set_path file keeps lua-eco's format.
	Structured *slog.Logger
	// Level is the initial level (a priority, DEBUG..EMERG); 0 with
	// LevelSet false means lua-eco's INFO.
	Level    int
	LevelSet bool
	// Attrs, when set, gives attributes added to each structured record:
	// the running task. It is called with the VM token held.
	Attrs func() []slog.Attr
}

// SlogLevel maps a syslog priority onto slog's levels: debug is Debug,
// info and notice Info, warning Warn, anything more severe Error.
func SlogLevel(prio int) slog.Level {
	switch {
	case prio >= DEBUG:
		return slog.LevelDebug
	case prio >= NOTICE:
		return slog.LevelInfo
	case prio == WARNING:
		return slog.LevelWarn
	default:
		return slog.LevelError
	}
}

// PriorityOf is the inverse of SlogLevel: the priority a script's level
// starts at for a runtime log level.
func PriorityOf(level slog.Level) int {
	switch {
	case level <= slog.LevelDebug:
		return DEBUG
	case level <= slog.LevelInfo:
		return INFO
	case level <= slog.LevelWarn:
		return WARNING
	default:
		return ERR
	}
}

// ModuleName is the name scripts require.
const ModuleName = "eco.log"

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return NewModules(Options{})
}

// NewModules is Modules with the output, clock and ident chosen by the caller.
func NewModules(opts Options) map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		ModuleName: func(L *lua.LState) int {
			L.Push(newLogger(opts).table(L))
			return 1
		},
	}
}

// logger is the state behind one eco.log module table.
type logger struct {
	opts Options

	mu        sync.Mutex
	level     int
	flags     int
	ident     string
	path      string // "" when unset or after a rejected set_path
	dir, base string
	toFile    bool // a set_path succeeded; stays set after a rejected one, as in lua-eco
	rollSize  int64
	rollCount int
	sink      *consoleSink
}

func newLogger(opts Options) *logger {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Pid == 0 {
		opts.Pid = os.Getpid()
	}
	ident := opts.Ident
	if ident == "" {
		ident = processName()
	}
	level := INFO
	if opts.LevelSet {
		level = opts.Level
	}
	return &logger{
		opts:      opts,
		level:     level,
		flags:     FlagLF,
		ident:     truncate(ident, maxIdent),
		rollSize:  defaultRollSize,
		rollCount: defaultRollCount,
		sink:      newConsoleSink(opts.Output),
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// processName is what lua-eco reads from /proc/self/status: the kernel's
// 15-byte command name.
func processName() string {
	if b, err := os.ReadFile("/proc/self/comm"); err == nil {
		if s := strings.TrimRight(string(b), "\n"); s != "" {
			return s
		}
	}
	return truncate(filepath.Base(os.Args[0]), 15)
}

func (lg *logger) table(L *lua.LState) *lua.LTable {
	mod := L.NewTable()
	fns := map[string]lua.LGFunction{
		"debug":          func(L *lua.LState) int { lg.emit(L, DEBUG, 1); return 0 },
		"info":           func(L *lua.LState) int { lg.emit(L, INFO, 1); return 0 },
		"err":            func(L *lua.LState) int { lg.emit(L, ERR, 1); return 0 },
		"log":            lg.luaLog,
		"set_level":      lg.setLevel,
		"set_flags":      lg.setFlags,
		"set_path":       lg.setPath,
		"set_roll_size":  lg.setRollSize,
		"set_roll_count": lg.setRollCount,
		"set_ident":      lg.setIdent,
	}
	for name, fn := range fns {
		mod.RawSetString(name, L.NewFunction(fn))
	}
	consts := map[string]int{
		"EMERG": EMERG, "ALERT": ALERT, "CRIT": CRIT, "ERR": ERR, "WARNING": WARNING,
		"NOTICE": NOTICE, "INFO": INFO, "DEBUG": DEBUG,
		"FLAG_LF": FlagLF, "FLAG_FILE": FlagFile, "FLAG_PATH": FlagPath,
	}
	for name, v := range consts {
		mod.RawSetString(name, lua.LNumber(v))
	}
	return mod
}

func (lg *logger) luaLog(L *lua.LState) int {
	prio := luaarg.CheckInteger(L, 1, "log")
	lg.emit(L, int(prio), 2)
	return 0
}

func (lg *logger) setLevel(L *lua.LState) int {
	v := int(luaarg.CheckInteger(L, 1, "set_level"))
	lg.mu.Lock()
	lg.level = v
	lg.mu.Unlock()
	return 0
}

func (lg *logger) setFlags(L *lua.LState) int {
	v := int(luaarg.CheckInteger(L, 1, "set_flags"))
	lg.mu.Lock()
	lg.flags = v
	lg.mu.Unlock()
	return 0
}

func (lg *logger) setRollSize(L *lua.LState) int {
	v := luaarg.CheckInteger(L, 1, "set_roll_size")
	if v < 0 {
		luaarg.Error(L, 1, "set_roll_size", "size must be >= 0")
	}
	lg.mu.Lock()
	lg.rollSize = v
	lg.mu.Unlock()
	return 0
}

func (lg *logger) setRollCount(L *lua.LState) int {
	v := int(luaarg.CheckInteger(L, 1, "set_roll_count"))
	if v <= 0 {
		v = defaultRollCount
	}
	lg.mu.Lock()
	lg.rollCount = v
	lg.mu.Unlock()
	return 0
}

func (lg *logger) setIdent(L *lua.LState) int {
	v := luaarg.CheckString(L, 1, "set_ident")
	lg.mu.Lock()
	lg.ident = truncate(v, maxIdent)
	lg.sink.resetSyslog()
	lg.mu.Unlock()
	return 0
}

// setPath implements set_path(path). Like lua-eco it never reports an
// error: a rejected path (one holding "..", "./", "/.", "//", ending in
// '/', or in a directory that is not writable) clears the path, and
// records are then dropped until the next set_path. ” goes back to
// stdout/syslog.
func (lg *logger) setPath(L *lua.LState) int {
	p := luaarg.CheckString(L, 1, "set_path")
	lg.mu.Lock()
	defer lg.mu.Unlock()
	lg.path, lg.dir, lg.base = "", "", ""
	if p == "" {
		lg.toFile = false
		return 0
	}
	if len(p) >= pathMax || strings.Contains(p, "..") || strings.Contains(p, "./") ||
		strings.Contains(p, "/.") || strings.Contains(p, "//") || strings.HasSuffix(p, "/") {
		return 0
	}
	dir, base := ".", p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		base = p[i+1:]
		dir = p[:i]
		if i == 0 {
			dir = "/"
		}
	}
	if !dirWritable(dir) {
		return 0
	}
	lg.path, lg.dir, lg.base = p, dir, base
	lg.toFile = true
	return 0
}

// emit formats the arguments from index first on and writes the record(s)
// at priority prio.
func (lg *logger) emit(L *lua.LState, prio, first int) {
	prio &= 7
	lg.mu.Lock()
	defer lg.mu.Unlock()
	if prio > lg.level {
		return
	}
	msg := formatArgs(L, first)
	where := ""
	if lg.flags&(FlagFile|FlagPath) != 0 {
		where = lg.callerPrefix(L)
	}
	if lg.opts.Structured != nil && !lg.toFile {
		lg.emitStructured(L, prio, msg)
		return
	}
	now := lg.opts.Now()
	for {
		line, rest, more := strings.Cut(msg, "\n")
		line = strings.TrimSuffix(line, "\r")
		lg.write(prio, now, where+line)
		if !more {
			break
		}
		msg = rest
	}
}

// formatArgs joins the loggable arguments with single spaces. A skipped
// argument (table, function, ...) drops its separator too, except that the
// separator before an argument depends only on its position, as in lua-eco.
func formatArgs(L *lua.LState, first int) string {
	var b strings.Builder
	for i := first; i <= L.GetTop() && maxMessage-b.Len() > 1; i++ {
		var s string
		switch v := L.Get(i).(type) {
		case lua.LString:
			s = string(v)
		case lua.LNumber:
			s = v.String()
		case lua.LBool:
			s = "false"
			if v {
				s = "true"
			}
		case *lua.LNilType:
			s = "nil"
		default:
			continue
		}
		if i > first {
			b.WriteByte(' ')
		}
		b.WriteString(truncate(s, maxMessage-b.Len()))
	}
	msg := b.String()
	// The C code handles the message as a NUL-terminated string.
	if i := strings.IndexByte(msg, 0); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// callerPrefix returns "(<file>:<line>) " for the Lua function that called
// the logging function: the source path with FLAG_PATH, its base name
// otherwise. Without line information (a Go caller) the file is empty and
// the line -1, as in lua-eco.
func (lg *logger) callerPrefix(L *lua.LState) string {
	file, line := "", -1
	if dbg, ok := L.GetStack(1); ok {
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err == nil && dbg.CurrentLine > 0 {
			file, line = shortSource(dbg.Source), dbg.CurrentLine
		}
	}
	if lg.flags&FlagPath == 0 {
		file = posixBase(file)
	}
	return "(" + file + ":" + padLine(line) + ") "
}

// padLine is printf's "%3d".
func padLine(n int) string {
	s := itoa(n)
	for len(s) < 3 {
		s = " " + s
	}
	return s
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// shortSource mirrors Lua's short_src for file chunks: paths longer than
// 59 bytes keep their last 56 bytes after "...".
func shortSource(src string) string {
	src = strings.TrimPrefix(src, "@")
	if len(src) > 59 {
		return "..." + src[len(src)-56:]
	}
	return src
}

// posixBase is basename(3): "" gives ".", trailing slashes are ignored.
func posixBase(p string) string {
	if p == "" {
		return "."
	}
	return filepath.Base(p)
}

// emitStructured logs msg as one slog record (lines are not split: the
// record is one JSON object), with the Lua caller's file:line as "source".
// lg.mu is held.
func (lg *logger) emitStructured(L *lua.LState, prio int, msg string) {
	attrs := []slog.Attr{slog.String("logger", ModuleName), slog.String("ident", lg.ident)}
	if lg.opts.Attrs != nil {
		attrs = append(attrs, lg.opts.Attrs()...)
	}
	if dbg, ok := L.GetStack(1); ok {
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err == nil && dbg.CurrentLine > 0 {
			attrs = append(attrs, slog.String("source", shortSource(dbg.Source)+":"+itoa(dbg.CurrentLine)))
		}
	}
	lg.opts.Structured.LogAttrs(context.Background(), SlogLevel(prio), msg, attrs...)
}

// write outputs one record; lg.mu is held.
func (lg *logger) write(prio int, now time.Time, msg string) {
	if lg.toFile {
		if lg.path != "" {
			lg.writeFile(prio, now, msg)
		}
		return
	}
	lg.sink.write(prio, lg.ident, lg.record(prio, now, msg), msg)
}

// record renders the full line written to files and stdout.
func (lg *logger) record(prio int, now time.Time, msg string) string {
	var b strings.Builder
	b.Grow(len(msg) + 48 + len(lg.ident))
	b.WriteString(now.Format("2006/01/02 15:04:05"))
	b.WriteByte(' ')
	name := levelNames[prio]
	b.WriteString(name)
	for i := len(name); i < 5; i++ {
		b.WriteByte(' ')
	}
	b.WriteByte(' ')
	b.WriteString(lg.ident)
	b.WriteByte('[')
	b.WriteString(itoa(lg.opts.Pid))
	b.WriteString("]: ")
	b.WriteString(msg)
	if lg.flags&FlagLF != 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

// writeFile appends the record to the log file, rolling it first when it
// has reached the roll size. Errors are ignored, as in lua-eco.
func (lg *logger) writeFile(prio int, now time.Time, msg string) {
	if lg.rollSize != 0 {
		if st, err := os.Stat(lg.path); err == nil && st.Size() >= lg.rollSize {
			lg.rotate(now)
		}
	}
	f, err := os.OpenFile(lg.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return
	}
	_, _ = io.WriteString(f, lg.record(prio, now, msg))
	_ = f.Close()
}

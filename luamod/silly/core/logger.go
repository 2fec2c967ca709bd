package core

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// Log levels, as silly.logger numbers them.
const (
	levelDebug = 0
	levelInfo  = 1
	levelWarn  = 2
	levelError = 3
)

// maxTableDepth is how deep silly's logger prints nested tables.
const maxTableDepth = 5

// levelLetters are the level marks in a log line, indexed by level.
const levelLetters = "DIWE"

// levelNames returns the names of the plain and the *f logging functions
// of a level.
func levelNames(level int) (plain, formatted string) {
	switch level {
	case levelDebug:
		return "debug", "debugf"
	case levelInfo:
		return "info", "infof"
	case levelWarn:
		return "warn", "warnf"
	default:
		return "error", "errorf"
	}
}

// initialLogLevel is silly's INFO, or the runtime's log level (golua-ws
// --log-level) mapped onto silly's four.
func initialLogLevel(rt *runtime.Runtime) int {
	level, ok := rt.LogLevel()
	switch {
	case !ok:
		return levelInfo
	case level <= slog.LevelDebug:
		return levelDebug
	case level <= slog.LevelInfo:
		return levelInfo
	case level <= slog.LevelWarn:
		return levelWarn
	default:
		return levelError
	}
}

// slogLevels maps silly's levels onto slog's, indexed by level.
var slogLevels = [...]slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError}

// logStructured sends one silly.logger line to the runtime's structured
// logger instead of stdout: the values (or the formatted text) are the
// message, the caller's file:line the "source", the trace id and the task
// fields. It reports false when the runtime writes plain text.
func (s *state) logStructured(L *lua.LState, level int, b *strings.Builder, body int) bool {
	l := s.rt.StructuredLog()
	if l == nil {
		return false
	}
	var trace uint64
	if t := s.rt.Current(); t != nil {
		if st, ok := t.Value(stateKey{}).(*stask); ok {
			trace = st.trace
		}
	}
	attrs := append([]slog.Attr{slog.String("logger", "silly.logger"), slog.String("trace", fmt.Sprintf("%016x", trace))},
		s.rt.TaskAttrs()...)
	if where := L.Where(1); where != "" && !strings.HasPrefix(where, "[G]") {
		attrs = append(attrs, slog.String("source", strings.TrimSuffix(where, ":")))
	}
	lvl := slog.LevelError
	if level >= 0 && level < len(slogLevels) {
		lvl = slogLevels[level]
	}
	l.LogAttrs(context.Background(), lvl, strings.TrimSuffix(b.String()[body:], " "), attrs...)
	return true
}

func (s *state) openLogger(L *lua.LState) int {
	if s.logger == nil {
		// silly.logger requires silly.signal, which watches SIGINT.
		s.installSignal("SIGINT")
		mod := L.NewTable()
		mod.RawSetString("DEBUG", lua.LNumber(levelDebug))
		mod.RawSetString("INFO", lua.LNumber(levelInfo))
		mod.RawSetString("WARN", lua.LNumber(levelWarn))
		mod.RawSetString("ERROR", lua.LNumber(levelError))
		L.SetFuncs(mod, map[string]lua.LGFunction{
			"getlevel": s.logGetLevel,
			"setlevel": s.logSetLevel,
		})
		s.logger = mod
		s.refreshLogFuncs(L)
	}
	L.Push(s.logger)
	return 1
}

// refreshLogFuncs installs the logging functions; those below the current
// level become no-ops, as in silly, so their arguments cost nothing more
// than their evaluation.
func (s *state) refreshLogFuncs(L *lua.LState) {
	nop := L.NewFunction(func(*lua.LState) int { return 0 })
	for level := levelDebug; level <= levelError; level++ {
		plain, formatted := levelNames(level)
		if level < s.logLevel {
			s.logger.RawSetString(plain, nop)
			s.logger.RawSetString(formatted, nop)
			continue
		}
		s.logger.RawSetString(plain, L.NewFunction(func(L *lua.LState) int {
			args := make([]lua.LValue, L.GetTop())
			for i := range args {
				args[i] = L.Get(i + 1)
			}
			s.logValues(L, level, args)
			return 0
		}))
		s.logger.RawSetString(formatted, L.NewFunction(func(L *lua.LState) int {
			s.logFormat(L, level)
			return 0
		}))
	}
}

func (s *state) logGetLevel(L *lua.LState) int {
	L.Push(lua.LNumber(s.logLevel))
	return 1
}

func (s *state) logSetLevel(L *lua.LState) int {
	level := int64(levelInfo)
	if L.Get(1) != lua.LNil {
		level = luaarg.GoFloats.CheckInteger(L, 1, "setlevel")
	}
	s.logLevel = int(level)
	if s.logger != nil {
		s.refreshLogFuncs(L)
	}
	return 0
}

// logHeader is the start of every log line: local time, the trace id in
// 16 hex digits and the level letter, each followed by a space.
func (s *state) logHeader(level int, trace uint64) string {
	letter := byte('?')
	if level >= 0 && level < len(levelLetters) {
		letter = levelLetters[level]
	}
	return sillynet.LogHeader(letter, trace)
}

// logPrefix is logHeader plus the calling Lua function's file:line.
func (s *state) logPrefix(L *lua.LState, level int) *strings.Builder {
	var trace uint64
	if t := s.rt.Current(); t != nil {
		if st, ok := t.Value(stateKey{}).(*stask); ok {
			trace = st.trace
		}
	}
	b := &strings.Builder{}
	b.WriteString(s.logHeader(level, trace))
	if where := L.Where(1); where != "" && !strings.HasPrefix(where, "[G]") {
		b.WriteString(strings.TrimSuffix(where, ":"))
		b.WriteByte(' ')
	}
	return b
}

// logValues writes one line with every value followed by a space.
func (s *state) logValues(L *lua.LState, level int, args []lua.LValue) {
	if level < s.logLevel {
		return
	}
	b := s.logPrefix(L, level)
	body := b.Len()
	for _, v := range args {
		writeLogField(L, b, v, 0)
		b.WriteByte(' ')
	}
	if s.logStructured(L, level, b, body) {
		return
	}
	b.WriteByte('\n')
	_, _ = s.rt.Stdout().Write([]byte(b.String()))
}

// logFormat implements the *f functions: only %s (the value, followed by
// a space) and %% are understood.
func (s *state) logFormat(L *lua.LState, level int) {
	if level < s.logLevel {
		return
	}
	_, fname := levelNames(level)
	format := luaarg.CheckString(L, 1, fname)
	b := s.logPrefix(L, level)
	body := b.Len()
	arg, top := 1, L.GetTop()
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			b.WriteByte('%')
			continue
		}
		if i >= len(format) || format[i] != 's' {
			opt := ""
			if i < len(format) {
				opt = string(format[i])
			}
			L.RaiseError("invalid option '%%%s' to 'format', only support '%%s'", opt)
		}
		arg++
		if arg > top {
			L.RaiseError("no value")
		}
		writeLogField(L, b, L.Get(arg), 0)
		b.WriteByte(' ')
	}
	if s.logStructured(L, level, b, body) {
		return
	}
	b.WriteByte('\n')
	_, _ = s.rt.Stdout().Write([]byte(b.String()))
}

// writeLogField serialises v as silly's logger does: strings raw, integers
// in decimal, other numbers with %.14g, tables as {k=v,[1]=v} up to a
// depth of 5, anything else quoted through tostring.
func writeLogField(L *lua.LState, b *strings.Builder, v lua.LValue, depth int) {
	if depth > maxTableDepth {
		return
	}
	switch x := v.(type) {
	case lua.LString:
		b.WriteString(string(x))
	case lua.LNumber:
		f := float64(x)
		if f == math.Trunc(f) && f >= -9223372036854775808 && f < 9223372036854775808 {
			b.WriteString(strconv.FormatInt(int64(f), 10))
		} else {
			b.WriteString(formatG14(f))
		}
	case lua.LBool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case *lua.LNilType:
		b.WriteString("nil")
	case *lua.LTable:
		b.WriteByte('{')
		if depth == maxTableDepth {
			b.WriteString("...}")
			return
		}
		first := true
		key, val := x.Next(lua.LNil)
		for key != lua.LNil {
			if !first {
				b.WriteByte(',')
			}
			first = false
			if _, ok := key.(lua.LString); ok {
				writeLogField(L, b, key, depth+1)
			} else {
				b.WriteByte('[')
				writeLogField(L, b, key, depth+1)
				b.WriteByte(']')
			}
			b.WriteByte('=')
			if _, ok := val.(lua.LString); ok {
				b.WriteByte('"')
				writeLogField(L, b, val, depth+1)
				b.WriteByte('"')
			} else {
				writeLogField(L, b, val, depth+1)
			}
			key, val = x.Next(key)
		}
		b.WriteByte('}')
	default:
		b.WriteByte('"')
		b.WriteString(L.ToStringMeta(v).String())
		b.WriteByte('"')
	}
}

// formatG14 formats f like C's "%.14g".
func formatG14(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	}
	s := strconv.FormatFloat(f, 'g', 14, 64)
	// C prints exponents with at least two digits and no '+' padding
	// differences beyond that; Go already does e+06 style. Trim the
	// trailing zeros C's %g drops.
	if strings.ContainsAny(s, "e") {
		mant, exp, _ := strings.Cut(s, "e")
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		return mant + "e" + exp
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

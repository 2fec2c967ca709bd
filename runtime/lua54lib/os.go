package lua54lib

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// os.date, os.time and os.difftime with 5.4's rules: C99 strftime
// conversions in the C locale, "*t" tables with yday and isdst, date
// tables normalized in place, and 5.4's field errors.

func openOS(L *lua.LState) {
	ost, ok := L.GetGlobal("os").(*lua.LTable)
	if !ok {
		return
	}
	register(L, ost, map[string]lua.LGFunction{
		"date":     osDate,
		"time":     osTime,
		"difftime": osDifftime,
	})
}

// strftimeOptions are the conversions 5.4 accepts (LUA_STRFTIMEOPTIONS for
// C99): single letters, then the E and O modified ones.
const (
	strftimeSingle = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%"
	strftimeE      = "cCxXyY"
	strftimeO      = "deHImMSuUVwWy"
)

// strftime formats t like C's strftime in the C locale; it returns the
// offending specifier when a conversion is not valid.
func strftime(t time.Time, format string) (string, string) {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(format) {
			return "", "%"
		}
		i++
		c = format[i]
		if c == 'E' || c == 'O' {
			set := strftimeE
			if c == 'O' {
				set = strftimeO
			}
			if i+1 >= len(format) || strings.IndexByte(set, format[i+1]) < 0 {
				end := min(i+2, len(format))
				return "", "%" + format[i:end]
			}
			i++
			c = format[i]
		} else if strings.IndexByte(strftimeSingle, c) < 0 {
			return "", "%" + string(c)
		}
		b.WriteString(conversion(t, c))
	}
	return b.String(), ""
}

func conversion(t time.Time, c byte) string {
	two := func(n int) string { return fmt.Sprintf("%02d", n) }
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	isoYear, isoWeek := t.ISOWeek()
	switch c {
	case 'a':
		return t.Weekday().String()[:3]
	case 'A':
		return t.Weekday().String()
	case 'b', 'h':
		return t.Month().String()[:3]
	case 'B':
		return t.Month().String()
	case 'c':
		return fmt.Sprintf("%s %s %2d %02d:%02d:%02d %d", t.Weekday().String()[:3], t.Month().String()[:3],
			t.Day(), t.Hour(), t.Minute(), t.Second(), t.Year())
	case 'C':
		return two(t.Year() / 100)
	case 'd':
		return two(t.Day())
	case 'D', 'x':
		return fmt.Sprintf("%02d/%02d/%02d", int(t.Month()), t.Day(), t.Year()%100)
	case 'e':
		return fmt.Sprintf("%2d", t.Day())
	case 'F':
		return fmt.Sprintf("%d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
	case 'g':
		return two(isoYear % 100)
	case 'G':
		return strconv.Itoa(isoYear)
	case 'H':
		return two(t.Hour())
	case 'I':
		return two(hour12)
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay())
	case 'm':
		return two(int(t.Month()))
	case 'M':
		return two(t.Minute())
	case 'n':
		return "\n"
	case 'p':
		if t.Hour() < 12 {
			return "AM"
		}
		return "PM"
	case 'r':
		return fmt.Sprintf("%02d:%02d:%02d %s", hour12, t.Minute(), t.Second(), conversion(t, 'p'))
	case 'R':
		return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute())
	case 'S':
		return two(t.Second())
	case 't':
		return "\t"
	case 'T', 'X':
		return fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second())
	case 'u':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return strconv.Itoa(wd)
	case 'U':
		return two((t.YearDay() + 6 - int(t.Weekday())) / 7)
	case 'V':
		return two(isoWeek)
	case 'w':
		return strconv.Itoa(int(t.Weekday()))
	case 'W':
		return two((t.YearDay() + 6 - (int(t.Weekday())+6)%7) / 7)
	case 'y':
		return two(t.Year() % 100)
	case 'Y':
		return strconv.Itoa(t.Year())
	case 'z':
		_, off := t.Zone()
		sign := '+'
		if off < 0 {
			sign, off = '-', -off
		}
		return fmt.Sprintf("%c%02d%02d", sign, off/3600, off/60%60)
	case 'Z':
		name, _ := t.Zone()
		return name
	}
	return "%"
}

// osDate is os.date([format [, time]]).
func osDate(L *lua.LState) int {
	const name = "os.date"
	format := optString(L, 1, name, "%c")
	t := time.Now()
	if L.Get(2) != lua.LNil {
		t = time.Unix(checkInteger(L, 2, name), 0)
	}
	utc := strings.HasPrefix(format, "!")
	if utc {
		format = format[1:]
		t = t.UTC()
	} else {
		t = t.Local()
	}
	if strings.HasPrefix(format, "*t") {
		tbl := L.CreateTable(0, 9)
		setDateFields(tbl, t)
		L.Push(tbl)
		return 1
	}
	s, bad := strftime(t, format)
	if bad != "" {
		argError(L, 1, name, "invalid conversion specifier '"+bad+"'")
	}
	L.Push(lua.LString(s))
	return 1
}

func setDateFields(tbl *lua.LTable, t time.Time) {
	tbl.RawSetString("year", lua.LNumber(t.Year()))
	tbl.RawSetString("month", lua.LNumber(int(t.Month())))
	tbl.RawSetString("day", lua.LNumber(t.Day()))
	tbl.RawSetString("hour", lua.LNumber(t.Hour()))
	tbl.RawSetString("min", lua.LNumber(t.Minute()))
	tbl.RawSetString("sec", lua.LNumber(t.Second()))
	tbl.RawSetString("yday", lua.LNumber(t.YearDay()))
	tbl.RawSetString("wday", lua.LNumber(int(t.Weekday())+1))
	tbl.RawSetString("isdst", lua.LBool(t.IsDST()))
}

// dateField is 5.4's getfield: an integer field, def when absent (a
// negative def means required), with 5.4's errors.
func dateField(L *lua.LState, tbl *lua.LTable, key string, def int64, delta int64) int {
	v := L.GetField(tbl, key)
	var n int64
	switch x := v.(type) {
	case lua.LNumber:
		i, ok := lua54.FloatToInt(float64(x))
		if !ok {
			raise(L, "field '%s' is not an integer", key)
		}
		n = i
	case lua.LString:
		f, ok := lua54.StringToNumber(string(x))
		if !ok {
			raise(L, "field '%s' is not an integer", key)
		}
		i, ok := lua54.FloatToInt(f)
		if !ok {
			raise(L, "field '%s' is not an integer", key)
		}
		n = i
	case *lua.LNilType:
		if def < 0 {
			raise(L, "field '%s' missing in date table", key)
		}
		n = def
	default:
		raise(L, "field '%s' is not an integer", key)
	}
	if n >= 0 && n-delta > math.MaxInt32 || n < 0 && n-delta < math.MinInt32 {
		raise(L, "field '%s' is out-of-bound", key)
	}
	return int(n)
}

// osTime is os.time([table]): now, or the table's local time, whose
// fields are then normalized in place as mktime does.
func osTime(L *lua.LState) int {
	if L.Get(1) == lua.LNil {
		L.Push(lua.LNumber(float64(time.Now().Unix())))
		return 1
	}
	tbl, ok := L.Get(1).(*lua.LTable)
	if !ok {
		typeError(L, 1, "os.time", "table")
	}
	year := dateField(L, tbl, "year", -1, 1900)
	month := dateField(L, tbl, "month", -1, 1)
	day := dateField(L, tbl, "day", -1, 0)
	hour := dateField(L, tbl, "hour", 12, 0)
	minute := dateField(L, tbl, "min", 0, 0)
	sec := dateField(L, tbl, "sec", 0, 0)
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.Local)
	setDateFields(tbl, t)
	L.Push(lua.LNumber(float64(t.Unix())))
	return 1
}

// osDifftime is os.difftime(t2, t1): both times are integers in 5.4.4.
func osDifftime(L *lua.LState) int {
	t2 := checkInteger(L, 1, "os.difftime")
	t1 := checkInteger(L, 2, "os.difftime")
	L.Push(lua.LNumber(float64(t2 - t1)))
	return 1
}

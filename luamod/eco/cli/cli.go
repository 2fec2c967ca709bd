// Package cli provides lua-eco's "eco.cli" module for gopher-lua: one
// function, cli.parse_args(spec[, argv]), a getopt_long-style parser.
//
// spec is an array of option tables (name, short, long, type, default,
// required); the types are boolean (the default), string, number, integer,
// count and array. argv defaults to the global arg table (arg[0] is not
// an argument). Long options take --name value or --name=value; short ones
// -x value or -xvalue, and flags bundle (-vvq); "--" ends the options.
// Every problem, in the spec as in argv, returns nil and lua-eco's message;
// nothing is raised. The result table holds each option under its name and
// the positional arguments in args.
package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{"eco.cli": load}
}

func load(L *lua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("parse_args", L.NewFunction(parseArgs))
	L.Push(mod)
	return 1
}

// option is one normalised entry of the spec.
type option struct {
	name, short, long string
	typ               string
	def               lua.LValue
	required          bool
}

// takesValue reports whether the option consumes a value (--name value).
func (o *option) takesValue() bool {
	switch o.typ {
	case "string", "number", "integer", "array":
		return true
	}
	return false
}

var knownTypes = map[string]bool{
	"boolean": true, "string": true, "number": true, "integer": true, "count": true, "array": true,
}

// parseError is a message for the script: parse_args returns it as nil, msg.
type parseError string

func (e parseError) Error() string { return string(e) }

func failf(format string, args ...any) error { return parseError(fmt.Sprintf(format, args...)) }

// parseArgs implements cli.parse_args(spec[, argv]).
func parseArgs(L *lua.LState) int {
	opts, err := parse(L, L.Get(1), L.Get(2))
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	L.Push(opts)
	return 1
}

// parser holds one call's state.
type parser struct {
	L       *lua.LState
	specs   []*option
	byShort map[string]*option
	byLong  map[string]*option
	opts    *lua.LTable
	seen    map[string]bool
}

func parse(L *lua.LState, specValue, argvValue lua.LValue) (*lua.LTable, error) {
	p := &parser{L: L, byShort: map[string]*option{}, byLong: map[string]*option{}, seen: map[string]bool{}}
	if err := p.normalize(specValue); err != nil {
		return nil, err
	}
	var argv *lua.LTable
	switch v := argvValue.(type) {
	case *lua.LNilType:
		argv, _ = L.GetGlobal("arg").(*lua.LTable)
		if argv == nil {
			argv = L.NewTable()
		}
	case *lua.LTable:
		argv = v
	default:
		return nil, parseError("argv must be a table")
	}

	args := L.NewTable()
	p.opts = L.NewTable()
	p.opts.RawSetString("args", args)
	for _, o := range p.specs {
		p.setDefault(o)
	}

	n := argv.Len()
	// next returns argv[i+1] as the value of the option at argv[i].
	next := func(i *int, o *option) (string, error) {
		if *i >= n {
			return "", failf("option '%s' requires a value", o.name)
		}
		*i++
		s, ok := argv.RawGetInt(*i).(lua.LString)
		if !ok {
			return "", failf("argument #%d must be a string", *i)
		}
		return string(s), nil
	}
	parseOptions := true
	for i := 1; i <= n; i++ {
		ls, ok := argv.RawGetInt(i).(lua.LString)
		if !ok {
			return nil, failf("argument #%d must be a string", i)
		}
		arg := string(ls)
		switch {
		case !parseOptions || len(arg) < 2 || arg[0] != '-':
			args.Append(ls)
		case arg == "--":
			parseOptions = false
		case arg[1] == '-':
			key, value, hasValue := strings.Cut(arg[2:], "=")
			o := p.byLong[key]
			if key == "" || o == nil {
				return nil, failf("unknown option '%s'", arg)
			}
			if o.takesValue() && !hasValue {
				v, err := next(&i, o)
				if err != nil {
					return nil, err
				}
				value, hasValue = v, true
			}
			if err := p.apply(o, value, hasValue); err != nil {
				return nil, err
			}
		default:
			for pos := 1; pos < len(arg); pos++ {
				short := arg[pos : pos+1]
				o := p.byShort[short]
				if o == nil {
					return nil, failf("unknown option '-%s'", short)
				}
				var value string
				hasValue := false
				if o.takesValue() {
					if pos+1 < len(arg) {
						value, hasValue = arg[pos+1:], true
						pos = len(arg)
					} else {
						v, err := next(&i, o)
						if err != nil {
							return nil, err
						}
						value, hasValue = v, true
					}
				}
				if err := p.apply(o, value, hasValue); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, o := range p.specs {
		if o.required && !p.seen[o.name] {
			return nil, failf("required option '%s' is missing", o.name)
		}
	}
	return p.opts, nil
}

// normalize checks the spec and fills p.specs and the lookup maps.
func (p *parser) normalize(v lua.LValue) error {
	spec, ok := v.(*lua.LTable)
	if !ok {
		return parseError("spec must be a table")
	}
	byName := map[string]bool{}
	for i := 1; i <= spec.Len(); i++ {
		entry, ok := spec.RawGetInt(i).(*lua.LTable)
		if !ok {
			return failf("invalid option spec #%d", i)
		}
		name, ok := entry.RawGetString("name").(lua.LString)
		if !ok || name == "" {
			return failf("option spec #%d requires a non-empty 'name'", i)
		}
		o := &option{name: string(name), typ: "boolean", def: entry.RawGetString("default"),
			required: lua.LVAsBool(entry.RawGetString("required"))}
		switch t := entry.RawGetString("type").(type) {
		case *lua.LNilType:
		case lua.LString:
			o.typ = string(t)
		default:
			return failf("option '%s' type must be a string or nil", o.name)
		}
		if !knownTypes[o.typ] {
			return failf("option '%s' has unsupported type '%s'", o.name, o.typ)
		}
		if o.typ == "array" {
			if err := checkArrayDefault(o.name, o.def); err != nil {
				return err
			}
		}
		if byName[o.name] {
			return failf("option name '%s' specified multiple times", o.name)
		}
		byName[o.name] = true
		switch l := entry.RawGetString("long").(type) {
		case *lua.LNilType:
			o.long = o.name
		case lua.LString:
			if l == "" {
				return failf("option '%s' has invalid long name", o.name)
			}
			o.long = string(l)
		default:
			return failf("option '%s' has invalid long name", o.name)
		}
		if p.byLong[o.long] != nil {
			return failf("long option '%s' specified multiple times", o.long)
		}
		switch s := entry.RawGetString("short").(type) {
		case *lua.LNilType:
		case lua.LString:
			if len(s) != 1 {
				return failf("option '%s' short name must be one character", o.name)
			}
			if p.byShort[string(s)] != nil {
				return failf("short option '-%s' specified multiple times", string(s))
			}
			o.short = string(s)
		default:
			return failf("option '%s' short name must be one character", o.name)
		}
		p.specs = append(p.specs, o)
		p.byLong[o.long] = o
		if o.short != "" {
			p.byShort[o.short] = o
		}
	}
	return nil
}

// checkArrayDefault accepts nil or an array of strings with keys 1..n.
func checkArrayDefault(name string, def lua.LValue) error {
	if def == lua.LNil {
		return nil
	}
	t, ok := def.(*lua.LTable)
	if !ok {
		return failf("option '%s' default must be an array table", name)
	}
	var keys []int64
	var bad error
	t.ForEach(func(k, v lua.LValue) {
		n, isNum := k.(lua.LNumber)
		i, integral := lua54.FloatToInt(float64(n))
		if !isNum || !integral || i < 1 {
			bad = failf("option '%s' default must be an array table", name)
			return
		}
		keys = append(keys, i)
	})
	if bad != nil {
		return bad
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
	for _, k := range keys {
		if _, ok := t.RawGetInt(int(k)).(lua.LString); !ok {
			return failf("option '%s' default array item #%d must be a string", name, k)
		}
	}
	// Keys 1..len(keys) exactly, i.e. #default equals the number of keys.
	if len(keys) > 0 && keys[len(keys)-1] != int64(len(keys)) {
		return failf("option '%s' default array must not contain holes", name)
	}
	return nil
}

// setDefault stores o's starting value: its default (an array default is
// copied, so appending never changes the spec), else false for a boolean
// and 0 for a count.
func (p *parser) setDefault(o *option) {
	if o.def != lua.LNil {
		if t, ok := o.def.(*lua.LTable); ok && o.typ == "array" {
			cp := p.L.NewTable()
			for i := 1; i <= t.Len(); i++ {
				cp.RawSetInt(i, t.RawGetInt(i))
			}
			p.opts.RawSetString(o.name, cp)
			return
		}
		p.opts.RawSetString(o.name, o.def)
		return
	}
	switch o.typ {
	case "boolean":
		p.opts.RawSetString(o.name, lua.LFalse)
	case "count":
		p.opts.RawSetString(o.name, lua.LNumber(0))
	}
}

// convert turns an option's text into its value.
func convert(o *option, value string, hasValue bool) (lua.LValue, error) {
	switch o.typ {
	case "boolean", "count":
		if hasValue {
			return nil, failf("option '%s' does not take a value", o.name)
		}
		return lua.LTrue, nil
	}
	if !hasValue {
		return nil, failf("option '%s' requires a value", o.name)
	}
	switch o.typ {
	case "string", "array":
		return lua.LString(value), nil
	}
	f, ok := lua54.StringToNumber(value)
	if o.typ == "integer" {
		if _, integral := lua54.FloatToInt(f); !ok || !integral {
			return nil, failf("option '%s' expects an integer", o.name)
		}
	} else if !ok {
		return nil, failf("option '%s' expects a %s", o.name, o.typ)
	}
	return lua.LNumber(f), nil
}

// apply records one occurrence of o.
func (p *parser) apply(o *option, value string, hasValue bool) error {
	v, err := convert(o, value, hasValue)
	if err != nil {
		return err
	}
	if o.typ != "array" && o.typ != "count" && p.seen[o.name] {
		return failf("option '%s' specified multiple times", o.name)
	}
	p.seen[o.name] = true
	switch o.typ {
	case "array":
		cur := p.opts.RawGetString(o.name)
		list, ok := cur.(*lua.LTable)
		if cur == lua.LNil {
			list = p.L.NewTable()
			p.opts.RawSetString(o.name, list)
		} else if !ok {
			return failf("option '%s' default must be an array table", o.name)
		}
		list.Append(v)
	case "count":
		n, _ := p.opts.RawGetString(o.name).(lua.LNumber)
		p.opts.RawSetString(o.name, n+1)
	default:
		p.opts.RawSetString(o.name, v)
	}
	return nil
}

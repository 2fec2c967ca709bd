package core

import (
	_ "embed"
	"os"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

//go:embed env.lua
var envLoaderSource []byte

func (s *state) openEnv(L *lua.LState) int {
	if s.env == nil {
		s.env = L.NewTable()
		for _, a := range s.rt.ScriptArgs() {
			if k, v, ok := parseEnvArg(a); ok {
				s.env.RawSetString(k, lua.LString(v))
			}
		}
	}
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"get":  s.envGet,
		"set":  s.envSet,
		"load": s.envLoad,
	})
	L.Push(mod)
	return 1
}

// parseEnvArg reads a script argument "--key=value" the way silly does
// with strtok: runs of '=' separate tokens, empty tokens are skipped, and
// the value ends at the next '='. Entries without both a key and a value
// are ignored.
func parseEnvArg(a string) (key, value string, ok bool) {
	if len(a) <= 2 || !strings.HasPrefix(a, "--") {
		return "", "", false
	}
	var tokens []string
	for _, tok := range strings.Split(a[2:], "=") {
		if tok != "" {
			tokens = append(tokens, tok)
			if len(tokens) == 2 {
				break
			}
		}
	}
	if len(tokens) < 2 {
		return "", "", false
	}
	return tokens[0], tokens[1], true
}

func (s *state) envGet(L *lua.LState) int {
	L.Push(L.GetTable(s.env, L.Get(1)))
	return 1
}

func (s *state) envSet(L *lua.LState) int {
	L.SetTable(s.env, L.Get(1), L.Get(2))
	return 0
}

// envLoad is env.load(file): nil on success, else the error message with
// its chunk-name prefix partly stripped, as silly returns it.
func (s *state) envLoad(L *lua.LState) int {
	file := luaarg.CheckString(L, 1, "load")
	fn, err := s.rt.Compile(envLoaderSource, "silly.env")
	if err != nil {
		L.RaiseError("silly.env: %v", err)
	}
	readfile := L.NewFunction(func(L *lua.LState) int {
		b, err := os.ReadFile(L.CheckString(1))
		if err != nil {
			return 0
		}
		L.Push(lua.LString(b))
		return 1
	})
	L.Push(fn)
	L.Push(s.env)
	L.Push(lua.LString(file))
	L.Push(readfile)
	if err := lua54.PCall(L, 3, 0, nil); err != nil {
		msg := err.Error()
		if apiErr, ok := err.(*lua.ApiError); ok {
			msg = L.ToStringMeta(apiErr.Object).String()
		}
		L.Push(lua.LString(skipCode(msg)))
		return 1
	}
	L.Push(lua.LNil)
	return 1
}

// skipCode drops everything up to the first ']' and the three characters
// after it, as silly does to shorten `[string "..."]:N:` prefixes.
func skipCode(msg string) string {
	i := strings.IndexByte(msg, ']')
	if i < 0 {
		return ""
	}
	rest := msg[i+1:]
	if len(rest) >= 3 {
		return rest[3:]
	}
	return rest
}

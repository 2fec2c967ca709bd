// Package lua54_test runs the Lua 5.4 syntax and lowering spec programs in
// this directory through runtime/lua54 and compares what they print with
// the matching .expected file.
//
// An .expected file holds what the reference Lua 5.4 interpreter prints.
// Where this runtime must print something else because its numbers are
// float64 (see runtime/lua54's package documentation), the differing line
// is followed by a line "##float64: <what we print>", which the runner uses
// instead. Other lines starting with "##" are comments. Setting
// LUA54_SPEC_DUMP=dir writes each program's actual output to dir/NAME.got.
package lua54_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	"github.com/golua-ws/golua-ws/spec/specrun"
)

func TestSpecPrograms(t *testing.T) {
	scripts, err := filepath.Glob("*.lua")
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) == 0 {
		t.Fatal("no spec programs found")
	}
	for _, script := range scripts {
		name := strings.TrimSuffix(script, ".lua")
		t.Run(name, func(t *testing.T) {
			want, err := readExpected(name + ".expected")
			if err != nil {
				t.Fatal(err)
			}
			got, runErr := runProgram(script)
			if runErr != nil {
				got = append(got, "error: "+runErr.Error())
			}
			if dir := os.Getenv("LUA54_SPEC_DUMP"); dir != "" {
				// For maintainers: write the actual output next to others.
				_ = os.WriteFile(filepath.Join(dir, name+".got"), []byte(strings.Join(got, "\n")+"\n"), 0o644)
			}
			if d := specrun.FirstDifference(script, want, got); d != "" {
				t.Fatal(d)
			}
		})
	}
}

// readExpected returns the expected output lines with the float64
// substitutions applied.
func readExpected(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "##float64: "):
			if len(lines) > 0 {
				lines[len(lines)-1] = strings.TrimPrefix(l, "##float64: ")
			}
		case strings.HasPrefix(l, "##"):
		default:
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// runProgram runs a spec program on a plain gopher-lua state prepared the
// way the runtime prepares its VM: lua54.OpenRuntime, and load, loadstring,
// dofile and loadfile going through lua54.Compile.
func runProgram(path string) ([]string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	L := lua.NewState()
	defer L.Close()
	lua54.OpenRuntime(L)
	var out bytes.Buffer
	L.SetGlobal("print", L.NewFunction(func(L *lua.LState) int {
		for i := 1; i <= L.GetTop(); i++ {
			if i > 1 {
				out.WriteByte('\t')
			}
			if n, ok := L.Get(i).(lua.LNumber); ok { // as the runtime's print
				out.WriteString(lua54.NumberToString(n))
				continue
			}
			out.WriteString(L.ToStringMeta(L.Get(i)).String())
		}
		out.WriteByte('\n')
		return 0
	}))
	L.SetGlobal("load", L.NewFunction(load54))
	L.SetGlobal("loadstring", L.NewFunction(load54))
	proto, err := lua54.Compile(src, "@"+path)
	if err != nil {
		return nil, err
	}
	L.Push(L.NewFunctionFromProto(proto))
	err = L.PCall(0, lua.MultRet, nil)
	text := strings.TrimSuffix(out.String(), "\n")
	if text == "" {
		return nil, err
	}
	return strings.Split(text, "\n"), err
}

// load54 is Lua 5.4's load(chunk [, chunkname [, mode [, env]]]) for text
// chunks.
func load54(L *lua.LState) int {
	var src []byte
	name := "=(load)"
	switch c := L.Get(1).(type) {
	case lua.LString:
		src = []byte(c)
		name = string(c)
	case *lua.LFunction:
		var buf bytes.Buffer
		for {
			L.Push(c)
			L.Call(0, 1)
			piece := L.Get(-1)
			L.Pop(1)
			s, ok := piece.(lua.LString)
			if !ok || s == "" {
				break
			}
			buf.WriteString(string(s))
		}
		src = buf.Bytes()
	default:
		L.ArgError(1, "string or function expected")
	}
	if s, ok := L.Get(2).(lua.LString); ok {
		name = string(s)
	}
	proto, err := lua54.Compile(src, name)
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	fn := L.NewFunctionFromProto(proto)
	if env, ok := L.Get(4).(*lua.LTable); ok {
		fn.Env = env
	}
	L.Push(fn)
	return 1
}

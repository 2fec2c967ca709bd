package sys

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	lua "github.com/yuin/gopher-lua"
)

// spawnEnv carries a spawned function's description to the child process.
const spawnEnv = "GOLUA_WS_ECO_SPAWN"

// spawnCode is what the child golua-ws runs (-e): rebuild the function and
// run it as a task, as lua-eco's child runs eco.run(f) and eco.loop().
const spawnCode = "require('eco').run(require('eco.internal.sys').spawned())"

// spawnSpec describes a function to run in a child process: where its
// source is and the values of its upvalues.
type spawnSpec struct {
	Source   string       `json:"source"`
	Line     int          `json:"line"`
	LastLine int          `json:"last_line"`
	Params   int          `json:"params"`
	Upvalues []spawnUpval `json:"upvalues"`
}

// spawnUpval is one upvalue: a nil, boolean, number or string value, or
// a module (package.loaded[Module]) or one of its fields.
type spawnUpval struct {
	Name   string  `json:"name"`
	Kind   string  `json:"kind"` // nil, boolean, number, string, module
	Bool   bool    `json:"bool,omitempty"`
	Num    float64 `json:"num,omitempty"`
	Str    []byte  `json:"str,omitempty"`
	Module string  `json:"module,omitempty"`
	Field  string  `json:"field,omitempty"`
}

// luaSpawn is sys.spawn(f): lua-eco forks and runs f in the child. A Go
// process cannot run on after a plain fork, so golua-ws starts a new
// golua-ws process instead, which compiles f's source file again, finds f
// by its lines, gives it copies of its upvalues and runs it. That works for
// a function defined in a script file (loaded as the runtime loads
// scripts, so its lines match) whose upvalues are nil, booleans,
// numbers, strings, modules (require'd tables) or functions of modules
// (table.concat); anything else — a table the script built, a closure —
// returns nil and an error naming the upvalue, as does a function from a
// string chunk. The child does not share the parent's globals or flags; it
// gets SIGKILL when the parent dies (lua-eco's PR_SET_PDEATHSIG) and is
// reaped like an exec child, so waitpid and kill work on its pid.
func (s *state) luaSpawn(L *lua.LState) int {
	fn, ok := L.Get(1).(*lua.LFunction)
	if !ok || fn.IsG {
		L.ArgError(1, "Lua function expected")
	}
	spec, err := describeSpawn(L, fn)
	if err != nil {
		return pushErr(L, err.Error())
	}
	data, err := json.Marshal(spec)
	if err != nil {
		return pushErr(L, fmt.Sprintf("spawn: %v", err))
	}
	self, err := os.Executable()
	if err != nil {
		return pushErr(L, fmt.Sprintf("spawn: %v", err))
	}
	env := append(os.Environ(), spawnEnv+"="+string(data))
	// -L: the script's directory comes first on package.path, as it does
	// for the parent's script.
	argv := []string{self, "-L", filepath.Dir(spec.Source), "-e", spawnCode}
	proc, err := os.StartProcess(self, argv, &os.ProcAttr{
		Env:   env,
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		return pushErr(L, fdio.Strerror(err))
	}
	c := &child{pid: proc.Pid, done: make(chan struct{})}
	s.children[c.pid] = c
	go c.reap(proc)
	L.Push(lua.LNumber(c.pid))
	return 1
}

// describeSpawn records where fn is defined and its upvalues' values.
func describeSpawn(L *lua.LState, fn *lua.LFunction) (*spawnSpec, error) {
	p := fn.Proto
	source := strings.TrimPrefix(p.SourceName, "@")
	if st, err := os.Stat(source); err != nil || st.IsDir() {
		return nil, fmt.Errorf("spawn: the function is not defined in a script file (%s)", p.SourceName)
	}
	spec := &spawnSpec{Source: source, Line: p.LineDefined, LastLine: p.LastLineDefined, Params: int(p.NumParameters)}
	for i, uv := range fn.Upvalues {
		name := fmt.Sprintf("upvalue %d", i+1)
		if i < len(p.DbgUpvalues) {
			name = p.DbgUpvalues[i]
		}
		var v lua.LValue = lua.LNil
		if uv != nil {
			v = uv.Value()
		}
		u, err := describeValue(L, name, v)
		if err != nil {
			return nil, err
		}
		spec.Upvalues = append(spec.Upvalues, u)
	}
	return spec, nil
}

func describeValue(L *lua.LState, name string, v lua.LValue) (spawnUpval, error) {
	u := spawnUpval{Name: name}
	switch v := v.(type) {
	case *lua.LNilType:
		u.Kind = "nil"
	case lua.LBool:
		u.Kind, u.Bool = "boolean", bool(v)
	case lua.LNumber:
		u.Kind, u.Num = "number", float64(v)
	case lua.LString:
		u.Kind, u.Str = "string", []byte(v)
	default:
		mod, field, ok := findInModules(L, v)
		if !ok {
			return u, fmt.Errorf("spawn: upvalue '%s' is a %s that cannot be copied to the child process", name, v.Type())
		}
		u.Kind, u.Module, u.Field = "module", mod, field
	}
	return u, nil
}

// findInModules finds v as a loaded module or as a field of one.
func findInModules(L *lua.LState, v lua.LValue) (mod, field string, ok bool) {
	loaded, isTable := L.GetField(L.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable)
	if !isTable {
		return "", "", false
	}
	loaded.ForEach(func(k, m lua.LValue) {
		name, isName := k.(lua.LString)
		if ok || !isName {
			return
		}
		if m == v {
			mod, ok = string(name), true
			return
		}
		if t, isT := m.(*lua.LTable); isT {
			t.ForEach(func(fk, fv lua.LValue) {
				if fname, isS := fk.(lua.LString); !ok && isS && fv == v {
					mod, field, ok = string(name), string(fname), true
				}
			})
		}
	})
	return mod, field, ok
}

// luaSpawned is eco.internal.sys.spawned(), run by a spawned child: the
// function the parent described, rebuilt.
func (s *state) luaSpawned(L *lua.LState) int {
	data := os.Getenv(spawnEnv)
	if data == "" {
		L.RaiseError("eco.sys: not a spawned process")
	}
	// The function's own children are not spawned processes.
	os.Unsetenv(spawnEnv)
	var spec spawnSpec
	if err := json.Unmarshal([]byte(data), &spec); err != nil {
		L.RaiseError("eco.sys: spawn description: %v", err)
	}
	chunk, err := s.rt.LoadFile(spec.Source)
	if err != nil {
		L.RaiseError("eco.sys: spawn: %v", err)
	}
	proto := findProto(chunk.Proto, &spec)
	if proto == nil {
		L.RaiseError("eco.sys: spawn: no function at %s:%d-%d", spec.Source, spec.Line, spec.LastLine)
	}
	fn := L.NewFunctionFromProto(proto)
	if err := s.bindUpvalues(L, fn, spec.Upvalues); err != nil {
		L.RaiseError("eco.sys: spawn: %v", err)
	}
	L.Push(fn)
	return 1
}

// findProto finds the prototype defined at spec's lines, with its number
// of parameters and upvalues.
func findProto(p *lua.FunctionProto, spec *spawnSpec) *lua.FunctionProto {
	if p.LineDefined == spec.Line && p.LastLineDefined == spec.LastLine &&
		int(p.NumParameters) == spec.Params && int(p.NumUpvalues) == len(spec.Upvalues) {
		return p
	}
	for _, sub := range p.FunctionPrototypes {
		if found := findProto(sub, spec); found != nil {
			return found
		}
	}
	return nil
}

// bindUpvalues gives fn closed upvalues holding the described values.
// gopher-lua's Upvalue cannot be made outside its package, so a generated
// closure over n locals provides them.
func (s *state) bindUpvalues(L *lua.LState, fn *lua.LFunction, ups []spawnUpval) error {
	if len(ups) == 0 {
		return nil
	}
	names := make([]string, len(ups))
	for i := range ups {
		names[i] = fmt.Sprintf("u%d", i+1)
	}
	list := strings.Join(names, ", ")
	gen, err := L.LoadString("local " + list + " = ...\nreturn function() return " + list + " end")
	if err != nil {
		return fmt.Errorf("upvalue generator: %w", err)
	}
	L.Push(gen)
	for _, u := range ups {
		v, err := upvalueValue(L, u)
		if err != nil {
			return err
		}
		L.Push(v)
	}
	L.Call(len(ups), 1)
	holder, ok := L.Get(-1).(*lua.LFunction)
	L.Pop(1)
	if !ok || len(holder.Upvalues) != len(ups) {
		return fmt.Errorf("upvalue generator returned %d upvalues", len(holder.Upvalues))
	}
	copy(fn.Upvalues, holder.Upvalues)
	return nil
}

func upvalueValue(L *lua.LState, u spawnUpval) (lua.LValue, error) {
	switch u.Kind {
	case "nil":
		return lua.LNil, nil
	case "boolean":
		return lua.LBool(u.Bool), nil
	case "number":
		return lua.LNumber(u.Num), nil
	case "string":
		return lua.LString(u.Str), nil
	case "module":
		L.Push(L.GetGlobal("require"))
		L.Push(lua.LString(u.Module))
		if err := L.PCall(1, 1, nil); err != nil {
			return nil, fmt.Errorf("upvalue '%s': %w", u.Name, err)
		}
		m := L.Get(-1)
		L.Pop(1)
		if u.Field == "" {
			return m, nil
		}
		return L.GetField(m, u.Field), nil
	}
	return nil, fmt.Errorf("upvalue '%s': unknown kind %q", u.Name, u.Kind)
}

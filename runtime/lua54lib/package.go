package lua54lib

import (
	"os"
	"strings"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// packageConfig is 5.4's package.config on POSIX: directory separator,
// path separator, the substitution mark, the executable's directory mark
// and the ignore mark, one per line.
const packageConfig = "/\n;\n?\n!\n-\n"

// luaPathDefault is 5.4's LUA_PATH_DEFAULT on POSIX with Debian's
// /usr/share/lua/5.4 entries, as Debian's lua5.4 has it.
const luaPathDefault = "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;" +
	"/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;" +
	"/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua;./?.lua;./?/init.lua"

func openPackage(L *lua.LState) {
	pkg := libTable(L, "package")
	pkg.RawSetString("config", lua.LString(packageConfig))
	pkg.RawSetString("path", lua.LString(envPath("LUA_PATH_5_4", "LUA_PATH", luaPathDefault)))
	pkg.RawSetString("cpath", lua.LString(envPath("LUA_CPATH_5_4", "LUA_CPATH", cPathDefault)))
	pkg.RawSetString("searchpath", L.NewFunction(packageSearchPath))
	L.G.Global.RawSetString("require", L.NewFunction(baseRequire))
	// gopher-lua's package.loaders holds the preload and Lua searchers;
	// 5.4 names the list package.searchers and adds the C searchers.
	searchers, ok := pkg.RawGetString("loaders").(*lua.LTable)
	if !ok {
		searchers = L.NewTable()
		pkg.RawSetString("loaders", searchers)
	}
	pkg.RawSetString("searchers", searchers)
	searchers.RawSetInt(1, L.NewFunction(searchPreload))
	searchers.RawSetInt(2, L.NewFunction(LuaSearcher(func(src []byte, chunkName string) (*lua.LFunction, error) {
		proto, err := lua54.Compile(src, chunkName)
		if err != nil {
			return nil, err
		}
		return L.NewFunctionFromProto(proto), nil
	}, nil)))
	searchers.Append(L.NewFunction(searchC))
	searchers.Append(L.NewFunction(searchCRoot))
}

// cPathDefault is Debian's lua5.4 LUA_CPATH_DEFAULT.
const cPathDefault = "/usr/local/lib/lua/5.4/?.so;/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;" +
	"/usr/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so"

// LuaSearcher returns 5.4's Lua searcher (package.searchers[2]): it finds
// name on package.path with SearchPath, compiles the file with compile
// (which gets the source with its "#" first line, and "@file") and returns
// the function and the file name. loaded, when not nil, is told of each
// module found. The runtime installs its own with its compiler and its
// module tracking for hot reload.
func LuaSearcher(compile func(src []byte, chunkName string) (*lua.LFunction, error), loaded func(name, file string)) lua.LGFunction {
	return func(L *lua.LState) int {
		name := checkString(L, 1, "require")
		path := packagePath(L, "path")
		file, tried := SearchPath(name, path, ".", "/")
		if file == "" {
			L.Push(lua.LString(tried))
			return 1
		}
		src, err := os.ReadFile(file)
		var fn *lua.LFunction
		if err == nil {
			fn, err = compile(src, "@"+file)
		}
		if err != nil {
			L.Error(lua.LString("error loading module '"+name+"' from file '"+file+"':\n\t"+err.Error()), 0)
		}
		if loaded != nil {
			loaded(name, file)
		}
		L.Push(fn)
		L.Push(lua.LString(file))
		return 2
	}
}

// searchPreload is 5.4's first searcher: package.preload[name], with
// ":preload:" as the loader data.
func searchPreload(L *lua.LState) int {
	name := checkString(L, 1, "require")
	pkg, _ := L.GetGlobal("package").(*lua.LTable)
	var preload *lua.LTable
	if pkg != nil {
		preload, _ = pkg.RawGetString("preload").(*lua.LTable)
	}
	if preload == nil {
		L.Error(lua.LString("'package.preload' must be a table"), 0)
	}
	if loader := preload.RawGetString(name); loader != lua.LNil {
		L.Push(loader)
		L.Push(lua.LString(":preload:"))
		return 2
	}
	L.Push(lua.LString("no field package.preload['" + name + "']"))
	return 1
}

// packagePath is package[field] ("path" or "cpath"), which must be a
// string ("" when there is no package table).
func packagePath(L *lua.LState, field string) string {
	pkg, ok := L.GetGlobal("package").(*lua.LTable)
	if !ok {
		return ""
	}
	p, ok := pkg.RawGetString(field).(lua.LString)
	if !ok {
		L.Error(lua.LString("'package."+field+"' must be a string"), 0)
	}
	return string(p)
}

// searchC is 5.4's C searcher (package.searchers[3]): it looks name up on
// package.cpath so that require's message lists the files as 5.4 does. A
// C module cannot run on gopher-lua, so finding one is an error that says
// so instead of a silent miss.
func searchC(L *lua.LState) int {
	return searchCPath(L, checkString(L, 1, "require"))
}

// searchCRoot is the all-in-one searcher (package.searchers[4]): for
// "a.b.c" it looks up the C library of the root name "a".
func searchCRoot(L *lua.LState) int {
	name := checkString(L, 1, "require")
	root, _, ok := strings.Cut(name, ".")
	if !ok {
		return 0 // a root name: the C searcher has tried it
	}
	return searchCPath(L, root)
}

func searchCPath(L *lua.LState, name string) int {
	cpath := packagePath(L, "cpath")
	file, tried := SearchPath(name, cpath, ".", "/")
	if file != "" {
		L.Error(lua.LString("error loading module '"+name+"' from file '"+file+
			"':\n\tC modules cannot be loaded (golua-ws runs Lua on gopher-lua)"), 0)
	}
	L.Push(lua.LString(tried))
	return 1
}

// envPath is a search path as lua5.4 sets one: the variable named by
// versioned (LUA_PATH_5_4), else plain (LUA_PATH), with ";;" standing for
// def; def when neither is set.
func envPath(versioned, plain, def string) string {
	v, ok := os.LookupEnv(versioned)
	if !ok {
		v, ok = os.LookupEnv(plain)
	}
	if !ok {
		return def
	}
	if i := strings.Index(v, ";;"); i >= 0 {
		return v[:i] + ";" + def + ";" + v[i+2:]
	}
	return v
}

// baseRequire is 5.4's require: package.loaded, then each of
// package.searchers in order; the loader is called with the name and the
// searcher's extra value, which require also returns. Its errors carry
// no position, as those of a C function.
func baseRequire(L *lua.LState) int {
	name := checkString(L, 1, "require")
	pkg, _ := L.GetGlobal("package").(*lua.LTable)
	if pkg == nil {
		L.Error(lua.LString("'package' must be a table"), 0)
	}
	loaded, ok := L.GetField(pkg, "loaded").(*lua.LTable)
	if !ok {
		L.Error(lua.LString("'package.loaded' must be a table"), 0)
	}
	if v := loaded.RawGetString(name); lua.LVAsBool(v) {
		L.Push(v)
		return 1
	}
	searchers, ok := L.GetField(pkg, "searchers").(*lua.LTable)
	if !ok {
		L.Error(lua.LString("'package.searchers' must be a table"), 0)
	}
	var msg strings.Builder
	var loader, extra lua.LValue
	for i := 1; ; i++ {
		searcher := searchers.RawGetInt(i)
		if searcher == lua.LNil {
			L.Error(lua.LString("module '"+name+"' not found:"+msg.String()), 0)
		}
		L.Push(searcher)
		L.Push(lua.LString(name))
		L.Call(1, 2)
		loader, extra = L.Get(-2), L.Get(-1)
		L.Pop(2)
		if loader.Type() == lua.LTFunction {
			break
		}
		if s, ok := loader.(lua.LString); ok {
			msg.WriteString("\n\t")
			msg.WriteString(string(s))
		}
	}
	L.Push(loader)
	L.Push(lua.LString(name))
	L.Push(extra)
	L.Call(2, 1)
	if r := L.Get(-1); r != lua.LNil {
		loaded.RawSetString(name, r)
	}
	L.Pop(1)
	if loaded.RawGetString(name) == lua.LNil {
		loaded.RawSetString(name, lua.LTrue)
	}
	L.Push(loaded.RawGetString(name))
	L.Push(extra)
	return 2
}

// SearchPath is 5.4's package.searchpath: name with every sep replaced by
// rep is put in place of each '?' of the ';'-separated templates of path,
// and the first file that can be opened for reading is returned. Otherwise
// it returns "" and 5.4's message: a "no file '...'" line per template
// tried, joined by "\n\t". The runtime's require searcher uses it
// too, so both find the same files.
func SearchPath(name, path, sep, rep string) (string, string) {
	if sep != "" {
		name = strings.ReplaceAll(name, sep, rep)
	}
	var tried strings.Builder
	// Every template is tried, empty ones included ("no file ''"), as
	// 5.4 does.
	for _, template := range strings.Split(path, ";") {
		file := strings.ReplaceAll(template, "?", name)
		if f, err := os.Open(file); err == nil {
			_ = f.Close()
			return file, ""
		}
		if tried.Len() > 0 {
			tried.WriteString("\n\t")
		}
		tried.WriteString("no file '" + file + "'")
	}
	return "", tried.String()
}

func packageSearchPath(L *lua.LState) int {
	const qualified = "package.searchpath"
	// lua5.4 (gcc) checks the path before the name.
	path := checkString(L, 2, qualified)
	name := checkString(L, 1, qualified)
	sep := optString(L, 3, qualified, ".")
	rep := optString(L, 4, qualified, "/")
	file, tried := SearchPath(name, path, sep, rep)
	if file == "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(tried))
		return 2
	}
	L.Push(lua.LString(file))
	return 1
}

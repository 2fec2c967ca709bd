package lua54lib

import (
	"os"
	"strings"

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
	pkg.RawSetString("path", lua.LString(initialPath()))
	pkg.RawSetString("searchpath", L.NewFunction(packageSearchPath))
	L.G.Global.RawSetString("require", L.NewFunction(baseRequire))
}

// initialPath is package.path as lua5.4 sets it: LUA_PATH_5_4, else
// LUA_PATH, with ";;" standing for the default path; else the default.
func initialPath() string {
	v, ok := os.LookupEnv("LUA_PATH_5_4")
	if !ok {
		v, ok = os.LookupEnv("LUA_PATH")
	}
	if !ok {
		return luaPathDefault
	}
	if i := strings.Index(v, ";;"); i >= 0 {
		return v[:i] + ";" + luaPathDefault + ";" + v[i+2:]
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
	if path == "" {
		return "", ""
	}
	// As 5.4 reads the path: a leading ';' is skipped, every other
	// template is tried, empty ones included ("no file ''").
	path = strings.TrimPrefix(path, ";")
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

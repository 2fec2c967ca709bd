package stubs_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/stubs"
	"github.com/golua-ws/golua-ws/runtime"
)

// listFunctions is Lua that requires every module in package.preload and
// prints, one line per module, its name, the type of its value and the
// names of the functions in it. Names starting with "_" are private by the
// peers' convention (eco._resume, silly.task._dump) and are not API.
const listFunctions = `
local function functions(t)
	local names = {}
	local seen = {}
	local function add(tab)
		if type(tab) ~= "table" then return end
		for k, v in pairs(tab) do
			if type(k) == "string" and type(v) == "function" and k:sub(1, 1) ~= "_" and not seen[k] then
				seen[k] = true
				names[#names + 1] = k
			end
		end
	end
	if type(t) == "table" then add(t) end
	local mt = getmetatable(t)
	if type(mt) == "table" then add(mt.__index) end
	table.sort(names)
	return table.concat(names, " ")
end
local mods = {}
for name in pairs(package.preload) do mods[#mods + 1] = name end
table.sort(mods)
local out = {}
for _, name in ipairs(mods) do
	local ok, m = pcall(require, name)
	if not ok then error("require " .. name .. ": " .. tostring(m)) end
	out[#out + 1] = name .. "\t" .. type(m) .. "\t" .. (type(m) == "table" and functions(m) or "")
end
return table.concat(out, "\n")
`

// constructors build, cheaply and without I/O beyond a local socket or a
// file that exists everywhere, one object of a documented class, so that
// its real methods can be compared with the stub's.
var constructors = map[string]string{
	"eco.reader":             `require "eco".reader(0)`,
	"eco.writer":             `require "eco".writer(1)`,
	"eco.io":                 `require "eco".io(0)`,
	"eco.channel.Channel":    `require "eco.channel".new()`,
	"eco.sync.mutex":         `require "eco.sync".mutex()`,
	"eco.sync.cond":          `require "eco.sync".cond()`,
	"eco.sync.waitgroup":     `require "eco.sync".waitgroup()`,
	"eco.time.timer":         `require "eco.time".timer(function() end)`,
	"eco.hash.md5.ctx":       `require "eco.hash.md5".new()`,
	"eco.hash.sha1.ctx":      `require "eco.hash.sha1".new()`,
	"eco.hash.sha256.ctx":    `require "eco.hash.sha256".new()`,
	"eco.hash.hmac.ctx":      `require "eco.hash.hmac".new(require "eco.hash.sha256", "k")`,
	"eco.socket.socket":      `require "eco.socket".udp()`,
	"eco.file.file":          `require "eco.file".open("/dev/null")`,
	"eco.file.inotify":       `require "eco.file".inotify()`,
	"eco.http.client.client": `require "eco.http.client".new()`,
	"golua.bus.sub":          `require "golua.bus".subscribe("stubs.drift", function() end)`,
	"eco.ssl.context":        `require "eco.ssl".context()`,
	"eco.shared.dict":        `require "eco.shared".new("stubs.drift", 4096)`,
	"eco.sys.process":        `require "eco.sys".exec("true")`,
	"eco.sys.signal_handle":  `require "eco.sys".signal(require "eco.sys".SIGUSR2, function() end)`,
}

// realAPI runs listFunctions (and the constructors) in a runtime with every
// module registered, as the golua-ws command has them.
func realAPI(t *testing.T) (modules map[string][]string, kinds map[string]string, classes map[string][]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rt := runtime.New()
	defer rt.Close(ctx)
	luamod.Register(rt)
	out, err := rt.DoString(ctx, listFunctions, "=drift")
	if err != nil {
		t.Fatalf("listing the registered modules: %v", err)
	}
	modules, kinds = map[string][]string{}, map[string]string{}
	for _, line := range strings.Split(out[0].(string), "\n") {
		f := strings.Split(line, "\t")
		modules[f[0]] = strings.Fields(f[2])
		kinds[f[0]] = f[1]
	}
	classes = map[string][]string{}
	for class, expr := range constructors {
		code := listFunctions[:strings.Index(listFunctions, "local mods")] +
			fmt.Sprintf("local o, err = %s\nif o == nil then error(tostring(err)) end\nlocal names = functions(o)\nif o.close then o:close() end\nreturn names", expr)
		out, err := rt.DoString(ctx, code, "=drift-"+class)
		if err != nil {
			t.Fatalf("constructing a %s with %s: %v", class, expr, err)
		}
		classes[class] = strings.Fields(out[0].(string))
	}
	return modules, kinds, classes
}

// compare reports the names real has and the stub lacks, and the reverse.
func compare(t *testing.T, what string, real []string, described []Fn) {
	t.Helper()
	var names []string
	for _, f := range described {
		names = append(names, f.Name)
	}
	for _, n := range real {
		if !slices.Contains(names, n) {
			t.Errorf("%s: function %s is registered but has no description", what, n)
		}
	}
	for _, n := range names {
		if !slices.Contains(real, n) {
			t.Errorf("%s: the description names function %s, which does not exist", what, n)
		}
	}
}

// Fn is the part of a described function compare needs.
type Fn = stubs.Function

// TestDescriptionsMatchRegisteredFunctions is the drift test: every module
// the runtime registers has a stub, every function of it is described,
// every described function exists, and so do the methods of the classes
// the constructors can build.
func TestDescriptionsMatchRegisteredFunctions(t *testing.T) {
	modules, kinds, classes := realAPI(t)
	names := make([]string, 0, len(modules))
	for n := range modules {
		names = append(names, n)
	}
	sort.Strings(names)
	var missing []string
	described := map[string]stubs.Class{}
	for _, name := range names {
		d, err := stubs.Module(name)
		if err != nil {
			missing = append(missing, name)
			continue
		}
		if kinds[name] == "table" {
			compare(t, "module "+name, modules[name], d.Functions)
		}
		for _, c := range d.Classes {
			described[c.Name] = c
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d registered modules have no description in luamod/stubs/lua: %s", len(missing), strings.Join(missing, ", "))
	}
	for _, name := range stubs.Names() {
		if _, ok := modules[name]; !ok {
			t.Errorf("luamod/stubs/lua/%s.lua describes module %s, which is not registered", name, name)
		}
	}
	for class, methods := range classes {
		c, ok := described[class]
		if !ok {
			t.Errorf("class %s has a constructor in the test but no ---@class in any stub", class)
			continue
		}
		// A function stored in the object (a timer's cb) is a field, not a
		// method: "---@field NAME fun(...)" describes it.
		described := c.Methods
		for _, f := range c.Fields {
			if name, typ, _ := strings.Cut(f, " "); strings.HasPrefix(typ, "fun(") {
				described = append(described, stubs.Function{Name: strings.TrimSuffix(name, "?")})
			}
		}
		compare(t, "class "+class, methods, described)
	}
}

// TestStubsParseWithLua54 loads every stub with the real Lua 5.4 compiler:
// LuaLS reads them as Lua, so a syntax error would silently drop a module.
func TestStubsParseWithLua54(t *testing.T) {
	luac, err := exec.LookPath("luac5.4")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("luac5.4 required in CI (.ci/run installs Debian's lua5.4): %v", err)
		}
		t.Skipf("luac5.4 not found on $PATH (Debian: apt-get install lua5.4): %v", err)
	}
	dir := t.TempDir()
	if err := stubs.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range stubs.Names() {
		out, err := exec.Command(luac, "-p", filepath.Join(dir, name+".lua")).CombinedOutput()
		if err != nil {
			t.Errorf("%s.lua is not valid Lua 5.4: %v\n%s", name, err, out)
		}
	}
}

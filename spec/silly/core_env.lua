-- Spec: silly.env (silly-api.md §1.8). The Go test passes
-- --port=8080 --a=b=c --==x=y --empty= --novalue plain -s=1 --log-level=debug
local env = require "silly.env"

assert(env.get("port") == "8080", tostring(env.get("port")))
assert(type(env.get("port")) == "string", 'values are strings')
assert(env.get("a") == "b", 'value ends at the second =')
assert(env.get("x") == "y", 'leading = are skipped like strtok')
assert(env.get("empty") == nil and env.get("novalue") == nil)
assert(env.get("s") == nil and env.get("plain") == nil)
assert(env.get("log-level") == "debug")

env.set("k", 42)
assert(env.get("k") == 42)
env.set("k", nil)
assert(env.get("k") == nil)

-- load: a config file with nested tables, include and ENV.
local dir = assert(os.getenv("CORE_TMP"), 'CORE_TMP not set')
local main = dir .. "/main.conf"
local inc = dir .. "/inc.conf"
local f = assert(io.open(inc, "w"))
f:write('extra = "from include"\n')
f:close()
f = assert(io.open(main, "w"))
f:write('include("' .. inc .. '")\n')
f:write('hello = {{"world"}, name = "n"}\n')
f:write('port = "9999"\n')
f:write('home = ENV("CORE_TMP")\n')
f:write('flag = false\n')
f:close()
assert(env.load(main) == nil)
assert(env.get("hello.1.1") == "world", tostring(env.get("hello.1.1")))
assert(env.get("hello.name") == "n")
assert(env.get("extra") == "from include")
assert(env.get("port") == "8080", 'the first writer (the command line) wins')
assert(env.get("home") == dir)
assert(env.get("flag") == false)
assert(env.get("print") == nil, 'standard globals are not config keys')

-- A broken config gives an error string.
f = assert(io.open(dir .. "/bad.conf", "w"))
f:write('x = = 1\n')
f:close()
local err = env.load(dir .. "/bad.conf")
assert(type(err) == "string" and #err > 0, 'load error')
local err2 = env.load(dir .. "/missing.conf")
assert(type(err2) == "string" and err2:find('open config error of file:', 1, true), tostring(err2))
print('core_env ok')

-- Spec: eco.shared (lua-eco 4.1.3 shared.c). Run with --fatal-errors and
-- the golua-ws binary as arg[1] (a second process shares the dictionary).
local eco = require 'eco'
local shared = require 'eco.shared'
local sys = require 'eco.sys'

local bin = assert(arg[1], 'usage: shared_spec.lua GOLUA_WS_BIN')
local name = string.format('golua-ws-spec-%d', sys.getpid())

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

-- Names and sizes.
local d, err = shared.new('a/b', 16)
assert(d == nil and err == 'invalid name')
d, err = shared.get(string.rep('n', 300))
assert(d == nil and err == 'name too long')
d, err = shared.get(name)
assert(d == nil and err == 'No such file or directory', err)
assert(errmsg(shared.new, name, 0):find('size must be great than 0', 1, true))
assert(errmsg(shared.new, name, 'x'):find('number expected', 1, true))

local dict = assert(shared.new(name, 1024))
d, err = shared.new(name, 1024)
assert(d == nil and err == 'File exists', err)
local other = assert(shared.get(name))

-- Values of the three kinds, seen through both handles.
assert(dict:set('b', false) == true)
assert(dict:set('n', -2.25) == true)
assert(dict:set('s', 'text\0with nul') == true)
assert(other:get('b') == false and other:get('n') == -2.25 and other:get('s') == 'text\0with nul')
assert(dict:get('absent') == nil)
assert(select('#', dict:get('absent')) == 0)
local ok
ok, err = dict:set('t', {})
assert(ok == nil and err == 'bad value type (only string/number/boolean)')
assert(errmsg(dict.set, dict, '', 1):find('invalid key', 1, true))
assert(errmsg(dict.set, dict, 'k', 1, 1 / 0):find('exptime must be finite', 1, true))
assert(errmsg(dict.incr, dict, 'n', 0 / 0):find('delta must be finite', 1, true))
assert(errmsg(dict.get, 'notadict', 'k'):find('bad self', 1, true))

-- Overwrite, delete.
assert(dict:set('s', 'v2'))
assert(other:get('s') == 'v2')
assert(dict:del('s') == true and dict:del('s') == false and dict:get('s') == nil)

-- incr keeps or replaces the expiry.
assert(dict:set('c', 10))
assert(dict:incr('c', 5) == 15 and dict:incr('c', -0.5) == 14.5)
assert(dict:ttl('c') == 0)
assert(dict:incr('c', 1, 10) == 15.5)
local ttl = dict:ttl('c')
assert(ttl > 9 and ttl <= 10, ttl)
assert(dict:incr('nope', 1) == nil)
ok, err = dict:incr('b', 1)
assert(ok == nil and err == 'not a number')

-- Expiry and expire().
assert(dict:set('e', 'gone soon', 0.03))
assert(dict:ttl('e') > 0)
eco.sleep(0.06)
assert(dict:get('e') == nil and dict:ttl('e') == nil and dict:expire('e', 1) == nil)
assert(dict:set('e', 'kept', 0.03))
assert(dict:expire('e', 0) == true)
eco.sleep(0.06)
assert(dict:get('e') == 'kept')

-- get_keys in insertion order; flush_all.
local keys = dict:get_keys()
assert(table.concat(keys, ',') == 'b,n,c,e', table.concat(keys, ','))
dict:flush_all()
assert(#other:get_keys() == 0)

-- Room: a record is a 24-byte header, the key and the value; deleted and
-- expired records are compacted away when a set runs out of room.
local small = assert(shared.new(name .. '-small', 100))
assert(small:set('k1', string.rep('x', 20)))       -- 46 bytes
assert(small:set('k2', string.rep('y', 20)))       -- 92
ok, err = small:set('k3', 'z')
assert(ok == nil and err == 'no memory')
assert(small:del('k1'))
assert(small:set('k3', string.rep('z', 20)))       -- fits after compaction
assert(small:get('k2') == string.rep('y', 20) and small:get('k3') == string.rep('z', 20))
small:close()

-- Another process sees and changes the same dictionary.
dict:set('from_parent', 'hello')
local child_src = os.tmpname()
local f = assert(io.open(child_src, 'w'))
f:write(string.format([[
local shared = require 'eco.shared'
local d = assert(shared.get(%q))
assert(d:get('from_parent') == 'hello')
assert(d:set('from_child', 42))
d:close()
]], name))
f:close()
local p = assert(sys.exec(bin, '--fatal-errors', child_src))
local pid, st = p:wait(20)
p:close()
os.remove(child_src)
assert(pid and st.exited and st.status == 0, 'child process failed')
assert(dict:get('from_child') == 42)

-- The owner's close removes the name; open handles go on working.
dict:close()
dict:close()
assert(other:get('from_child') == 42)
d, err = shared.get(name)
assert(d == nil and err == 'No such file or directory')
other:close()
other:close()
ok, err = other:get('from_child')
assert(ok == nil and err == 'closed')

print('shared_spec ok')

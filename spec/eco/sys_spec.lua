-- Spec: eco.sys (lua-eco 4.1.3 sys.lua/sys.c). Run with --fatal-errors.
-- Exec pipes are read in sys_exec_spec.lua.
local eco = require 'eco'
local sys = require 'eco.sys'
local isys = require 'eco.internal.sys'

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

-- Constants are Linux's numbers.
assert(sys.SIGINT == 2 and sys.SIGKILL == 9 and sys.SIGTERM == 15 and sys.SIGCHLD == 17)
assert(sys.ENOENT == 2 and sys.EINVAL == 22 and sys.EPIPE == 32)
assert(sys.SIG_BLOCK == 0 and sys.SIG_UNBLOCK == 1 and sys.SIG_SETMASK == 2)
assert(sys.PR_SET_PDEATHSIG == 1)

-- Process facts.
local pid = sys.getpid()
assert(math.type(pid) == 'integer' and pid > 1)
assert(math.type(sys.getppid()) == 'integer' and sys.getppid() ~= pid)
assert(math.type(sys.uptime()) == 'integer' and sys.uptime() > 0)
assert(math.type(sys.get_nprocs()) == 'integer' and sys.get_nprocs() >= 1)
assert(sys.strerror(sys.ENOENT) == 'No such file or directory')
assert(sys.strerror(sys.EINVAL) == 'Invalid argument')
assert(errmsg(sys.strerror, 'x'):find('number expected', 1, true))

-- prctl: PR_SET_PDEATHSIG only.
assert(sys.prctl(sys.PR_SET_PDEATHSIG, 0) == true)
local ok, err = sys.prctl(12345, 0)
assert(ok == nil and err == 'unsupported option')
ok, err = sys.prctl(sys.PR_SET_PDEATHSIG, 1000)
assert(ok == nil and err == 'Invalid argument', err)

-- getpwnam reads /etc/passwd.
local root = assert(sys.getpwnam('root'))
assert(root.username == 'root' and root.uid == 0 and root.gid == 0)
assert(root.home == '/root' and type(root.shell) == 'string' and type(root.password) == 'string')
ok, err = sys.getpwnam('no-such-user-' .. pid)
assert(ok == nil and err == 'not found')

-- kill: signal 0 probes a pid; a pid that does not exist is ESRCH.
assert(sys.kill(pid, 0) == true)
ok, err = sys.kill(0x3fffffff, 0)
assert(ok == nil and err == 'No such process', err)

-- signal: the callback runs in its own task with the extra arguments,
-- once per delivery, and never after close; SIGCHLD is refused.
local got = {}
local sig = assert(sys.signal(sys.SIGWINCH, function(a, b)
    got[#got + 1] = a .. b
end, 'x', 'y'))
assert(sys.kill(pid, sys.SIGWINCH))
for _ = 1, 100 do
    if #got == 1 then break end
    eco.sleep(0.01)
end
assert(#got == 1 and got[1] == 'xy', 'signal callback did not run once')
assert(sys.kill(pid, sys.SIGWINCH))
for _ = 1, 100 do
    if #got == 2 then break end
    eco.sleep(0.01)
end
assert(#got == 2, 'second delivery')
sig:close()
sig:close()
assert(sys.kill(pid, sys.SIGWINCH))
eco.sleep(0.05)
assert(#got == 2, 'callback ran after close')
assert(errmsg(sys.signal, sys.SIGCHLD, function() end):find('SIGCHLD is reserved', 1, true))
ok, err = sys.signal(sys.SIGKILL, function() end)
assert(ok == nil and err == 'Invalid argument')
assert(errmsg(sys.signal, sys.SIGUSR2, 'notafunction'):find('function expected', 1, true))

-- A listener on SIGTERM replaces the runtime's shutdown; closing it as a
-- to-be-closed variable gives the default back.
do
    local terms = 0
    local term <close> = assert(sys.signal(sys.SIGTERM, function() terms = terms + 1 end))
    assert(sys.kill(pid, sys.SIGTERM))
    for _ = 1, 100 do
        if terms == 1 then break end
        eco.sleep(0.01)
    end
    assert(terms == 1, 'SIGTERM listener did not run')
end

-- exec without reading: status tables, wait timeouts, waitpid.
local p = assert(sys.exec('/bin/sh', '-c', 'exit 7'))
assert(math.type(p.pid) == 'integer' and math.type(p.stdout_fd) == 'integer' and math.type(p.stderr_fd) == 'integer')
local wpid, st = p:wait(5)
assert(wpid == p.pid and st.exited == true and st.status == 7 and st.signaled == nil)
wpid, err = p:wait(0.02)
assert(wpid == nil and err == 'timeout', 'the status is handed out once')
p:close()
p:close()

p = assert(sys.exec({ '/bin/sh', '-c', 'sleep 5' }, { 'A=1' }))
wpid, st = sys.waitpid(p.pid)
assert(wpid == 0 and next(st) == nil, 'running child: 0 and an empty table')
wpid, err = p:wait(0.05)
assert(wpid == nil and err == 'timeout')
assert(p:signal(sys.SIGTERM) == true)
wpid, st = p:wait(5)
assert(wpid == p.pid and st.signaled == true and st.status == sys.SIGTERM)
p:close()

p = assert(sys.exec('sleep', '5'))  -- found through PATH
wpid, st = p:stop(0.5)
assert(wpid == p.pid and st.signaled and st.status == sys.SIGTERM)
p:close()

p = assert(sys.exec('/bin/sh', '-c', 'trap "" TERM; sleep 5'))
eco.sleep(0.1) -- let the shell install its trap
wpid, st = p:stop(0.2)
assert(wpid == p.pid and st.signaled and st.status == sys.SIGKILL, 'stop escalates to SIGKILL')
p:close()

p = assert(sys.exec('/bin/sh', '-c', 'exit 3'))
for _ = 1, 200 do
    wpid, st = sys.waitpid(p.pid)
    if wpid ~= 0 then break end
    eco.sleep(0.01)
end
assert(wpid == p.pid and st.exited and st.status == 3, 'waitpid reaps an ended child')
wpid, err = p:wait(0.01)
assert(wpid == nil and err == 'timeout')
p:close()

-- Error paths: a program that does not exist, bad arguments.
ok, err = sys.exec('/nonexistent/program')
assert(ok == nil and err == 'No such file or directory', err)
ok, err = sys.exec('no-such-program-in-path-' .. pid)
assert(ok == nil and err == 'No such file or directory', err)
ok, err = sys.exec('/etc')
assert(ok == nil and err == 'Permission denied', err)
assert(errmsg(sys.exec, {}):find('bad argument #1', 1, true))
assert(errmsg(sys.exec, 'x', {}):find('string expected', 1, true))
wpid, err = sys.waitpid(0x3fffffff)
assert(wpid == nil and err == 'No child processes', err)
wpid, err = isys.wait(0x3fffffff, 0.01)
assert(wpid == nil and err == 'timeout')

-- spawn runs a function of this file in a child golua-ws process, with
-- copies of its upvalues (scalars, modules and module functions).
do
    local marker = os.tmpname()
    local n, concat = 42, table.concat
    local child = assert(sys.spawn(function()
        local f = assert(io.open(marker, 'w'))
        f:write(concat({ 'child', tostring(n), tostring(sys.getppid() == pid) }, ' '))
        f:close()
        eco.sleep(0.01) -- the child runs eco tasks too
    end))
    assert(math.type(child) == 'integer' and child ~= pid)
    local wpid2, st2
    for _ = 1, 500 do
        wpid2, st2 = sys.waitpid(child)
        if wpid2 ~= 0 then break end
        eco.sleep(0.01)
    end
    assert(wpid2 == child and st2.exited and st2.status == 0, 'spawned child did not exit 0')
    local f = assert(io.open(marker))
    assert(f:read('a') == 'child 42 true')
    f:close()
    os.remove(marker)

    -- A child can be signalled like any other.
    child = assert(sys.spawn(function() eco.sleep(30) end))
    eco.sleep(0.1)
    assert(sys.kill(child, sys.SIGKILL))
    for _ = 1, 500 do
        wpid2, st2 = sys.waitpid(child)
        if wpid2 ~= 0 then break end
        eco.sleep(0.01)
    end
    assert(wpid2 == child and st2.signaled and st2.status == sys.SIGKILL)

    -- What cannot be copied is refused with nil, err.
    local tbl = {}
    ok, err = sys.spawn(function() return tbl end)
    assert(ok == nil and err == "spawn: upvalue 'tbl' is a table that cannot be copied to the child process", err)
    ok, err = load('return require("eco.sys").spawn(function() end)')()
    assert(ok == nil and err:find('not defined in a script file', 1, true), err)
    assert(not pcall(sys.spawn, 'x'))
    assert(not pcall(sys.spawn, print))
end

-- eco._init is for a forked child only.
assert(errmsg(eco._init):find('only allowed in child process', 1, true))

print('sys_spec ok')

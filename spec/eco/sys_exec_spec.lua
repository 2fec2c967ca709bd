-- Spec: eco.sys exec pipes and sh (lua-eco 4.1.3 sys.lua). Run with
-- --fatal-errors.
local eco = require 'eco'
local sys = require 'eco.sys'
local file = require 'eco.internal.file'

-- stdout and stderr are separate pipes; '*a' reads to the end, then 'eof'.
local p = assert(sys.exec('/bin/sh', '-c', 'printf out; printf err >&2; exit 4'))
assert(p:read_stdout('*a', 5) == 'out')
assert(p:read_stderr('*a', 5) == 'err')
local data, err = p:read_stdout('*a', 5)
assert(data == nil and err == 'eof', tostring(err))
local pid, st = p:wait(5)
assert(pid == p.pid and st.exited and st.status == 4)
p:close()

-- The env table is the whole environment; the child's stdin is ours.
p = assert(sys.exec({ '/bin/sh', '-c', 'printf "%s|%s" "$A" "$HOME"' }, { 'A=x y' }))
assert(p:read_stdout('*a', 5) == 'x y|')
p:wait(5)
p:close()

-- A read timeout leaves the pipe usable.
p = assert(sys.exec('/bin/sh', '-c', 'sleep 0.2; printf late'))
data, err = p:read_stdout('*a', 0.02)
assert(data == nil and err == 'timeout', tostring(err))
assert(p:read_stdout('*a', 5) == 'late')
p:wait(5)
p:close()

-- close wakes pending readers with 'canceled' and closes both fds.
p = assert(sys.exec('/bin/sleep', '30'))
local results = {}
eco.run(function() results.out = { p:read_stdout('*a') } end)
eco.run(function() results.err = { p:read_stderr('*a') } end)
eco.sleep(0.02)
local ofd = p.stdout_fd
p:close()
eco.sleep(0.02)
assert(results.out and results.out[1] == nil and results.out[2] == 'canceled')
assert(results.err and results.err[1] == nil and results.err[2] == 'canceled')
local ok, cerr = file.close(ofd)
assert(ok == nil and type(cerr) == 'string', 'close did not close stdout_fd')
data, err = p:read_stdout('*a', 1)
assert(data == nil and err == 'closed')
assert(p:kill() == true)
pid, st = p:wait(5)
assert(pid == p.pid and st.signaled and st.status == sys.SIGKILL)

-- sh: strings run through /bin/sh -c, tables are argument lists; both
-- streams are drained at once, so a child filling stderr does not stall.
local out, errout, sherr = sys.sh('printf S; printf E >&2')
assert(out == 'S' and errout == 'E' and sherr == nil)
out, errout = sys.sh({ '/bin/echo', 'a', 'b' })
assert(out == 'a b\n' and errout == '')
out, errout = sys.sh('head -c 300000 /dev/zero >&2; printf done', 10)
assert(out == 'done' and #errout == 300000)
out, errout, sherr = sys.sh('sleep 5', 0.05)
assert(out == nil and errout == nil and sherr == 'timeout')
out, errout, sherr = sys.sh({ '/nonexistent/x' })
assert(out == nil and errout == nil and sherr == 'No such file or directory')
assert(not pcall(sys.sh, 42))

print('sys_exec_spec ok')

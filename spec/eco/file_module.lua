-- Spec: eco.internal.file and eco.file (lua-eco's file.c and file.lua):
-- paths, stat tables, directories, file objects, flock, inotify, and the
-- nil, err of each on failure. arg[1] is a scratch directory. Run with
-- --fatal-errors.
local eco = require 'eco'
local file = require 'eco.file'
local ifile = require 'eco.internal.file'
local time = require 'eco.time'

local root = assert(arg[1], 'usage: file_module.lua DIR')

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

-- eco.file falls back to eco.internal.file for what it does not define.
assert(file.O_RDONLY == 0 and file.O_CREAT == 64 and file.SEEK_END == 2)
assert(file.IN_CREATE == 0x100 and file.IN_ISDIR == 0x40000000)
assert(file.LOCK_EX == 2 and file.S_IRWXU == 448 and file.SKIP == 1)
assert(file.close == ifile.close)

-- Path helpers: POSIX dirname and basename.
local cases = {
    { '/a/b/c', '/a/b', 'c' }, { 'a/b/', 'a', 'b' }, { 'name', '.', 'name' },
    { '/', '/', '/' }, { '/top', '/', 'top' }, { '//x//', '/', 'x' }, { '', '.', '.' },
}
for _, c in ipairs(cases) do
    assert(file.dirname(c[1]) == c[2], 'dirname ' .. c[1] .. ' = ' .. file.dirname(c[1]))
    assert(file.basename(c[1]) == c[3], 'basename ' .. c[1] .. ' = ' .. file.basename(c[1]))
end

-- mkdir, access, stat, readfile/writefile, readlink, statvfs.
local d = root .. '/d'
assert(file.mkdir(d, file.S_IRWXU) == true)
local ok, err = file.mkdir(d)
assert(ok == nil and err == 'File exists', err)
assert(errmsg(file.mkdir, d .. 'x', -1):find('invalid mode', 1, true))
assert(file.access(d) == true and file.access(d, 'x') == true)
assert(file.access(root .. '/none') == false)

local p = d .. '/a.txt'
assert(file.writefile(p, 'hello\nworld\n') == true)
assert(file.writefile(p, 'tail\n', true) == true)
assert(file.readfile(p) == 'hello\nworld\ntail\n')
assert(file.readfile(p, '*l') == 'hello')
local data
data, err = file.readfile(root .. '/none')
assert(data == nil and err:find('No such file or directory', 1, true), err)
ok, err = file.writefile(root .. '/no/dir/x', 'x')
assert(ok == nil and err:find('No such file or directory', 1, true), err)

local st = assert(file.stat(p))
assert(st.type == 'REG' and st.size == 17 and st.nlink == 1)
assert(math.type(st.mode) == 'integer' or type(st.mode) == 'number')
for _, k in ipairs({ 'mode', 'atime', 'mtime', 'ctime', 'uid', 'gid', 'ino' }) do
    assert(type(st[k]) == 'number', k)
end
assert(math.abs(st.mtime - os.time()) < 60)
assert(file.stat(d).type == 'DIR')
st, err = file.stat(root .. '/none')
assert(st == nil and err == 'No such file or directory', err)
st, err = file.fstat(987654)
assert(st == nil and err == 'Bad file descriptor', err)

local link = d .. '/a.link'
assert(os.execute(string.format('ln -s %q %q', p, link)))
assert(file.readlink(link) == p)
data, err = file.readlink(p)
assert(data == nil and err == 'Invalid argument', err)
assert(file.stat(link).type == 'REG', 'stat follows links')

local total, avail, used = file.statvfs(root)
assert(total > 0 and avail >= 0 and used >= 0 and avail <= total)
total, err = file.statvfs(root .. '/none')
assert(total == nil and err == 'No such file or directory')
assert(file.chown(p) == true, 'chown with no ids changes nothing')
ok, err = file.chown(root .. '/none', 0, 0)
assert(ok == nil and err == 'No such file or directory')
file.sync()

-- dir: every entry but . and .., with stat tables; a dangling link is LNK;
-- a missing directory gives no entries.
assert(os.execute(string.format('ln -s %q %q', d .. '/gone', d .. '/dangling')))
assert(file.mkdir(d .. '/sub'))
assert(file.writefile(d .. '/sub/deep.txt', 'x'))
local seen = {}
for name, info in file.dir(d) do
    seen[name] = info.type
end
assert(seen['a.txt'] == 'REG' and seen['a.link'] == 'REG' and seen.sub == 'DIR')
assert(seen.dangling == 'LNK' and seen['.'] == nil and seen['..'] == nil)
local n = 0
for _ in file.dir(root .. '/none') do n = n + 1 end
assert(n == 0)

-- walk: depth first, SKIP skips a directory, false stops.
local visited = {}
file.walk(d, function(path, name, info)
    visited[path] = info.type
end)
assert(visited[d .. '/sub/deep.txt'] == 'REG' and visited[d .. '/sub'] == 'DIR')
visited = {}
file.walk(d .. '/', function(path, name)
    visited[path] = true
    if name == 'sub' then return file.SKIP end
end)
assert(visited[d .. '/sub'] and not visited[d .. '/sub/deep.txt'])
n = 0
file.walk(d, function() n = n + 1; return false end)
assert(n == 1)
assert(errmsg(file.walk, false, function() end):find('root path must be a string', 1, true))

-- File objects: open errors, read/write/lseek/stat through eco.reader and
-- eco.writer, close twice.
local f
f, err = file.open(root .. '/none')
assert(f == nil and err == 'No such file or directory', err)
f = assert(file.open(d .. '/rw.txt', file.O_RDWR | file.O_CREAT | file.O_TRUNC, file.S_IRUSR | file.S_IWUSR))
assert(type(f.fd) == 'number' and f.rd and f.wr)
assert(f:write('abcdef\nline2\n', 0.2) == 13)
assert(f:stat().size == 13 and f:stat().mode == 384)
assert(f:lseek(0, file.SEEK_SET) == 0)
assert(f:read(6, 0.2) == 'abcdef')
assert(f:read('*l', 0.2) == '')
assert(f:read('l', 0.2) == 'line2')
data, err = f:read(1, 0.2)
assert(data == nil and err == 'eof')
assert(f:lseek(-6, file.SEEK_END) == 7)
assert(f:readfull(5, 0.2) == 'line2')
assert(f:lseek(0, file.SEEK_SET) == 0)
local chunk, found = f:readuntil('cd', 0.2)
assert(chunk == 'ab' and found == true)
data, err = f:lseek(-100, file.SEEK_SET)
assert(data == nil and err == 'Invalid argument', err)
local fd = f.fd
f:close()
assert(f.fd == -1)
f:close()
ok, err = file.close(fd)
assert(ok == nil and err == 'Bad file descriptor', 'closed by f:close()')

-- Opening a FIFO waits for its other end without blocking other tasks.
do
    local fifo = d .. '/fifo'
    assert(os.execute(string.format('mkfifo %q', fifo)))
    local wfd
    eco.run(function()
        eco.sleep(0.03)
        wfd = assert(ifile.open(fifo, ifile.O_WRONLY))
    end)
    local t0 = time.now()
    local rfd = assert(ifile.open(fifo, ifile.O_RDONLY))
    assert(time.now() - t0 >= 0.02, 'open returned before the writer came')
    -- Both opens return once both ends are there; the writer's task may
    -- get the token a little after the reader's (bounded wait).
    for _ = 1, 200 do
        if wfd then break end
        eco.sleep(0.01)
    end
    assert(wfd, 'the writer task did not run while the reader opened')
    assert(eco.writer(wfd):write('via fifo') == 8)
    assert(eco.reader(rfd):read(8, 0.5) == 'via fifo')
    assert(ifile.close(rfd) and ifile.close(wfd))
    file.sync()
end

-- flock: exclusive lock held by another open file times out, then works
-- once released; a bad fd gives the errno's text.
local f1 = assert(file.open(d .. '/lock', file.O_RDWR | file.O_CREAT, file.S_IRUSR | file.S_IWUSR))
local f2 = assert(file.open(d .. '/lock', file.O_RDWR))
assert(f1:flock(file.LOCK_EX, 0.2) == true)
local t0 = time.now()
ok, err = f2:flock(file.LOCK_EX, 0.05)
assert(ok == nil and err == 'timeout', err)
assert(time.now() - t0 >= 0.04)
local ok2, errno = ifile.flock(f2.fd, file.LOCK_EX)
assert(ok2 == nil and errno == 11, 'internal flock returns the errno number (EAGAIN)')
eco.run(function()
    eco.sleep(0.03)
    f1:flock(file.LOCK_UN)
end)
assert(f2:flock(file.LOCK_EX, 1) == true, 'lock taken once released')
f1:close()
f2:close()
ok, err = f1:flock(file.LOCK_EX, 0.1)
assert(ok == nil and err == 'Bad file descriptor', err)

-- inotify_parse_event: whole events, names cut at NUL, short buffers.
local function event(wd, mask, cookie, name)
    return string.pack('=i4I4I4I4', wd, mask, cookie, name and #name or 0) .. (name or '')
end
local evs = file.inotify_parse_event('')
assert(type(evs) == 'table' and #evs == 0)
evs = file.inotify_parse_event(event(7, file.IN_CREATE, 0, 'x\0\0\0') .. event(8, file.IN_DELETE_SELF, 0))
assert(#evs == 2 and evs[1].wd == 7 and evs[1].mask == file.IN_CREATE and evs[1].name == 'x')
assert(evs[2].wd == 8 and evs[2].name == nil)
assert(errmsg(file.inotify_parse_event, string.rep('\0', 15)):find('invalid inotify event buffer', 1, true))
assert(errmsg(file.inotify_parse_event, event(1, 2, 0, 'abcdefgh'):sub(1, 20)):find('invalid inotify event buffer', 1, true))

-- inotify: events with full paths, timeout, del, close twice, errors.
local w = assert(file.inotify())
local watch = d .. '/watch'
assert(file.mkdir(watch))
local wd = assert(w:add(watch, file.IN_CREATE | file.IN_CLOSE_WRITE))
local bad
bad, err = w:add(root .. '/none')
assert(bad == nil and err == 'No such file or directory', err)
local ev
ev, err = w:wait(0.03)
assert(ev == nil and err == 'timeout')
eco.run(function()
    eco.sleep(0.01)
    assert(file.writefile(watch .. '/new.txt', 'x'))
end)
ev = assert(w:wait(1))
assert(ev.name == watch .. '/new.txt' and ev.mask & file.IN_CREATE ~= 0, ev.name)
ev = assert(w:wait(1))
assert(ev.name == watch .. '/new.txt' and ev.mask & file.IN_CLOSE_WRITE ~= 0)
assert(w:del(wd) == true)
ok, err = w:del(wd)
assert(ok == nil and err == 'Invalid argument', err)
assert(file.writefile(watch .. '/after.txt', 'x'))
ev, err = w:wait(0.05)
assert(ev == nil and err == 'timeout', 'no events after del')

-- A task waiting on a watcher that is closed is canceled.
local result
eco.run(function()
    result = { w:wait(5) }
end)
w:close()
w:close()
local deadline = time.now() + 1
while not result do
    assert(time.now() < deadline, 'close did not end the wait')
    eco.sleep(0.005)
end
assert(result[1] == nil and result[2] == 'canceled', result[2])

print('file_module ok')

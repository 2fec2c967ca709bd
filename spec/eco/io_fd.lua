-- Spec: eco.io, eco.reader and eco.writer on raw fds (a FIFO's two ends,
-- a regular file), with lua-eco's return values and errors. arg[1] is a
-- scratch directory. Run with --fatal-errors.
local eco = require 'eco'
local ifile = require 'eco.internal.file'
local time = require 'eco.time'

local dir = assert(arg[1], 'usage: io_fd.lua DIR')

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

-- pipe returns the read and write fds of a new FIFO.
local npipes = 0
local function pipe()
    npipes = npipes + 1
    local path = string.format('%s/fifo%d', dir, npipes)
    assert(os.execute(string.format('mkfifo %q', path)))
    local rfd = assert(ifile.open(path, ifile.O_RDONLY | ifile.O_NONBLOCK))
    local wfd = assert(ifile.open(path, ifile.O_WRONLY))
    return rfd, wfd
end

-- wait_for polls pred for up to a second.
local function wait_for(what, pred)
    local deadline = time.now() + 1
    while not pred() do
        assert(time.now() < deadline, what .. ': not within 1 s')
        eco.sleep(0.005)
    end
end

assert(eco.READ == 1 and eco.WRITE == 4)

-- Constructors: a closed fd gives nil, strerror.
do
    local o, err = eco.io(987654)
    assert(o == nil and err == 'Bad file descriptor', err)
    o, err = eco.reader(987654)
    assert(o == nil and err == 'Bad file descriptor', err)
    o, err = eco.writer(987654)
    assert(o == nil and err == 'Bad file descriptor', err)
end

-- io:wait: argument checks, readiness, timeout.
do
    local rfd, wfd = pipe()
    local rio, wio = eco.io(rfd), eco.io(wfd)
    assert(errmsg(rio.wait, rio, 0, 0.1):find('invalid', 1, true))
    assert(errmsg(rio.wait, rio, eco.READ | 0x100, 0.1):find('invalid', 1, true))
    assert(wio:wait(eco.WRITE, 0.2) == true)
    local t0 = time.now()
    local ok, err = rio:wait(eco.READ, 0.03)
    assert(ok == nil and err == 'timeout', err)
    assert(time.now() - t0 >= 0.025, 'timed out early')
    local wr = eco.writer(wfd)
    assert(wr:write('x') == 1)
    assert(rio:wait(eco.READ, 0.2) == true)
    assert(rio:wait(eco.READ | eco.WRITE, 0.2) == true, 'either direction')
    assert(eco.reader(rfd):read(1) == 'x')
    assert(ifile.close(rfd) and ifile.close(wfd))
end

-- Reader formats on one stream: l, L, readuntil, a count, readfull, a.
do
    local rfd, wfd = pipe()
    local rd, wr = eco.reader(rfd), eco.writer(wfd)
    assert(errmsg(rd.read, rd, '*x'):find('invalid format', 1, true))
    assert(errmsg(rd.read, rd, '*ll'):find('invalid format', 1, true))
    assert(errmsg(rd.read, rd, 0):find('expected size must be greater than 0', 1, true))
    assert(errmsg(rd.read, rd, false):find('invalid format', 1, true))
    assert(errmsg(rd.readfull, rd, 0):find('size must be greater than 0', 1, true))
    assert(errmsg(rd.readuntil, rd, ''):find('needle length must be 1~256 bytes', 1, true))

    local payload = 'hello\nworld\r\nbyeENDtail0123456789rest'
    assert(wr:write(payload, 0.2) == #payload)
    assert(rd:read('*l', 0.2) == 'hello')
    assert(rd:read('L', 0.2) == 'world\r\n')
    local chunk, found = rd:readuntil('END', 0.2)
    assert(chunk == 'bye' and found == true)
    assert(rd:read(4, 0.2) == 'tail')
    assert(rd:readfull(10, 0.2) == '0123456789')

    -- readuntil streams what cannot be the start of the needle, the
    -- buffered bytes first.
    chunk, found = rd:readuntil('END', 0.2)
    assert(chunk == 're' and found == nil, chunk)
    assert(wr:write('abcd') == 4)
    chunk, found = rd:readuntil('END', 0.2)
    assert(chunk == 'stab' and found == nil, chunk)
    assert(wr:write('EFENDz') == 6)
    chunk, found = rd:readuntil('END', 0.2)
    assert(chunk == 'cdEF' and found == true, chunk)

    -- A line split across writes, the CR in the first one.
    eco.run(function()
        eco.sleep(0.01)
        wr:write('z line\r')
        eco.sleep(0.01)
        wr:write('\nnext')
    end)
    assert(rd:read('l', 0.5) == 'zz line')

    -- readfull waits for all of it.
    eco.run(function()
        eco.sleep(0.01)
        wr:write('ab')
        eco.sleep(0.01)
        wr:write('cdef')
    end)
    assert(rd:readfull(8, 0.5) == 'nextabcd')

    -- End of input: the rest, then 'eof' (a pipe is not a socket).
    assert(ifile.close(wfd))
    assert(rd:read('*a', 0.2) == 'ef')
    local data, err = rd:read('*a', 0.2)
    assert(data == nil and err == 'eof', err)
    data, err = rd:read(1, 0.2)
    assert(data == nil and err == 'eof', err)
    data, err = rd:read('l', 0.2)
    assert(data == nil and err == 'eof', err)
    assert(ifile.close(rfd))
    -- On a closed fd: strerror.
    data, err = rd:read(1, 0.2)
    assert(data == nil and err == 'Bad file descriptor', err)
end

-- Timeouts and cancel: a waiter is canceled, not resumed by cancel itself;
-- a second waiter on the same object or direction is an error.
do
    local rfd, wfd = pipe()
    local rd = eco.reader(rfd)
    local ok, err = rd:wait(0.02)
    assert(ok == nil and err == 'timeout')
    local data
    data, err = rd:read(1, 0.02)
    assert(data == nil and err == 'timeout', err)

    local result
    eco.run(function()
        result = { rd:read(1, 2.0) }
    end)
    assert(errmsg(rd.read, rd, 1):find('already waiting on this I/O object', 1, true))
    local other = eco.reader(rfd)
    assert(errmsg(other.read, other, 1):find('already waiting for read on this file descriptor', 1, true))
    local t0 = time.now()
    rd:cancel()
    assert(result == nil, 'cancel resumed the waiter before returning')
    wait_for('reader cancel', function() return result ~= nil end)
    assert(result[1] == nil and result[2] == 'canceled', result[2])
    assert(time.now() - t0 < 1, 'cancel did not end the wait early')
    rd:cancel() -- nothing waits: no effect

    -- The reader works again after a cancel.
    assert(eco.writer(wfd):write('q') == 1)
    assert(rd:read(1, 0.2) == 'q')

    local io = eco.io(rfd)
    eco.run(function()
        result = { io:wait(eco.READ, 2.0) }
    end)
    result = nil
    io:cancel()
    wait_for('io cancel', function() return result ~= nil end)
    assert(result[1] == nil and result[2] == 'canceled')
    assert(ifile.close(rfd) and ifile.close(wfd))
end

-- Writer: backpressure times out; a blocked write is canceled.
do
    local rfd, wfd = pipe()
    local wr = eco.writer(wfd)
    assert(wr:wait(0.2) == true)
    local big = string.rep('x', 2 * 1024 * 1024)
    local n, err = wr:write(big, 0.05)
    assert(n == nil and err == 'timeout', err)
    local ok
    ok, err = wr:wait(0.03)
    assert(ok == nil and err == 'timeout', 'a full pipe is not writable')

    local result
    eco.run(function()
        result = { wr:write(big, 2.0) }
    end)
    wr:cancel()
    assert(result == nil)
    wait_for('writer cancel', function() return result ~= nil end)
    assert(result[1] == nil and result[2] == 'canceled', result[2])
    assert(ifile.close(rfd) and ifile.close(wfd))
end

-- Writing to a pipe whose reader is gone: EPIPE's text.
do
    local rfd, wfd = pipe()
    assert(ifile.close(rfd))
    local n, err = eco.writer(wfd):write('x', 0.1)
    assert(n == nil and err == 'Broken pipe', err)
    assert(ifile.close(wfd))
end

-- sendfile: a range of a file, past the end, a missing file.
do
    local rfd, wfd = pipe()
    local src = dir .. '/src'
    local f = assert(io.open(src, 'wb'))
    f:write('0123456789abcdef')
    f:close()
    local wr, rd = eco.writer(wfd), eco.reader(rfd)
    assert(wr:sendfile(src, 2, 5, 0.2) == 5)
    assert(rd:readfull(5, 0.2) == '23456')
    local n, err = wr:sendfile(src, 100, 1, 0.2)
    assert(n == nil and err == 'eof', err)
    n, err = wr:sendfile(dir .. '/missing', 0, 1, 0.2)
    assert(n == nil and err == 'No such file or directory', err)
    assert(errmsg(wr.sendfile, wr, src, -1, 1):find('offset must be greater than or equal to 0', 1, true))
    assert(errmsg(wr.sendfile, wr, src, 0, 0):find('len must be great than 0', 1, true))
    assert(ifile.close(rfd) and ifile.close(wfd))
end

-- Closing an fd another task waits on ends that wait.
do
    local rfd, wfd = pipe()
    local rd = eco.reader(rfd)
    local result
    eco.run(function()
        result = { rd:read(1, 5.0) }
    end)
    assert(ifile.close(rfd))
    wait_for('wait ended by close', function() return result ~= nil end)
    assert(result[1] == nil and result[2] == 'Bad file descriptor', result[2])
    local ok, err = ifile.close(rfd)
    assert(ok == nil and err == 'Bad file descriptor', 'close twice')
    assert(ifile.close(wfd))
end

-- One fd readable and writable at once: its read waiter runs before its
-- write waiter (lua-eco's loop order), so the reader can cancel the writer.
do
    local path = dir .. '/duplex'
    assert(os.execute(string.format('mkfifo %q', path)))
    local fd = assert(ifile.open(path, ifile.O_RDWR | ifile.O_NONBLOCK))
    local other = assert(ifile.open(path, ifile.O_WRONLY))
    local rd, wr = eco.reader(fd), eco.writer(fd)
    local read_done, write_result
    eco.run(function()
        assert(rd:readfull(1, 1.0) == 'x')
        wr:cancel()
        read_done = true
    end)
    eco.run(function()
        write_result = { wr:wait(1.0) }
    end)
    eco.run(function()
        assert(eco.writer(other):write('x', 0.2) == 1)
    end)
    wait_for('duplex', function() return read_done and write_result end)
    assert(write_result[1] == nil and write_result[2] == 'canceled', tostring(write_result[1]))
    assert(ifile.close(fd) and ifile.close(other))
end

-- A regular file through eco.reader: always ready, then 'eof'.
do
    local path = dir .. '/regular'
    local f = assert(io.open(path, 'wb'))
    f:write('abc')
    f:close()
    local fd = assert(ifile.open(path))
    local rd = eco.reader(fd)
    assert(rd:wait(0.1) == true)
    local data, err = rd:readfull(5, 0.2)
    assert(data == nil and err == 'eof', err)
    assert(ifile.lseek(fd, 0, ifile.SEEK_SET) == 0)
    assert(rd:read('a') == 'abc')
    assert(ifile.close(fd))
end

-- Tasks reading fds keep running while others sleep: no VM blocking.
do
    local rfd, wfd = pipe()
    local rd = eco.reader(rfd)
    local ticks = 0
    eco.run(function()
        for _ = 1, 5 do
            eco.sleep(0.01)
            ticks = ticks + 1
        end
        eco.writer(wfd):write('done')
    end)
    assert(rd:read(4, 2.0) == 'done')
    assert(ticks == 5, 'the reader blocked the sleeper')
    assert(ifile.close(rfd) and ifile.close(wfd))
end

print('io_fd ok')

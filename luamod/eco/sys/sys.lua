-- eco.sys for golua-ws: the process handle, sh and spawn over the Go half
-- (eco.internal.sys), which also gives every other function and constant.
local isys = require 'eco.internal.sys'
local sync = require 'eco.sync'
local eco = require 'eco'

local M = {}

local process = {}
local process_mt = { __index = process }

-- Stops pending reads (they return nil, 'canceled') and closes both pipes.
-- Idempotent; the child is neither signalled nor waited for.
function process:close()
    local file = require 'eco.internal.file'

    for _, side in ipairs({ 'stdout', 'stderr' }) do
        local rd = self[side .. '_rd']
        if rd then
            rd:cancel()
            self[side .. '_rd'] = nil
        end

        local fd = self[side .. '_fd']
        if fd then
            file.close(fd)
            self[side .. '_fd'] = nil
        end
    end
end

process_mt.__close = process.close

-- Waits up to timeout seconds (nil: no limit) for the child to end:
-- pid, status table, or nil, 'timeout'. The status is handed out once.
function process:wait(timeout)
    return isys.wait(self.pid, timeout)
end

function process:signal(sig)
    return isys.kill(self.pid, sig)
end

function process:kill()
    return isys.kill(self.pid, isys.SIGKILL)
end

-- SIGTERM, then SIGKILL if the child has not ended within timeout
-- seconds (default 3); returns what the last wait returned.
function process:stop(timeout)
    timeout = timeout or 3

    local ok, err = self:signal(isys.SIGTERM)
    if not ok then
        return nil, err
    end

    local pid, status = self:wait(timeout)
    if pid or status ~= 'timeout' then
        return pid, status
    end

    ok, err = self:kill()
    if not ok then
        return nil, err
    end

    return self:wait(timeout)
end

local function read_side(self, side, pattern, timeout)
    local rd = self[side .. '_rd']
    if not rd then
        return nil, 'closed'
    end
    return rd:read(pattern, timeout)
end

function process:read_stdout(pattern, timeout)
    return read_side(self, 'stdout', pattern, timeout)
end

function process:read_stderr(pattern, timeout)
    return read_side(self, 'stderr', pattern, timeout)
end

-- exec(cmd, arg, ...) or exec({cmd, arg, ...}, env): a process handle with
-- pid, stdout_fd and stderr_fd, or nil, err.
function M.exec(...)
    local pid, stdout_fd, stderr_fd = isys.exec(...)
    if not pid then
        return nil, stdout_fd
    end

    return setmetatable({
        pid = pid,
        stdout_fd = stdout_fd,
        stderr_fd = stderr_fd,
        stdout_rd = eco.reader(stdout_fd),
        stderr_rd = eco.reader(stderr_fd),
    }, process_mt)
end

-- Reads one side to its end: the whole text, or nil, err.
local function drain(p, side)
    local parts = {}
    while true do
        local data, err = read_side(p, side, '*a')
        if data == nil then
            if err == 'eof' then
                return table.concat(parts)
            end
            return nil, err
        end
        if #data == 0 then
            return table.concat(parts)
        end
        parts[#parts + 1] = data
    end
end

-- sh(cmd, [timeout]): runs cmd (a string for /bin/sh -c, or an argument
-- list) and returns its stdout and stderr once it has ended, or nil, nil,
-- err. timeout (default 30 s) covers the reads and the exit; when it passes
-- the child gets SIGTERM, then SIGKILL.
function M.sh(cmd, timeout)
    assert(type(cmd) == 'string' or type(cmd) == 'table', 'cmd must be a string or table')

    if type(cmd) == 'string' then
        cmd = { '/bin/sh', '-c', cmd }
    end

    local p<close>, err = M.exec(table.unpack(cmd))
    if not p then
        return nil, nil, err
    end

    local out, out_err, errout, errout_err, wait_err
    local wg = sync.waitgroup()
    wg:add(3)

    eco.run(function()
        out, out_err = drain(p, 'stdout')
        wg:done()
    end)

    eco.run(function()
        errout, errout_err = drain(p, 'stderr')
        wg:done()
    end)

    eco.run(function()
        local pid, werr = p:wait()
        if not pid then
            wait_err = werr
        end
        wg:done()
    end)

    local ok
    ok, err = wg:wait(timeout or 30)
    if not ok then
        p:close()
        p:signal(isys.SIGTERM)
        if not wg:wait(0.2) then
            p:kill()
            wg:wait(1)
        end
        return nil, nil, err
    end

    if wait_err then
        return nil, nil, wait_err
    end
    if not out then
        return nil, nil, out_err
    end
    if not errout then
        return out, nil, errout_err
    end
    return out, errout
end

-- spawn(f) runs f in a child process and returns its pid, or nil, err
-- (see eco.internal.sys.spawn for what f may refer to).
function M.spawn(f)
    assert(type(f) == 'function')
    return isys.spawn(f)
end

function M.signal(signum, cb, ...)
    return isys.signal(signum, cb, ...)
end

return setmetatable(M, { __index = isys })

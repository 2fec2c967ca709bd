-- eco.file for golua-ws: lua-eco's file helpers, written over
-- eco.internal.file (Go) and eco.reader/eco.writer. The chunk gets a table
-- of Go helpers as its argument.
local helpers = ...
local internal = require 'eco.internal.file'
local eco = require 'eco'

local M = { SKIP = 1 }

-- readfile(path[, format]): the file's content read with format ('*a' by
-- default), or nil, err.
function M.readfile(path, format)
    local f, err = io.open(path, 'r')
    if not f then
        return nil, err
    end
    local data = f:read(format or '*a')
    f:close()
    return data
end

-- writefile(path, data[, append]): true, or nil, err.
function M.writefile(path, data, append)
    local f, err = io.open(path, append and 'a' or 'w')
    if not f then
        return nil, err
    end
    local ok, werr = f:write(data)
    f:close()
    if not ok then
        return nil, werr
    end
    return true
end

local file_methods = {}

function file_methods:read(format, timeout)
    return self.rd:read(format, timeout)
end

function file_methods:readfull(size, timeout)
    return self.rd:readfull(size, timeout)
end

function file_methods:readuntil(needle, timeout)
    return self.rd:readuntil(needle, timeout)
end

function file_methods:write(data, timeout)
    return self.wr:write(data, timeout)
end

function file_methods:lseek(offset, whence)
    return internal.lseek(self.fd, offset, whence)
end

function file_methods:stat()
    return internal.fstat(self.fd)
end

-- flock(operation[, timeout]): retries a lock held elsewhere with a
-- growing sleep until timeout; true, or nil, err ('timeout').
function file_methods:flock(operation, timeout)
    return helpers.flock_wait(self.fd, operation, timeout)
end

-- close(): closes the fd once and wakes any task still reading or writing
-- the file.
function file_methods:close()
    if self.fd < 0 then
        return
    end
    internal.close(self.fd)
    self.fd = -1
    self.rd:cancel()
    self.wr:cancel()
end

local file_mt = {
    __index = file_methods,
    __close = file_methods.close,
}

-- open(path[, flags[, mode]]): a file object with the fields fd, rd and
-- wr, or nil, err.
function M.open(path, flags, mode)
    local fd, err = internal.open(path, flags, mode)
    if not fd then
        return nil, err
    end
    return setmetatable({ fd = fd, rd = eco.reader(fd), wr = eco.writer(fd) }, file_mt)
end

local inotify_methods = {}

-- next_event returns the first queued event of a watch still known, with
-- name made the full path; nil if none is left.
local function next_event(self)
    while #self.events > 0 do
        local ev = table.remove(self.events, 1)
        local path = self.watchs[ev.wd]
        if path then
            local name = path
            if ev.name then
                if path:sub(-1) ~= '/' then
                    path = path .. '/'
                end
                name = path .. ev.name
            end
            return { name = name, mask = ev.mask }
        end
    end
end

-- wait([timeout]): the next event as {name = full path, mask}, or
-- nil, err ('timeout', 'canceled', ...).
function inotify_methods:wait(timeout)
    while true do
        local ev = next_event(self)
        if ev then
            return ev
        end
        local data, err = self.rd:read(4096, timeout)
        if not data then
            return nil, err
        end
        self.events = internal.inotify_parse_event(data)
    end
end

-- add(path[, mask]): the watch descriptor, or nil, err.
function inotify_methods:add(path, mask)
    local wd, err = internal.inotify_add_watch(self.fd, path, mask or internal.IN_ALL_EVENTS)
    if not wd then
        return nil, err
    end
    self.watchs[wd] = path
    return wd
end

-- del(wd): true, or nil, err.
function inotify_methods:del(wd)
    local ok, err = internal.inotify_rm_watch(self.fd, wd)
    if not ok then
        return nil, err
    end
    self.watchs[wd] = nil
    return ok
end

function inotify_methods:close()
    if self.fd < 0 then
        return
    end
    internal.close(self.fd)
    self.fd = -1
    self.rd:cancel()
end

local inotify_mt = {
    __index = inotify_methods,
    __close = inotify_methods.close,
}

-- inotify(): a watcher, or nil, err.
function M.inotify()
    local fd, err = internal.inotify_init()
    if not fd then
        return nil, err
    end
    return setmetatable({ fd = fd, watchs = {}, events = {}, rd = eco.reader(fd) }, inotify_mt)
end

-- walk_dir calls cb(path, name, info) for each entry under dir (which ends
-- in '/'), depth first; false from cb stops the walk, M.SKIP skips a
-- directory's contents.
local function walk_dir(dir, cb)
    for name, info in internal.dir(dir) do
        local path = dir .. name
        local ret = cb(path, name, info)
        if ret == false then
            return false
        end
        if info.type == 'DIR' and ret ~= M.SKIP then
            if walk_dir(path .. '/', cb) == false then
                return false
            end
        end
    end
end

-- walk(root, cb): walks the tree under root.
function M.walk(root, cb)
    assert(type(root) == 'string', 'root path must be a string')
    if root:sub(-1) ~= '/' then
        root = root .. '/'
    end
    walk_dir(root, cb)
end

return setmetatable(M, { __index = internal })

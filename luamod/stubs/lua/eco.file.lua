---@meta eco.file
--- Files without blocking the loop: open/read/write, whole-file helpers, directory walks, inotify.

---@class eco.file.file
local File = {}

--- Read up to n bytes.
---@param n integer
---@param timeout? number
---@return string|nil data
---@return string? err
function File:read(n, timeout) end
--- Read exactly n bytes.
---@param n integer
---@param timeout? number
---@return string|nil data
---@return string? err
function File:readfull(n, timeout) end
--- Read up to needle.
---@param needle string
---@param timeout? number
---@return string|nil data
---@return string? err
function File:readuntil(needle, timeout) end
--- Write data.
---@param data string
---@param timeout? number
---@return integer|nil written
---@return string? err
function File:write(data, timeout) end
--- Move the offset (whence: "set", "cur", "end" or a SEEK_* number).
---@param offset integer
---@param whence? string|integer
---@return integer|nil pos
---@return string? err
function File:lseek(offset, whence) end
--- Stat the open file.
---@return table|nil st
---@return string? err
function File:stat() end
--- Lock (LOCK_SH, LOCK_EX) or unlock the file.
---@param op integer
---@param timeout? number
---@return boolean|nil ok
---@return string? err
function File:flock(op, timeout) end
--- Close the file.
function File:close() end

---@class eco.file.inotify
local Inotify = {}

--- Watch path for the IN_* events in mask; a watch descriptor.
---@param path string
---@param mask? integer
---@return integer|nil wd
---@return string? err
function Inotify:add(path, mask) end
--- Stop a watch.
---@param wd integer
---@return boolean|nil ok
---@return string? err
function Inotify:del(wd) end
--- Wait for the next event {name, mask, ...}.
---@param timeout? number
---@return table|nil ev
---@return string? err
function Inotify:wait(timeout) end
--- Close the inotify instance.
function Inotify:close() end

local M = {}

--- Return value of a walk callback that skips a directory.
M.SKIP = 1

--- Open path with flags ("r", "w", "a", ... or O_* numbers) and mode.
---@param path string
---@param flags? string|integer
---@param mode? integer
---@return eco.file.file|nil f
---@return string? err
function M.open(path, flags, mode) end
--- The whole content of path (or what m selects: "*a", "*l", a count).
---@param path string
---@param m? string|integer
---@return string|nil data
---@return string? err
function M.readfile(path, m) end
--- Write data to path, appending when append is true.
---@param path string
---@param data string
---@param append? boolean
---@return integer|nil written
---@return string? err
function M.writefile(path, data, append) end
--- Call cb(path, name, info) for every entry below root.
---@param root string
---@param cb fun(path: string, name: string, info: table): any
---@return boolean|nil ok
---@return string? err
function M.walk(root, cb) end
--- An inotify instance.
---@return eco.file.inotify|nil ino
---@return string? err
function M.inotify() end

--- The calls of eco.internal.file are reachable through eco.file too.

--- Whether path is accessible with mode ("r", "w", "x", "f").
---@param path string
---@param mode? string
---@return boolean|nil ok
---@return string? err
function M.access(path, mode) end

--- The last element of path.
---@param path string
---@return string
---@return string? err
function M.basename(path) end

--- Change path's owner and group.
---@param path string
---@param uid? integer
---@param gid? integer
---@return boolean|nil ok
---@return string? err
function M.chown(path, uid, gid) end

--- Close fd.
---@param fd integer
---@return boolean|nil ok
---@return string? err
function M.close(fd) end

--- An iterator over the entries of directory path: name, info.
---@param path string
---@return function|nil iter
---@return string? err
function M.dir(path) end

--- path without its last element.
---@param path string
---@return string
---@return string? err
function M.dirname(path) end

--- flock(2) on a descriptor.
---@param fd integer
---@param op integer
---@return boolean|nil ok
---@return string? err
function M.flock(fd, op) end

--- Stat an open descriptor.
---@param fd integer
---@return table|nil st
---@return string? err
function M.fstat(fd) end

--- Watch path on an inotify descriptor.
---@param fd integer
---@param path string
---@param mask integer
---@return integer|nil wd
---@return string? err
function M.inotify_add_watch(fd, path, mask) end

--- A new inotify descriptor.
---@return integer|nil fd
---@return string? err
function M.inotify_init() end

--- Split a buffer read from an inotify descriptor into events.
---@param data string
---@return table[]|nil events
---@return string? err
function M.inotify_parse_event(data) end

--- Remove a watch.
---@param fd integer
---@param wd integer
---@return boolean|nil ok
---@return string? err
function M.inotify_rm_watch(fd, wd) end

--- Move fd's offset.
---@param fd integer
---@param offset integer
---@param whence integer
---@return integer|nil pos
---@return string? err
function M.lseek(fd, offset, whence) end

--- Create a directory.
---@param path string
---@param mode? integer
---@return boolean|nil ok
---@return string? err
function M.mkdir(path, mode) end

--- The target of a symbolic link.
---@param path string
---@return string|nil target
---@return string? err
function M.readlink(path) end

--- Stat path: {type, mode, size, uid, gid, atime, mtime, ctime, nlink, ino, dev}.
---@param path string
---@return table|nil st
---@return string? err
function M.stat(path) end

--- File-system totals for path: total, available, used (KiB).
---@param path string
---@return number|nil total
---@return string? err
function M.statvfs(path) end

--- Flush file-system buffers (sync(2)).
function M.sync() end

return M

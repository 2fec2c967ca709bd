---@meta eco.internal.file
--- The file-system calls under eco.file, on raw descriptors.

local M = {}

---@type integer
M.IN_ACCESS = 0
---@type integer
M.IN_ALL_EVENTS = 0
---@type integer
M.IN_ATTRIB = 0
---@type integer
M.IN_CLOSE = 0
---@type integer
M.IN_CLOSE_NOWRITE = 0
---@type integer
M.IN_CLOSE_WRITE = 0
---@type integer
M.IN_CREATE = 0
---@type integer
M.IN_DELETE = 0
---@type integer
M.IN_DELETE_SELF = 0
---@type integer
M.IN_ISDIR = 0
---@type integer
M.IN_MODIFY = 0
---@type integer
M.IN_MOVE = 0
---@type integer
M.IN_MOVED_FROM = 0
---@type integer
M.IN_MOVED_TO = 0
---@type integer
M.IN_MOVE_SELF = 0
---@type integer
M.IN_OPEN = 0
---@type integer
M.LOCK_EX = 0
---@type integer
M.LOCK_SH = 0
---@type integer
M.LOCK_UN = 0
---@type integer
M.O_APPEND = 0
---@type integer
M.O_CLOEXEC = 0
---@type integer
M.O_CREAT = 0
---@type integer
M.O_EXCL = 0
---@type integer
M.O_NOCTTY = 0
---@type integer
M.O_NONBLOCK = 0
---@type integer
M.O_RDONLY = 0
---@type integer
M.O_RDWR = 0
---@type integer
M.O_TRUNC = 0
---@type integer
M.O_WRONLY = 0
---@type integer
M.SEEK_CUR = 0
---@type integer
M.SEEK_END = 0
---@type integer
M.SEEK_SET = 0
---@type integer
M.S_IRGRP = 0
---@type integer
M.S_IROTH = 0
---@type integer
M.S_IRUSR = 0
---@type integer
M.S_IRWXG = 0
---@type integer
M.S_IRWXO = 0
---@type integer
M.S_IRWXU = 0
---@type integer
M.S_ISGID = 0
---@type integer
M.S_ISUID = 0
---@type integer
M.S_ISVTX = 0
---@type integer
M.S_IWGRP = 0
---@type integer
M.S_IWOTH = 0
---@type integer
M.S_IWUSR = 0
---@type integer
M.S_IXGRP = 0
---@type integer
M.S_IXOTH = 0
---@type integer
M.S_IXUSR = 0

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

--- Open path (O_* flags, mode); a descriptor.
---@param path string
---@param flags? integer
---@param mode? integer
---@return integer|nil fd
---@return string? err
function M.open(path, flags, mode) end

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

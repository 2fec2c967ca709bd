---@meta eco.internal.sys
--- Processes, signals and system information under eco.sys.

local M = {}

---@type integer
M.E2BIG = 0
---@type integer
M.EACCES = 0
---@type integer
M.EAGAIN = 0
---@type integer
M.EBADF = 0
---@type integer
M.EBUSY = 0
---@type integer
M.ECHILD = 0
---@type integer
M.EDOM = 0
---@type integer
M.EEXIST = 0
---@type integer
M.EFAULT = 0
---@type integer
M.EFBIG = 0
---@type integer
M.EINTR = 0
---@type integer
M.EINVAL = 0
---@type integer
M.EIO = 0
---@type integer
M.EISDIR = 0
---@type integer
M.EMFILE = 0
---@type integer
M.EMLINK = 0
---@type integer
M.ENFILE = 0
---@type integer
M.ENODEV = 0
---@type integer
M.ENOENT = 0
---@type integer
M.ENOEXEC = 0
---@type integer
M.ENOMEM = 0
---@type integer
M.ENOSPC = 0
---@type integer
M.ENOTBLK = 0
---@type integer
M.ENOTDIR = 0
---@type integer
M.ENOTTY = 0
---@type integer
M.ENXIO = 0
---@type integer
M.EPERM = 0
---@type integer
M.EPIPE = 0
---@type integer
M.ERANGE = 0
---@type integer
M.EROFS = 0
---@type integer
M.ESPIPE = 0
---@type integer
M.ESRCH = 0
---@type integer
M.ETXTBSY = 0
---@type integer
M.EXDEV = 0
---@type integer
M.PR_SET_PDEATHSIG = 0
---@type integer
M.SIGABRT = 0
---@type integer
M.SIGALRM = 0
---@type integer
M.SIGBUS = 0
---@type integer
M.SIGCHLD = 0
---@type integer
M.SIGCONT = 0
---@type integer
M.SIGFPE = 0
---@type integer
M.SIGHUP = 0
---@type integer
M.SIGINT = 0
---@type integer
M.SIGIO = 0
---@type integer
M.SIGIOT = 0
---@type integer
M.SIGKILL = 0
---@type integer
M.SIGPIPE = 0
---@type integer
M.SIGPOLL = 0
---@type integer
M.SIGPROF = 0
---@type integer
M.SIGPWR = 0
---@type integer
M.SIGQUIT = 0
---@type integer
M.SIGSEGV = 0
---@type integer
M.SIGSTKFLT = 0
---@type integer
M.SIGSTOP = 0
---@type integer
M.SIGSYS = 0
---@type integer
M.SIGTERM = 0
---@type integer
M.SIGTRAP = 0
---@type integer
M.SIGTSTP = 0
---@type integer
M.SIGTTIN = 0
---@type integer
M.SIGTTOU = 0
---@type integer
M.SIGURG = 0
---@type integer
M.SIGUSR1 = 0
---@type integer
M.SIGUSR2 = 0
---@type integer
M.SIGVTALRM = 0
---@type integer
M.SIGWINCH = 0
---@type integer
M.SIGXCPU = 0
---@type integer
M.SIGXFSZ = 0
---@type integer
M.SIG_BLOCK = 0
---@type integer
M.SIG_SETMASK = 0
---@type integer
M.SIG_UNBLOCK = 0

--- Start a program (argv as strings): pid and the fds of its stdout and stderr.
---@param ... string
---@return integer|nil pid
---@return integer|string stdout_fd_or_err
---@return integer? stderr_fd
function M.exec(...) end

--- Number of processors available.
---@return integer
function M.get_nprocs() end

--- This process's id.
---@return integer
function M.getpid() end

--- The parent process's id.
---@return integer
function M.getppid() end

--- The passwd entry of user name: {username, password, uid, gid, home, shell}.
---@param name string
---@return table|nil info
---@return string? err
function M.getpwnam(name) end

--- Send signal sig to process pid.
---@param pid integer
---@param sig integer
---@return boolean|nil ok
---@return string? err
function M.kill(pid, sig) end

--- prctl(2); only PR_SET_PDEATHSIG is supported.
---@param option integer
---@param arg? integer
---@return boolean|nil ok
---@return string? err
function M.prctl(option, arg) end

--- Run cb when signal signum arrives; a handle to stop.
---@param signum integer
---@param cb fun(...)
---@param ... any
---@return userdata|nil handle
---@return string? err
function M.signal(signum, cb, ...) end

--- Run f in a new golua-ws process; its pid.
---@param f function
---@return integer|nil pid
---@return string? err
function M.spawn(f) end

--- In a process started by spawn: run the function it was given.
function M.spawned() end

--- The message of errno n.
---@param n integer
---@return string
function M.strerror(n) end

--- Seconds since boot.
---@return integer
function M.uptime() end

--- Wait (bounded by timeout seconds) for a child started by exec: pid and status table.
---@param pid integer
---@param timeout? number
---@return integer|nil pid
---@return table|string status_or_err
function M.wait(pid, timeout) end

--- Reap child pid (-1: any) without blocking: pid (0 when none changed) and its status table.
---@param pid integer
---@return integer|nil pid
---@return table|string status_or_err
function M.waitpid(pid) end

return M

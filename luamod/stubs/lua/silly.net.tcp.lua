---@meta silly.net.tcp

---TCP client and server sockets. Reads suspend the calling task; a read
---or write on a closed connection returns `nil|false, errno`.
---@class silly.net.tcp
local M = {}

---@class silly.net.tcp.listener
---@field fd integer? nil once closed
local listener = {}

---Stop accepting; a second close returns false, errno.CLOSED.
---@return boolean ok, silly.errno? err
function listener:close() end

---Kept for symmetry with TLS listeners: a TCP listener has no certificates, so this returns false, errno.INVAL.
---@param conf table?
---@return boolean ok, silly.errno? err
function listener:reload(conf) end

---golua-ws addition: the address the listener is bound to (host:port, the real port when 0 was asked).
---@return string
function listener:addr() end

---@class silly.net.tcp.conn
---@field fd integer?
---@field remoteaddr string
local conn = {}

---Read `n` bytes, or up to and including the one-byte delimiter `n`; suspends until
---enough data arrives or `timeout` ms pass (errno.TIMEDOUT). n <= 0 returns "".
---@param n integer|string
---@param timeout integer? milliseconds
---@return string? data, silly.errno? err
function conn:read(n, timeout) end

---Read up to and including the one-byte `delim` (same as read with a string).
---@param delim string
---@param timeout integer? milliseconds
---@return string? line, silly.errno? err
function conn:readline(delim, timeout) end

---Queue data (a string or an array of strings) for sending.
---@param data string|string[]
---@return boolean ok, silly.errno? err
function conn:write(data) end

---Close the connection; a task blocked in read wakes with errno.CLOSED.
---@return boolean ok, silly.errno? err
function conn:close() end

---Whether the connection is still open and has seen no error.
---@return boolean
function conn:isalive() end

---Bytes received and not yet read.
---@return integer
function conn:unreadbytes() end

---Bytes written and not yet sent.
---@return integer
function conn:unsentbytes() end

---Cap the receive buffer (reading pauses when it is full); nil removes the cap.
---@param limit integer?
function conn:limit(limit) end

---@class silly.net.tcp.listen.conf
---@field addr string host:port to bind
---@field accept fun(conn:silly.net.tcp.conn) called in a new task per connection

---Listen on `conf.addr`; each accepted connection runs `conf.accept` in its own task.
---@param conf silly.net.tcp.listen.conf
---@return silly.net.tcp.listener? listener, silly.errno? err
function M.listen(conf) end

---@class silly.net.tcp.connect.opts
---@field bind string? local address to bind before connecting
---@field timeout integer? milliseconds

---Connect to `addr` (host:port); suspends until connected.
---@param addr string
---@param opts silly.net.tcp.connect.opts?
---@return silly.net.tcp.conn? conn, silly.errno? err
function M.connect(addr, opts) end

---Function form of conn:read.
---@param c silly.net.tcp.conn
---@param n integer|string
---@param timeout integer?
---@return string? data, silly.errno? err
function M.read(c, n, timeout) end

---Function form of conn:readline.
---@param c silly.net.tcp.conn
---@param delim string
---@param timeout integer?
---@return string? line, silly.errno? err
function M.readline(c, delim, timeout) end

---Function form of conn:write.
---@param c silly.net.tcp.conn
---@param data string|string[]
---@return boolean ok, silly.errno? err
function M.write(c, data) end

---Close a connection or a listener.
---@param s silly.net.tcp.conn|silly.net.tcp.listener
---@return boolean ok, silly.errno? err
function M.close(s) end

---Function form of conn:limit.
---@param c silly.net.tcp.conn
---@param limit integer?
function M.limit(c, limit) end

---Function form of conn:isalive.
---@param c silly.net.tcp.conn
---@return boolean
function M.isalive(c) end

---Bytes received and not yet read (conn:unreadbytes).
---@param c silly.net.tcp.conn
---@return integer
function M.recvsize(c) end

---Bytes written and not yet sent (conn:unsentbytes).
---@param c silly.net.tcp.conn
---@return integer
function M.sendsize(c) end

return M

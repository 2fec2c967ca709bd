---@meta silly.net.tls

---TLS client and server connections over TCP. Reads suspend the calling task; a read
---or write on a closed connection returns `nil|false, errno`.
---@class silly.net.tls
local M = {}

---@class silly.net.tls.listener
---@field fd integer? nil once closed
local listener = {}

---Stop accepting; a second close returns false, errno.CLOSED.
---@return boolean ok, silly.errno? err
function listener:close() end

---golua-ws addition: the address the listener is bound to (host:port, the real port when 0 was asked).
---@return string
function listener:addr() end

---Replace the certificates (and ciphers/ALPN) new handshakes use.
---@param conf silly.net.tls.conf?
---@return boolean ok, silly.errno? err
function listener:reload(conf) end

---@class silly.net.tls.conn
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

---The protocol ALPN negotiated, if any.
---@return string?
function conn:alpnproto() end

---Cap the receive buffer (reading pauses when it is full); nil removes the cap.
---@param limit integer?
function conn:limit(limit) end

---@class silly.net.tls.conf
---@field certs {cert:string,key:string}[]? PEM certificate and key pairs
---@field ciphers string?
---@field alpnprotos ("http/1.1"|"h2")[]?

---@class silly.net.tls.listen.conf : silly.net.tls.conf
---@field addr string host:port to bind
---@field accept fun(conn:silly.net.tls.conn) called in a new task per connection

---Listen on `conf.addr`; each accepted connection runs `conf.accept` in its own task.
---@param conf silly.net.tls.listen.conf
---@return silly.net.tls.listener? listener, silly.errno? err
function M.listen(conf) end

---Replace the certificates (and ciphers/ALPN) new handshakes use.
---@param conf silly.net.tls.conf?
---@return boolean ok, silly.errno? err
function listener:reload(conf) end

---@class silly.net.tls.connect.opts
---@field bind string? local address to bind before connecting
---@field hostname string? server name for SNI and verification
---@field insecure boolean? golua-ws addition: skip verifying the server's certificate
---@field alpnprotos ("http/1.1"|"h2")[]?
---@field timeout integer? milliseconds

---Connect to `addr` (host:port); suspends until connected.
---@param addr string
---@param opts silly.net.tls.connect.opts?
---@return silly.net.tls.conn? conn, silly.errno? err
function M.connect(addr, opts) end

---Function form of conn:read.
---@param c silly.net.tls.conn
---@param n integer|string
---@param timeout integer?
---@return string? data, silly.errno? err
function M.read(c, n, timeout) end

---Function form of conn:readline.
---@param c silly.net.tls.conn
---@param delim string
---@param timeout integer?
---@return string? line, silly.errno? err
function M.readline(c, delim, timeout) end

---Function form of conn:write.
---@param c silly.net.tls.conn
---@param data string|string[]
---@return boolean ok, silly.errno? err
function M.write(c, data) end

---Close a connection or a listener.
---@param s silly.net.tls.conn|silly.net.tls.listener
---@return boolean ok, silly.errno? err
function M.close(s) end

---Function form of conn:limit.
---@param c silly.net.tls.conn
---@param limit integer?
function M.limit(c, limit) end

---Function form of conn:isalive.
---@param c silly.net.tls.conn
---@return boolean
function M.isalive(c) end

---Bytes received and not yet read (conn:unreadbytes).
---@param c silly.net.tls.conn
---@return integer
function M.recvsize(c) end

---Bytes written and not yet sent (conn:unsentbytes).
---@param c silly.net.tls.conn
---@return integer
function M.sendsize(c) end

---Function form of conn:alpnproto.
---@param c silly.net.tls.conn
---@return string?
function M.alpnproto(c) end

---Function form of listener:reload.
---@param l silly.net.tls.listener
---@param conf silly.net.tls.conf?
---@return boolean ok, silly.errno? err
function M.reload(l, conf) end

---golua-ws addition: a self-signed certificate (valid 30 days) for the given
---hosts (default 127.0.0.1, ::1, localhost), shaped like an entry of `certs`.
---@param hosts string[]?
---@return {cert:string,key:string}? pair, string? err
function M.selfsigned(hosts) end

return M

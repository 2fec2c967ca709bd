---@meta silly.net.udp

---UDP sockets: bound (server) or connected (client).
---@class silly.net.udp
local M = {}

---@class silly.net.udp.conn
---@field fd integer?
local conn = {}

---Wait for the next datagram; returns its data and the sender's address.
---@param timeout integer? milliseconds
---@return string? data, string|silly.errno|nil addr_or_err
function conn:recvfrom(timeout) end

---Send one datagram; `addr` is required on a bound socket, ignored on a connected one.
---@param data string
---@param addr string?
---@return boolean ok, silly.errno? err
function conn:sendto(data, addr) end

---Close the socket; a task blocked in recvfrom wakes with errno.CLOSED.
---@return boolean ok, silly.errno? err
function conn:close() end

---Whether the socket is still open.
---@return boolean
function conn:isalive() end

---Bytes received and not yet read.
---@return integer
function conn:unreadbytes() end

---Bytes queued and not yet sent.
---@return integer
function conn:unsentbytes() end

---Bind a socket to `addr` (host:port) to receive datagrams from anyone.
---@param addr string
---@return silly.net.udp.conn? sock, silly.errno? err
function M.bind(addr) end

---@class silly.net.udp.connect.opts
---@field bindaddr string? local address to bind

---Create a socket connected to `addr`.
---@param addr string
---@param opts silly.net.udp.connect.opts?
---@return silly.net.udp.conn? sock, silly.errno? err
function M.connect(addr, opts) end

---Function form of conn:recvfrom.
---@param s silly.net.udp.conn
---@param timeout integer?
---@return string? data, string|silly.errno|nil addr_or_err
function M.recvfrom(s, timeout) end

---Function form of conn:sendto.
---@param s silly.net.udp.conn
---@param data string
---@param addr string?
---@return boolean ok, silly.errno? err
function M.sendto(s, data, addr) end

---Function form of conn:close.
---@param s silly.net.udp.conn
---@return boolean ok, silly.errno? err
function M.close(s) end

---Function form of conn:isalive.
---@param s silly.net.udp.conn
---@return boolean
function M.isalive(s) end

return M
